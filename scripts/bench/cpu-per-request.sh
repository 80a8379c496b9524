#!/usr/bin/env bash
# CPU time per request of running processes, around one run of small non-streaming
# /api/generate requests against 127.0.0.1:PORT (model `fast`, scripts/bench/node-sim-fast.yaml):
# by default wrk at its maximum (scripts/bench/generate.lua); with --rate R, an open loop of R
# requests/s (`ollama-distributed load`, release build), where every request wakes the servers
# from their sleep instead of finding them busy.
# Usage: scripts/bench/cpu-per-request.sh [--duration 10] [--rate R] PORT PID [PID...]
# Prints the request rate and, per PID, (user + system CPU during the run) / requests.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=10
rate=""
while [ $# -gt 0 ]; do
    case "$1" in
        --duration | --rate) [ $# -ge 2 ] || { echo "cpu-per-request.sh: $1 needs a value" >&2; exit 2; } ;;
    esac
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --rate) rate="$2"; shift 2 ;;
        *) break ;;
    esac
done
[[ "$duration" =~ ^[1-9][0-9]*$ ]] || { echo "cpu-per-request.sh: --duration '$duration' is not a whole number of seconds > 0" >&2; exit 2; }
[ -z "$rate" ] || [[ "$rate" =~ ^[1-9][0-9]*$ ]] || { echo "cpu-per-request.sh: --rate '$rate' is not a whole number of requests/s > 0" >&2; exit 2; }
if [ $# -lt 2 ]; then
    echo "cpu-per-request.sh: need a port and at least one process id (usage: [--duration 10] [--rate R] PORT PID [PID...])" >&2
    exit 2
fi
port=$1; shift
[[ "$port" =~ ^[0-9]+$ ]] || { echo "cpu-per-request.sh: port '$port' is not a number" >&2; exit 2; }
for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || { echo "cpu-per-request.sh: no process $pid (give the PIDs of running servers)" >&2; exit 2; }
done
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
declare -A before
for pid in "$@"; do before[$pid]=$(cpu "$pid"); done
if [ -n "$rate" ]; then
    bin=.build/release/ollama-distributed
    [ -x "$bin" ] || { echo "cpu-per-request.sh: --rate needs $bin (swift build -c release --product ollama-distributed)" >&2; exit 2; }
    errors=$(mktemp)
    trap 'rm -f "$errors"' EXIT
    out=$("$bin" load run --url "http://127.0.0.1:$port" --model fast --no-stream --duration "${duration}s" \
        --prompt-tokens 8 --output-tokens 4 --rate "$rate" 2>"$errors") || { cat "$errors" >&2; exit 1; }
    requests=$(echo "$out" | awk '$1 == "requests" {print $2}')
    rps=$(echo "$out" | awk '$1 == "throughput" {print $2}')
else
    out=$(wrk -t 2 -c 64 -d "${duration}s" -s scripts/bench/generate.lua "http://127.0.0.1:$port/api/generate")
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
fi
[[ "${requests:-}" =~ ^[1-9][0-9]*$ ]] || { echo "cpu-per-request.sh: the run answered no requests:" >&2; echo "$out" >&2; exit 1; }
line="port=$port rps=$rps"
for pid in "$@"; do
    used=$(( $(cpu "$pid") - before[$pid] ))
    line="$line $(cat "/proc/$pid/comm")[$pid]=$(python3 -c "print(f'{$used / $ticks / $requests * 1e6:.1f}')")us/request"
done
echo "$line"
