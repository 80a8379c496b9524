#!/usr/bin/env bash
# What the performance workflow does, on this machine: run the benchmarks, compare with the
# baseline, check the budgets, write the reports, exit non-zero on a regression (docs/performance.md).
#
#   scripts/perf-check.sh [--quick] [--micro] [--baseline FILE] [--budgets FILE] [--output-dir DIR]
#                         [--update-baseline] [-- BENCH-FLAGS...]
#
#   --quick            smoke run (bench --quick: 4 x 500 ms per scenario), judged against its own
#                      baseline, performance-results/baseline/quick-performance-report.json
#   --micro            also run the package-benchmark micro-benchmarks (Benchmarks/, release build: slow)
#   --update-baseline  write the run to the baseline instead of judging it (then commit it)
#   -- FLAGS           passed to `ollama-distributed bench`, e.g. -- --count 10 --nodes 1,2,4
#
# Writes DIR/current/performance-report.json, DIR/comparison.md and DIR/comparison-report.json
# (DIR: performance-results). Exit codes: 0 gate passed, 1 gate failed (regression, budget,
# failed benchmark), 2 invalid input (no baseline, bad budgets). OLLAMAMAX_BINARY=path uses
# that binary instead of building one.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

quick=0
micro=0
update=0
baseline=""
budgets="$root/performance-results/budgets.yml"
outdir="$root/performance-results"
bench_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1; shift ;;
        --micro) micro=1; shift ;;
        --update-baseline) update=1; shift ;;
        --baseline|--budgets|--output-dir)
            [ $# -ge 2 ] || { echo "perf-check.sh: $1 needs a value" >&2; exit 2; }
            case "$1" in --baseline) baseline="$2" ;; --budgets) budgets="$2" ;; --output-dir) outdir="$2" ;; esac
            shift 2 ;;
        --) shift; bench_args+=("$@"); break ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "perf-check.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

# A quick run has its own baseline: with 500 ms repetitions the requests still in flight at the
# end weigh more, so its throughput is not comparable with a standard run's.
if [ -z "$baseline" ]; then
    if [ "$quick" = 1 ]; then
        baseline="$root/performance-results/baseline/quick-performance-report.json"
    else
        baseline="$root/performance-results/baseline/performance-report.json"
    fi
fi

# Fail fast on what cannot work, before minutes of benchmarking.
if [ "$update" = 0 ] && [ ! -f "$baseline" ]; then
    hint="scripts/perf-check.sh --update-baseline"
    [ "$quick" = 1 ] && hint="$hint --quick"
    echo "perf-check.sh: $baseline: no baseline report. Create one on this machine with" >&2
    echo "  $hint" >&2
    echo "and commit it (docs/performance.md: a baseline from another machine is only a rough guide)." >&2
    exit 2
fi
if [ ! -f "$budgets" ]; then
    echo "perf-check.sh: $budgets: no budgets file (see docs/performance.md)" >&2
    exit 2
fi

if [ -n "${OLLAMAMAX_BINARY:-}" ]; then
    bin="$OLLAMAMAX_BINARY"
else
    echo "perf-check.sh: building ollama-distributed (release)" >&2
    if ! build_log=$(swift build -c release --product ollama-distributed --package-path "$root" 2>&1); then
        echo "$build_log" >&2
        echo "perf-check.sh: building ollama-distributed failed" >&2
        exit 2
    fi
    bin="$root/.build/release/ollama-distributed"
fi

mkdir -p "$outdir/current"
current="$outdir/current/performance-report.json"
failed=0

micro_args=()
if [ "$micro" = 1 ]; then
    mkdir -p "$outdir/micro"
    echo "perf-check.sh: running the micro-benchmarks (cd Benchmarks && swift package benchmark)" >&2
    if (cd "$root/Benchmarks" && swift package --allow-writing-to-package-directory benchmark \
            --format jmh --path "$outdir/micro" --no-progress) >"$outdir/micro/benchmark.log" 2>&1 \
        && [ -f "$outdir/micro/Current_run.jmh.json" ]; then
        micro_args=(--micro "$outdir/micro/Current_run.jmh.json")
    else
        echo "perf-check.sh: the micro-benchmarks FAILED; their output ($outdir/micro/benchmark.log) ends:" >&2
        tail -n 40 "$outdir/micro/benchmark.log" >&2
        failed=1
    fi
fi

run_args=(bench --output "$current")
[ "$quick" = 1 ] && run_args+=(--quick)
"$bin" "${run_args[@]}" ${micro_args[@]+"${micro_args[@]}"} ${bench_args[@]+"${bench_args[@]}"}
bench_code=$?
if [ "$bench_code" -ne 0 ]; then
    if [ ! -f "$current" ] || [ "$bench_code" -ne 1 ]; then
        echo "perf-check.sh: bench failed with exit code $bench_code and wrote no report" >&2
        exit 2
    fi
    echo "perf-check.sh: some benchmarks FAILED (listed above); judging the rest, the gate will fail" >&2
    failed=1
fi

if [ "$update" = 1 ]; then
    if [ "$failed" = 1 ]; then
        echo "perf-check.sh: not updating the baseline from a run with failed benchmarks" >&2
        exit 1
    fi
    mkdir -p "$(dirname "$baseline")"
    cp "$current" "$baseline"
    echo "perf-check.sh: baseline updated: $baseline (commit it with the change that moved the numbers)"
    exit 0
fi

"$bin" bench gate --current "$current" --baseline "$baseline" --budgets "$budgets" \
    --markdown "$outdir/comparison.md" --json "$outdir/comparison-report.json"
gate_code=$?
echo "perf-check.sh: reports in $outdir (current/performance-report.json, comparison.md, comparison-report.json)"
if [ "$gate_code" -eq 2 ]; then exit 2; fi
if [ "$gate_code" -ne 0 ] || [ "$failed" = 1 ]; then exit 1; fi
exit 0
