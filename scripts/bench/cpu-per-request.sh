#!/usr/bin/env bash
# CPU time per request of running processes, around one wrk run of small non-streaming
# /api/generate requests (scripts/bench/generate.lua) against 127.0.0.1:PORT.
# Usage: scripts/bench/cpu-per-request.sh [--duration 10] PORT PID [PID...]
# Prints the request rate and, per PID, (user + system CPU during the run) / requests.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=10
if [ "${1:-}" = "--duration" ]; then duration="$2"; shift 2; fi
if [ $# -lt 2 ]; then
    echo "cpu-per-request.sh: need a port and at least one process id (usage: [--duration 10] PORT PID [PID...])" >&2
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
out=$(wrk -t 2 -c 64 -d "${duration}s" -s scripts/bench/generate.lua "http://127.0.0.1:$port/api/generate")
requests=$(echo "$out" | awk '/requests in/ {print $1}')
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
line="port=$port rps=$rps"
for pid in "$@"; do
    used=$(( $(cpu "$pid") - before[$pid] ))
    line="$line $(cat "/proc/$pid/comm")[$pid]=$(python3 -c "print(f'{$used / $ticks / $requests * 1e6:.1f}')")us/request"
done
echo "$line"
