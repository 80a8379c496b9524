#!/usr/bin/env bash
# Heap allocations (libc malloc calls) per request of running processes, around a bounded open
# loop of small non-streaming /api/generate requests against 127.0.0.1:PORT (model `fast`,
# scripts/bench/node-sim-fast.yaml): `ollama-distributed load run --requests N --rate R`
# (release build). Unlike CPU time, the count does not depend on how busy the machine is, so
# one run shows what a change to the request path saved.
# Counts with a perf uprobe on malloc in the libc the first PID maps (needs perf and root, or
# perf_event_paranoid <= 1 and access to tracefs); the probe is removed again if this added it.
# Background work of the processes (node probes, timers) during the run is included; a first,
# uncounted run of the same shape warms the servers up.
# Usage: scripts/bench/allocs-per-request.sh [--requests 2000] [--rate 1000] PORT PID [PID...]
set -euo pipefail
cd "$(dirname "$0")/../.."
requests=2000
rate=1000
while [ $# -gt 0 ]; do
    case "$1" in
        --requests | --rate) [ $# -ge 2 ] || { echo "allocs-per-request.sh: $1 needs a value" >&2; exit 2; } ;;
    esac
    case "$1" in
        --requests) requests="$2"; shift 2 ;;
        --rate) rate="$2"; shift 2 ;;
        *) break ;;
    esac
done
[[ "$requests" =~ ^[1-9][0-9]*$ ]] || { echo "allocs-per-request.sh: --requests '$requests' is not a whole number > 0" >&2; exit 2; }
[[ "$rate" =~ ^[1-9][0-9]*$ ]] || { echo "allocs-per-request.sh: --rate '$rate' is not a whole number of requests/s > 0" >&2; exit 2; }
if [ $# -lt 2 ]; then
    echo "allocs-per-request.sh: need a port and at least one process id (usage: [--requests N] [--rate R] PORT PID [PID...])" >&2
    exit 2
fi
port=$1; shift
[[ "$port" =~ ^[0-9]+$ ]] || { echo "allocs-per-request.sh: port '$port' is not a number" >&2; exit 2; }
for pid in "$@"; do
    [ -r "/proc/$pid/maps" ] || { echo "allocs-per-request.sh: no process $pid (give the PIDs of running servers)" >&2; exit 2; }
done
command -v perf >/dev/null || { echo "allocs-per-request.sh: needs perf (apt-get install linux-perf)" >&2; exit 2; }
bin=.build/release/ollama-distributed
[ -x "$bin" ] || { echo "allocs-per-request.sh: needs $bin (swift build -c release --product ollama-distributed)" >&2; exit 2; }
libc=$(awk '$6 ~ /\/libc\.so\.6$/ {print $6; exit}' "/proc/$1/maps")
[ -n "$libc" ] || { echo "allocs-per-request.sh: process $1 maps no libc.so.6" >&2; exit 2; }

work=$(mktemp -d)
added=""
cleanup() {
    for job in $(jobs -p); do kill -INT "$job" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -z "$added" ] || perf probe -q -d probe_libc:malloc >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
probes=$(perf probe -l 2>/dev/null || true)
if [[ "$probes" != *"probe_libc:malloc "* ]]; then
    perf probe -q -x "$libc" malloc >"$work/probe.log" 2>&1 \
        || { echo "allocs-per-request.sh: cannot add a uprobe on malloc in $libc (root or tracefs access needed):" >&2; cat "$work/probe.log" >&2; exit 1; }
    added=1
fi
drive() {
    "$bin" load run --url "http://127.0.0.1:$port" --model fast --no-stream --requests "$requests" --rate "$rate" \
        --prompt-tokens 8 --output-tokens 4 2>"$work/load.err" || { cat "$work/load.err" >&2; exit 1; }
}
# A first, uncounted run of the same shape fills the servers' connection pools and caches, so
# the count is of the steady state (a cold gateway's first run also counts its node connects).
drive >/dev/null
for pid in "$@"; do
    perf stat -x, -e probe_libc:malloc -p "$pid" -o "$work/count-$pid" &
done
sleep 0.5  # perf attaches to the processes before the first request
out=$(drive)
for job in $(jobs -p); do kill -INT "$job"; done
wait
answered=$(echo "$out" | awk '$1 == "requests" {print $4}')
[[ "${answered:-}" =~ ^[1-9][0-9]*$ ]] || { echo "allocs-per-request.sh: the run answered no requests:" >&2; echo "$out" >&2; exit 1; }
line="port=$port requests=$answered"
for pid in "$@"; do
    count=$(awk -F, '$3 == "probe_libc:malloc" {print $1}' "$work/count-$pid")
    [[ "${count:-}" =~ ^[0-9]+$ ]] || { echo "allocs-per-request.sh: perf counted nothing for $pid:" >&2; cat "$work/count-$pid" >&2; exit 1; }
    line="$line $(cat "/proc/$pid/comm")[$pid]=$(python3 -c "print(f'{$count / $answered:.1f}')")mallocs/request"
done
echo "$line"
