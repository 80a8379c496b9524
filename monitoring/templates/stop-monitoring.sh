#!/usr/bin/env bash
# Stops the monitoring stack that start-monitoring.sh started here: Docker Compose's services,
# or the native processes named in run/*.pid (each checked to be the binary it should be, so a
# reused pid is never killed). Waits at most 10 s per process, then kills it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

if [[ "$(cat run/mode 2>/dev/null)" == docker ]]; then
    compose=(docker compose)
    docker compose version >/dev/null 2>&1 || compose=(docker-compose)
    MONITORING_UID="$(id -u)" MONITORING_GID="$(id -g)" "${compose[@]}" -f docker-compose.yml down
    rm -f run/mode
    exit 0
fi

stopped=0
for pidfile in run/*.pid; do
    [[ -f "$pidfile" ]] || continue
    name="$(basename "$pidfile" .pid)"
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null && grep -q -- "--web.listen-address=127.0.0.1:" "/proc/$pid/cmdline" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "stop-monitoring.sh: $name (pid $pid) did not stop within 10 s; killing it" >&2
            kill -9 "$pid" 2>/dev/null || true
        fi
        echo "stopped $name (pid $pid)"
        stopped=$((stopped + 1))
    fi
    rm -f "$pidfile"
done
rm -f run/mode
[[ $stopped -gt 0 ]] || echo "stop-monitoring.sh: nothing was running in $here"
