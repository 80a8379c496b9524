#!/usr/bin/env bash
# The seed's chart step (generate-performance-charts.py), now `ollama-distributed charts` (docs/reports.md).
#
#   scripts/generate-performance-charts.sh --current FILE|DIR [--baseline FILE] --output DIR
#                                          [--png auto|always|never] [--db FILE] [--threshold 10] [--alpha 0.05]
#
# Writes benchmark_comparison, performance_trends, resource_usage, performance_summary and
# latency_distribution as DIR/<name>.svg, and as .png when rsvg-convert (librsvg2-bin) is installed.
# Exit codes: 0 written, 2 invalid input or unwritable output, 3 PNG conversion failed, 64 usage.
# OLLAMAMAX_BINARY=path uses that binary instead of building one.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --current|--baseline|--output|--png|--db|--threshold|--alpha)
            [ $# -ge 2 ] || { echo "generate-performance-charts.sh: $1 needs a value" >&2; exit 2; }
            args+=("$1" "$2"); shift 2 ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "generate-performance-charts.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

if [ -n "${OLLAMAMAX_BINARY:-}" ]; then
    exec "$OLLAMAMAX_BINARY" charts "${args[@]}"
fi
if ! build_log=$(swift build -c release --product ollama-distributed --package-path "$root" 2>&1); then
    echo "$build_log" >&2
    echo "generate-performance-charts.sh: building ollama-distributed failed" >&2
    exit 2
fi
exec "$root/.build/release/ollama-distributed" charts "${args[@]}"
