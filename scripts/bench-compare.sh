#!/usr/bin/env bash
# How long `ollama-distributed compare` takes on 10,000 benchmarks x 100 samples each (docs/benchmarks.md).
# Usage: scripts/bench-compare.sh [benchmarks] [samples]
set -euo pipefail
cd "$(dirname "$0")/.."
benchmarks=${1:-10000}
samples=${2:-100}
for tool in hyperfine python3; do
    command -v "$tool" >/dev/null || { echo "bench-compare.sh: $tool is missing: apt-get install -y hyperfine python3" >&2; exit 2; }
done
swift build -c release --product ollama-distributed >/dev/null
bin=.build/release/ollama-distributed
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$benchmarks" "$samples" <<'PY'
import json, random, sys
work, count, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(7)
def report(shift):
    benchmarks = []
    for i in range(count):
        center = 1000 * (1 + i % 17)
        # every 50th benchmark is 20% slower in the current report
        factor = 1.2 if shift and i % 50 == 0 else 1.0
        benchmarks.append({"name": f"Bench/{i}", "metrics": [
            {"name": "time", "unit": "ns", "direction": "lower", "deterministic": False,
             "samples": [random.gauss(center * factor, center * 0.03) for _ in range(n)]},
            {"name": "allocations", "unit": "count", "direction": "lower", "deterministic": True,
             "samples": [float(10 + i % 5)] * n}]})
    return {"schema_version": 1, "metadata": {"created_at": "2026-11-29T00:00:00Z"}, "benchmarks": benchmarks}
for name, shift in (("baseline", False), ("current", True)):
    json.dump(report(shift), open(f"{work}/{name}.json", "w"))
PY
ls -la "$work"/*.json | awk '{print $5, $9}'
# Exit code 1 (regressions found) is the expected answer here, so -i.
hyperfine -i --warmup 1 --runs 5 --export-json "$work/hyperfine.json" \
    -n text "$bin compare --baseline $work/baseline.json --current $work/current.json --color never" \
    -n json "$bin compare --baseline $work/baseline.json --current $work/current.json --format json"
"$bin" compare --baseline "$work/baseline.json" --current "$work/current.json" --color never | tail -3 || true
