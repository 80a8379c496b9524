#!/usr/bin/env bash
# The load generator measured (docs/benchmarks.md), on loopback against simulated nodes:
#   rate      maximum rate of small non-streaming requests: ollama-distributed load vs wrk vs hey, one run each
#   accuracy  measured TTFT and inter-token medians against the simulator's configured truth
#   open      open loop at a fixed rate: achieved send rate and the client's lag behind the plan
# Every run is bounded by --duration. Usage: scripts/bench-load.sh [--duration 10] [--only NAME]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=10
only=""
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        *) echo "bench-load.sh: unknown argument '$1' (use --duration, --only)" >&2; exit 2 ;;
    esac
done
for tool in wrk hey curl python3; do
    command -v "$tool" >/dev/null || { echo "bench-load.sh: $tool is missing: apt-get install -y wrk hey curl python3" >&2; exit 2; }
done
swift build -c release --product ollama-distributed >/dev/null
bin=.build/release/ollama-distributed
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }
start_sim() { # port args...
    local port=$1; shift
    "$bin" node-sim --port "$port" "$@" >"$work/sim-$port.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/api/version" >/dev/null 2>&1 && return 0; sleep 0.05; done
    echo "bench-load.sh: the simulator on $port did not start" >&2; exit 1
}
echo "# load generator benchmarks, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), ${duration}s per run"

if want rate; then
    start_sim 18801 --config scripts/bench/node-sim-fast.yaml
    echo "## maximum rate: POST /api/generate stream:false (4 tokens), 64 connections"
    wrk -t 2 -c 64 -d "${duration}s" -s scripts/bench/generate.lua http://127.0.0.1:18801/api/generate \
        | awk '/Requests\/sec/ {print "wrk rps=" $2}'
    hey -z "${duration}s" -c 64 -m POST -T application/json -d '{"model":"fast","prompt":"Why is the sky blue?","stream":false}' \
        http://127.0.0.1:18801/api/generate | awk '/Requests\/sec/ {print "hey rps=" $2}'
    "$bin" load --url http://127.0.0.1:18801 --model fast --no-stream --concurrency 64 --duration "${duration}s" \
        --prompt-tokens 5 --output-tokens 4 2>/dev/null | awk '/^throughput/ {print "ollama-distributed-load rps=" $2} /^requests/ {print "  " $0}'
fi

if want accuracy; then
    start_sim 18802 --config scripts/bench/gateway-nodes.yaml --decode-rate 100 --jitter 0
    echo "## accuracy: streamed generate, 30 requests one at a time, 20 tokens at 100 tokens/s (truth: 10 ms gaps)"
    prompt="Explain in a few words why the sky is blue and why sunsets are red."
    echo "{\"prompt\": \"$prompt\", \"max_tokens\": 20}" >"$work/prompts.jsonl"
    "$bin" load --url http://127.0.0.1:18802 --model llama3.2 --concurrency 1 --requests 30 --warmup 2 \
        --prompts "$work/prompts.jsonl" --output "$work/accuracy.json" 2>/dev/null >/dev/null
    # The simulator's own account of the same prompt: prefill time is prompt_eval_duration.
    curl -s http://127.0.0.1:18802/api/generate \
        -d "{\"model\":\"llama3.2\",\"prompt\":\"$prompt\",\"stream\":false,\"options\":{\"num_predict\":20}}" >"$work/truth.json"
    python3 - "$work/accuracy.json" "$work/truth.json" <<'PY'
import json, statistics, sys
report = json.load(open(sys.argv[1]))
truth = json.load(open(sys.argv[2]))
metrics = {m["name"]: m["samples"] for m in report["benchmarks"][0]["metrics"]}
itl = statistics.median(metrics["itl"])
print(f"itl median={itl*1000:.3f}ms truth=10.000ms error={(itl-0.010)*1000:+.3f}ms")
ttft_truth = truth["prompt_eval_duration"] / 1e9 + 0.010
ttft = statistics.median(metrics["ttft"])
print(f"ttft median={ttft*1000:.3f}ms truth={ttft_truth*1000:.3f}ms (prefill {truth['prompt_eval_duration']/1e6:.1f}ms + one 10 ms gap) error={(ttft-ttft_truth)*1000:+.3f}ms")
PY
fi

if want open; then
    start_sim 18803 --config scripts/bench/node-sim-fast.yaml
    echo "## open loop: 500 requests/s, constant arrivals, ${duration}s, streamed"
    "$bin" load --url http://127.0.0.1:18803 --model fast --rate 500 --duration "${duration}s" --prompt-tokens 5 \
        --output-tokens 4 --output "$work/open.json" 2>/dev/null | grep -E "^requests|^elapsed|^lag"
    python3 - "$work/open.json" "$duration" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
metrics = {m["name"]: m["samples"] for m in report["benchmarks"][0]["metrics"]}
sent = len(metrics["e2e"])
print(f"planned={500*float(sys.argv[2]):.0f} completed={sent} achieved_rate={sent/float(sys.argv[2]):.1f}/s (target 500/s)")
PY
fi
