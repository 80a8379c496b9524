#!/usr/bin/env bash
# Measures the simulated node alone with wrk and hey, so a gateway benchmark can show the
# simulator is never its bottleneck. Loopback only; every run is bounded by --duration.
#
#   scripts/bench-node-sim.sh [--duration 10] [--connections 64] [--port 18434]
set -euo pipefail
cd "$(dirname "$0")/.."

duration=10
connections=64
port=18434
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        *) echo "bench-node-sim.sh: unknown argument '$1' (use --duration, --connections, --port)" >&2; exit 2 ;;
    esac
done
for tool in wrk hey; do
    command -v "$tool" >/dev/null || { echo "bench-node-sim.sh: $tool is missing: apt-get install -y wrk hey" >&2; exit 2; }
done

swift build -c release --product ollama-distributed >/dev/null
binary=.build/release/ollama-distributed
log=$(mktemp)
"$binary" node-sim --config scripts/bench/node-sim-fast.yaml --port "$port" >"$log" 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
grep -q "listening on" "$log" || { echo "simulator did not start:" >&2; cat "$log" >&2; exit 1; }
url="http://127.0.0.1:$port"
curl -sf "$url/api/generate" -d '{"model":"fast","prompt":"warm","stream":false}' >/dev/null

echo "# node-sim alone: $connections connections, ${duration}s each, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "## wrk GET /api/version"
wrk -t 2 -c "$connections" -d "${duration}s" --latency "$url/api/version"
echo "## wrk POST /api/generate (stream:false, 4 tokens)"
wrk -t 2 -c "$connections" -d "${duration}s" --latency -s scripts/bench/generate.lua "$url/api/generate"
echo "## hey POST /api/generate (stream:false, 4 tokens)"
hey -z "${duration}s" -c "$connections" -m POST -T application/json \
    -d '{"model":"fast","prompt":"Why is the sky blue?","stream":false}' "$url/api/generate"
