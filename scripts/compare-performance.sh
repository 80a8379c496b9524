#!/usr/bin/env bash
# The seed's comparison step, now `ollama-distributed compare` (docs/regression-testing.md).
#
#   scripts/compare-performance.sh --current FILE --baseline FILE [--threshold 10] [--output FILE]
#                                  [--format text|markdown|json|junit] [--alpha 0.05] [--verbose]
#
# FILE: a PerformanceReport, Go benchmark output, package-benchmark or hyperfine JSON (detected).
# With --output and no --format the file is the JSON the original script wrote (summary,
# regressions, improvements, detailed_comparisons), plus the statistics; the table goes to stdout.
# Exit codes: 0 no regression, 1 regression found, 2 invalid input or usage.
# OLLAMAMAX_BINARY=path uses that binary instead of building one.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

args=()
format=""
output=""
while [ $# -gt 0 ]; do
    case "$1" in
        --current|--baseline|--threshold|--alpha|--input-format)
            [ $# -ge 2 ] || { echo "compare-performance.sh: $1 needs a value" >&2; exit 2; }
            args+=("$1" "$2"); shift 2 ;;
        --output) [ $# -ge 2 ] || { echo "compare-performance.sh: --output needs a file" >&2; exit 2; }
            output="$2"; shift 2 ;;
        --format) [ $# -ge 2 ] || { echo "compare-performance.sh: --format needs a value" >&2; exit 2; }
            format="$2"; shift 2 ;;
        --verbose) shift ;;  # the table is always printed
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "compare-performance.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
if [ -n "$output" ]; then
    args+=(--output "$output" --format "${format:-json}")
elif [ -n "$format" ]; then
    args+=(--format "$format")
fi

# OLLAMAMAX_BINARY names a prebuilt ollama-distributed; otherwise build (a no-op when up to
# date) so the binary always matches the sources.
if [ -n "${OLLAMAMAX_BINARY:-}" ]; then
    exec "$OLLAMAMAX_BINARY" compare "${args[@]}"
fi
if ! build_log=$(swift build -c release --product ollama-distributed --package-path "$root" 2>&1); then
    echo "$build_log" >&2
    echo "compare-performance.sh: building ollama-distributed failed" >&2
    exit 2
fi
exec "$root/.build/release/ollama-distributed" compare "${args[@]}"
