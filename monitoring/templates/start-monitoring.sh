#!/usr/bin/env bash
# Starts the OllamaMax monitoring stack rendered here by scripts/setup-monitoring.sh: with Docker
# Compose when a Docker engine answers, otherwise natively from the Debian binaries
# (prometheus, prometheus-alertmanager, prometheus-node-exporter) on 127.0.0.1, with logs in
# logs/ and pid files in run/. Grafana is not packaged in Debian's main archive, so natively it
# is not started. Stop it with stop-monitoring.sh.
#   start-monitoring.sh [--native | --docker]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
# shellcheck source=/dev/null
source ./monitoring.env

mode=auto
case "${1:-}" in
    "") ;;
    --native) mode=native ;;
    --docker) mode=docker ;;
    -h | --help) echo "usage: $0 [--native | --docker]"; exit 0 ;;
    *) echo "start-monitoring.sh: unknown option \"$1\"; usage: $0 [--native | --docker]" >&2; exit 2 ;;
esac
if [[ $mode == auto ]]; then
    if command -v docker >/dev/null && docker info >/dev/null 2>&1; then mode=docker; else mode=native; fi
fi

# port_in_use PORT: something accepts connections on 127.0.0.1:PORT.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# http_ok PORT PATH: a GET answers 200 within 2 seconds.
http_ok() {
    local status=""
    { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
    read -r -t 2 status <&3 || true
    exec 3>&-
    [[ "$status" == *" 200 "* ]]
}

check_ports() {
    local name port
    for pair in "$@"; do
        name="${pair%%:*}"
        port="${pair#*:}"
        if port_in_use "$port"; then
            echo "start-monitoring.sh: port $port ($name) is already in use on 127.0.0.1; stop what listens there (ss -ltnp 'sport = :$port') or render with another port (scripts/setup-monitoring.sh --${name}-port N)" >&2
            exit 1
        fi
    done
}

mkdir -p data/prometheus data/alertmanager data/grafana logs run
chmod 700 data logs run

if [[ $mode == docker ]]; then
    compose=(docker compose)
    docker compose version >/dev/null 2>&1 || compose=(docker-compose)
    check_ports "prometheus:$PROMETHEUS_PORT" "alertmanager:$ALERTMANAGER_PORT" "grafana:$GRAFANA_PORT" \
        "node-exporter:$NODE_EXPORTER_PORT"
    MONITORING_UID="$(id -u)" MONITORING_GID="$(id -g)" "${compose[@]}" -f docker-compose.yml up -d
    echo docker >run/mode
    echo "Prometheus:   http://127.0.0.1:$PROMETHEUS_PORT"
    echo "Grafana:      http://127.0.0.1:$GRAFANA_PORT (user admin, password in $here/secrets/grafana-admin-password)"
    echo "Alertmanager: http://127.0.0.1:$ALERTMANAGER_PORT"
    exit 0
fi

for pidfile in run/*.pid; do
    [[ -f "$pidfile" ]] || continue
    if kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "start-monitoring.sh: $(basename "$pidfile" .pid) is already running (pid $(cat "$pidfile")); stop the stack first with $here/stop-monitoring.sh" >&2
        exit 1
    fi
    rm -f "$pidfile"
done

# find_binary NAME...: the first of the names on PATH.
find_binary() {
    local name
    for name in "$@"; do
        if command -v "$name" >/dev/null; then command -v "$name"; return 0; fi
    done
    return 1
}
prometheus=$(find_binary prometheus) ||
    { echo "start-monitoring.sh: prometheus is not installed: apt-get install prometheus, or use Docker" >&2; exit 1; }
alertmanager=$(find_binary prometheus-alertmanager alertmanager) ||
    { echo "start-monitoring.sh: alertmanager is not installed: apt-get install prometheus-alertmanager, or use Docker" >&2; exit 1; }
node_exporter=$(find_binary prometheus-node-exporter node_exporter) ||
    { echo "start-monitoring.sh: node_exporter is not installed: apt-get install prometheus-node-exporter, or use Docker" >&2; exit 1; }
check_ports "prometheus:$PROMETHEUS_PORT" "alertmanager:$ALERTMANAGER_PORT" "node-exporter:$NODE_EXPORTER_PORT"

started=()
stop_started() {
    for name in "${started[@]}"; do
        kill "$(cat "run/$name.pid")" 2>/dev/null || true
        rm -f "run/$name.pid"
    done
}

# launch NAME PORT READY_PATH COMMAND...: starts it in the background and waits (at most 30 s)
# until READY_PATH answers 200; on failure prints the log's end and stops what was started.
launch() {
    local name="$1" port="$2" path="$3"
    shift 3
    (
        # Close every inherited descriptor but stdin/out/err: a daemon holding its launcher's
        # pipes or sockets keeps whoever ran this script waiting for them to close.
        for fd in /proc/self/fd/*; do
            fd="${fd##*/}"
            if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
        done
        exec nohup "$@"
    ) >"logs/$name.log" 2>&1 </dev/null &
    echo $! >"run/$name.pid"
    started+=("$name")
    local pid=$!
    for _ in $(seq 1 300); do
        if http_ok "$port" "$path"; then return 0; fi
        if ! kill -0 "$pid" 2>/dev/null; then break; fi
        sleep 0.1
    done
    echo "start-monitoring.sh: $name did not become ready on 127.0.0.1:$port; the end of logs/$name.log:" >&2
    tail -n 20 "logs/$name.log" >&2
    stop_started
    exit 1
}

launch node-exporter "$NODE_EXPORTER_PORT" /metrics \
    "$node_exporter" --web.listen-address="127.0.0.1:$NODE_EXPORTER_PORT"
launch alertmanager "$ALERTMANAGER_PORT" /-/ready \
    "$alertmanager" --config.file="$here/alertmanager.yml" --storage.path="$here/data/alertmanager" \
    --web.listen-address="127.0.0.1:$ALERTMANAGER_PORT" --cluster.listen-address=
launch prometheus "$PROMETHEUS_PORT" /-/ready \
    "$prometheus" --config.file="$here/prometheus.yml" --storage.tsdb.path="$here/data/prometheus" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT"
echo native >run/mode

echo "Prometheus:    http://127.0.0.1:$PROMETHEUS_PORT"
echo "Alertmanager:  http://127.0.0.1:$ALERTMANAGER_PORT"
echo "node_exporter: http://127.0.0.1:$NODE_EXPORTER_PORT/metrics"
echo "Grafana is not started: Debian's main archive has no Grafana package. Run this stack with Docker" \
    "(start-monitoring.sh --docker), or install Grafana separately and point it at" \
    "$here/grafana/provisioning (datasource and dashboards)."
echo "Logs in $here/logs, pids in $here/run; stop with $here/stop-monitoring.sh"
