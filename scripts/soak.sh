#!/usr/bin/env bash
# The fault soak (docs/load-testing.md, "Fault soak"; results in docs/benchmarks.md): three
# simulated nodes with faults on (errors, mid-stream failures, hangs) and a gateway over them as
# child processes on 127.0.0.1, 1,000 concurrent streaming clients for 10 minutes, one node
# SIGKILLed and restarted on its port every minute; the gateway's RSS and the counts every 10 s,
# then a summary and the goals (RSS flat, no hangs, no malformed lines). Exits 0 when the goals
# hold, 1 when not, 2 for bad arguments. Not part of the unit suite (a short run is:
# SoakCommandTests). Arguments go to `ollama-distributed soak` (--help lists them), e.g.
#   scripts/soak.sh --duration 10m --streams 1000 --kill-interval 60s --json soak.json
# OLLAMAMAX_SCRATCH_PATH: the release build folder (default .build-release, so that a debug
# build holding .build does not wait for it).
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="${OLLAMAMAX_SCRATCH_PATH:-.build-release}"
swift build -c release --scratch-path "$scratch" --product ollama-distributed >/dev/null
# Every stream holds a socket in the client and two in the gateway: raise the open-file limit
# as far as the hard limit allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 4096 ]; then
    echo "soak.sh: the open-file limit is $(ulimit -n); 1,000 streams need about 3,500 (raise it with ulimit -n)" >&2
fi
exec "$scratch/release/ollama-distributed" soak "$@"
