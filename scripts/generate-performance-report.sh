#!/usr/bin/env bash
# The seed's report step, now `ollama-distributed report` (docs/reports.md).
#
#   scripts/generate-performance-report.sh --input DIR|FILE [--output FILE] [--format json|html|markdown]
#                                          [--baseline FILE] [--threshold 10] [--alpha 0.05] [--db FILE]
#
# FILE is a report; DIR is a results directory: its performance-report.json, else
# current/performance-report.json, else the newest report under it (baseline/ last), named on stderr.
# --format defaults to --output's extension (.html, .md), else json. No --output: standard output.
# Exit codes: 0 written, 2 invalid input or unwritable output, 64 usage.
# OLLAMAMAX_BINARY=path uses that binary instead of building one.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --input|--output|--format|--baseline|--threshold|--alpha|--db)
            [ $# -ge 2 ] || { echo "generate-performance-report.sh: $1 needs a value" >&2; exit 2; }
            args+=("$1" "$2"); shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "generate-performance-report.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

if [ -n "${OLLAMAMAX_BINARY:-}" ]; then
    exec "$OLLAMAMAX_BINARY" report "${args[@]}"
fi
if ! build_log=$(swift build -c release --product ollama-distributed --package-path "$root" 2>&1); then
    echo "$build_log" >&2
    echo "generate-performance-report.sh: building ollama-distributed failed" >&2
    exit 2
fi
exec "$root/.build/release/ollama-distributed" report "${args[@]}"
