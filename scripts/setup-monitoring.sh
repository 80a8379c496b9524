#!/usr/bin/env bash
# Renders the OllamaMax monitoring stack (Prometheus, Alertmanager, node_exporter, Grafana) from
# monitoring/templates/ into monitoring/<environment>/. Nothing is half-written: the files are
# rendered into a temporary directory next to the target and moved into place at the end.
# Secrets (webhook URLs, the PagerDuty key, the SMTP password, the gateway's metrics key,
# Grafana's admin password) are never printed; the rendered files are mode 600 (scripts 700) in
# mode 700 directories. See docs/monitoring-stack.md and docs/monitoring.md.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
templates="$repo/monitoring/templates"

usage() {
    cat <<'USAGE'
usage: scripts/setup-monitoring.sh --environment staging|production [options]

Renders Prometheus, Alertmanager, Grafana and Docker Compose configuration into
monitoring/<environment>/ (or --output-dir), with start-monitoring.sh and stop-monitoring.sh.

  --environment staging|production   required
  --slack-webhook URL        Slack incoming-webhook URL (https://...); or SLACK_WEBHOOK /
                             OLLAMAMAX_SLACK_WEBHOOK in the environment
  --slack-channel NAME       Slack channel (default #alerts)
  --email-alerts ADDR        e-mail address for critical alerts
  --smtp-smarthost HOST:PORT SMTP relay for e-mail (default 127.0.0.1:25)
  --smtp-from ADDR           sender address (default ollamamax-alerts@localhost)
  --smtp-auth-username USER  SMTP login for e-mail (needs a password: --smtp-auth-password or
                             OLLAMAMAX_SMTP_PASSWORD)
  --smtp-auth-password PASS  SMTP password; or OLLAMAMAX_SMTP_PASSWORD
  --pagerduty-key KEY        PagerDuty Events API v2 integration key (32 letters and digits);
                             or OLLAMAMAX_PAGERDUTY_KEY
  --webhook URL              generic webhook (http:// or https://); or OLLAMAMAX_WEBHOOK_URL
  --gateway HOST:PORT        the gateway Prometheus scrapes (default 127.0.0.1:8080)
  --metrics-key KEY          an API key with the metrics (or admin) role for a gateway that has
                             keys; or OLLAMAMAX_METRICS_KEY. Written to secrets/gateway-metrics-key,
                             which the scrape job's authorization block reads (credentials_file)
  --prometheus-port N        default 9090
  --alertmanager-port N      default 9093
  --grafana-port N           default 3000
  --node-exporter-port N     default 9100
  --output-dir DIR           render here instead of monitoring/<environment>/
  --test-timing              test-only: scrape and evaluate every 1s, every rule's `for` 0s,
                             Alertmanager groups after 1s (used by the end-to-end test)
  -h, --help                 this text

Secrets given as flags are visible in `ps` while this script runs; the environment variables
above avoid that.
USAGE
}

fail() {
    echo "setup-monitoring.sh: $1" >&2
    echo "usage: scripts/setup-monitoring.sh --environment staging|production [options]; --help lists the options" >&2
    exit 2
}

# The environment variable each secret option also reads (the seed's examples use SLACK_WEBHOOK).
env_hint() {
    case "$1" in
        --slack-webhook) echo "SLACK_WEBHOOK" ;;
        --pagerduty-key) echo "OLLAMAMAX_PAGERDUTY_KEY" ;;
        --webhook) echo "OLLAMAMAX_WEBHOOK_URL" ;;
        --metrics-key) echo "OLLAMAMAX_METRICS_KEY" ;;
        --smtp-auth-password) echo "OLLAMAMAX_SMTP_PASSWORD" ;;
        *) echo "" ;;
    esac
}

# missing_value OPTION NEXT HAS_NEXT: says which option lacks its value, what came instead, and
# (for secrets) the likely cause: an unset shell variable, and the variable to export instead.
missing_value() {
    local option="$1" next="$2" has_next="$3" variable
    variable="$(env_hint "$option")"
    local what="has no value"
    if [[ "$has_next" == 1 && -n "$next" ]]; then
        what="has no value (the next argument is the option $next)"
    elif [[ "$has_next" == 1 ]]; then
        what="has an empty value"
    fi
    if [[ -n "$variable" ]]; then
        fail "$option $what: if you wrote $option \$$variable, $variable is unset or empty; export $variable=... (the script reads it from the environment, so the flag can go) or leave the option out"
    fi
    fail "$option $what: give it a value, e.g. $option $(example_value "$option")"
}

example_value() {
    case "$1" in
        --environment) echo "production" ;;
        --email-alerts | --smtp-from) echo "ops@example.com" ;;
        --smtp-smarthost) echo "smtp.example.com:587" ;;
        --smtp-auth-username) echo "alerts@example.com" ;;
        --slack-channel) echo "'#alerts'" ;;
        --gateway) echo "127.0.0.1:8080" ;;
        --output-dir) echo "monitoring/custom" ;;
        *) echo "9090" ;;
    esac
}

environment=""
slack="${OLLAMAMAX_SLACK_WEBHOOK:-${SLACK_WEBHOOK:-}}"
slack_channel="#alerts"
email=""
smarthost="127.0.0.1:25"
smtp_from="ollamamax-alerts@localhost"
pagerduty="${OLLAMAMAX_PAGERDUTY_KEY:-}"
webhook="${OLLAMAMAX_WEBHOOK_URL:-}"
metrics_key="${OLLAMAMAX_METRICS_KEY:-}"
smtp_username=""
smtp_password="${OLLAMAMAX_SMTP_PASSWORD:-}"
gateway="127.0.0.1:8080"
prometheus_port=9090
alertmanager_port=9093
grafana_port=3000
node_exporter_port=9100
output=""
test_timing=0

if [[ $# -eq 0 ]]; then
    usage >&2
    exit 2
fi
while [[ $# -gt 0 ]]; do
    option="$1"
    case "$option" in
        -h | --help) usage; exit 0 ;;
        --test-timing) test_timing=1; shift; continue ;;
        --environment | --slack-webhook | --slack-channel | --email-alerts | --smtp-smarthost | --smtp-from | \
            --pagerduty-key | --webhook | --gateway | --prometheus-port | --alertmanager-port | --grafana-port | \
            --node-exporter-port | --output-dir | --metrics-key | --smtp-auth-username | --smtp-auth-password)
            # `--slack-webhook $SLACK_WEBHOOK` with the variable unset or empty reaches us as
            # `--slack-webhook --email-alerts ...`: a value that is missing, empty or another
            # option is refused by name instead of being taken as the value.
            if [[ $# -lt 2 || -z "$2" || "$2" == --* ]]; then
                missing_value "$option" "${2-}" "$(($# >= 2))"
            fi
            value="$2"
            shift 2
            ;;
        *) fail "unknown option \"$option\"" ;;
    esac
    case "$option" in
        --environment) environment="$value" ;;
        --slack-webhook) slack="$value" ;;
        --slack-channel) slack_channel="$value" ;;
        --email-alerts) email="$value" ;;
        --smtp-smarthost) smarthost="$value" ;;
        --smtp-from) smtp_from="$value" ;;
        --pagerduty-key) pagerduty="$value" ;;
        --webhook) webhook="$value" ;;
        --gateway) gateway="$value" ;;
        --prometheus-port) prometheus_port="$value" ;;
        --alertmanager-port) alertmanager_port="$value" ;;
        --grafana-port) grafana_port="$value" ;;
        --node-exporter-port) node_exporter_port="$value" ;;
        --output-dir) output="$value" ;;
        --metrics-key) metrics_key="$value" ;;
        --smtp-auth-username) smtp_username="$value" ;;
        --smtp-auth-password) smtp_password="$value" ;;
    esac
done

# Validation: every problem names the option; secret values are never repeated back.
url_pattern='^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~:/?#@!$&*+,;=%-]*)?$'
email_pattern='^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$'
case "$environment" in
    staging | production) ;;
    "") fail "--environment is required: staging or production" ;;
    *) fail "--environment \"$environment\" is unknown: use staging or production" ;;
esac
if [[ -n "$slack" && ! "$slack" =~ $url_pattern ]]; then
    fail "--slack-webhook is not an http(s) URL such as https://hooks.slack.com/services/... (the value is not shown: it is a secret)"
fi
if [[ -n "$webhook" && ! "$webhook" =~ $url_pattern ]]; then
    fail "--webhook is not an http(s) URL such as https://alerts.example.com/hook (the value is not shown: it may hold a token)"
fi
if [[ -n "$pagerduty" && ! "$pagerduty" =~ ^[A-Za-z0-9]{32}$ ]]; then
    fail "--pagerduty-key is not a PagerDuty Events API v2 integration key (32 letters and digits; the value is not shown)"
fi
if [[ -n "$email" && ! "$email" =~ $email_pattern ]]; then
    fail "--email-alerts \"$email\" is not an e-mail address such as ops@example.com"
fi
# A key is sent as a Bearer token: printable ASCII without spaces (what a key file's keys are).
if [[ -n "$metrics_key" && ! "$metrics_key" =~ ^[!-~]+$ ]]; then
    fail "--metrics-key holds spaces or characters outside printable ASCII; give the key itself (the value is not shown: it is a secret)"
fi
if [[ -n "$smtp_password" && "$smtp_password" =~ [[:cntrl:]] ]]; then
    fail "--smtp-auth-password holds a control character such as a newline (the value is not shown: it is a secret)"
fi
if [[ -n "$smtp_username" && ! "$smtp_username" =~ ^[!-~]+$ ]]; then
    fail "--smtp-auth-username \"$smtp_username\" holds spaces or characters outside printable ASCII"
fi
if [[ -n "$smtp_username" && -z "$smtp_password" ]]; then
    fail "--smtp-auth-username needs a password: export OLLAMAMAX_SMTP_PASSWORD=... (or --smtp-auth-password)"
fi
if [[ -n "$smtp_password" && -z "$smtp_username" ]]; then
    fail "an SMTP password (--smtp-auth-password or OLLAMAMAX_SMTP_PASSWORD) needs --smtp-auth-username"
fi
if [[ -n "$smtp_username" && -z "$email" ]]; then
    fail "--smtp-auth-username is for e-mail alerts: add --email-alerts ADDR"
fi
[[ "$smtp_from" =~ $email_pattern ]] || fail "--smtp-from \"$smtp_from\" is not an e-mail address such as alerts@example.com"
[[ "$smarthost" =~ ^[A-Za-z0-9.-]+:[0-9]{1,5}$ ]] || fail "--smtp-smarthost \"$smarthost\" is not HOST:PORT, such as smtp.example.com:587"
[[ "$slack_channel" =~ ^[#@]?[A-Za-z0-9._-]+$ ]] || fail "--slack-channel \"$slack_channel\" is not a channel name such as #alerts"
[[ "$gateway" =~ ^[A-Za-z0-9.-]+:[0-9]{1,5}$ ]] || fail "--gateway \"$gateway\" is not HOST:PORT, such as 127.0.0.1:8080"
for pair in "prometheus-port:$prometheus_port" "alertmanager-port:$alertmanager_port" \
    "grafana-port:$grafana_port" "node-exporter-port:$node_exporter_port"; do
    name="${pair%%:*}"
    port="${pair#*:}"
    if [[ ! "$port" =~ ^[0-9]{1,5}$ ]] || ((port < 1 || port > 65535)); then
        fail "--$name \"$port\" is not a TCP port (1-65535)"
    fi
done
ports=("$prometheus_port" "$alertmanager_port" "$grafana_port" "$node_exporter_port")
if [[ $(printf '%s\n' "${ports[@]}" | sort -u | wc -l) -ne 4 ]]; then
    fail "the Prometheus, Alertmanager, Grafana and node_exporter ports must differ (got ${ports[*]})"
fi

target="${output:-$repo/monitoring/$environment}"
target="${target%/}"
parent="$(dirname "$target")"
mkdir -p "$parent"
for pidfile in "$target"/run/*.pid; do
    [[ -f "$pidfile" ]] || continue
    if kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "setup-monitoring.sh: the stack in $target is running ($(basename "$pidfile" .pid)); stop it first with $target/stop-monitoring.sh" >&2
        exit 1
    fi
done

umask 077
staging_dir="$(mktemp -d "$parent/.setup-monitoring.XXXXXX")"
trap 'rm -rf "$staging_dir"' EXIT

if ((test_timing)); then
    scrape_interval=1s evaluation_interval=1s group_wait=1s group_interval=1s repeat_interval=1m
else
    scrape_interval=15s evaluation_interval=15s group_wait=30s group_interval=5m repeat_interval=4h
fi

# fill FILE: replaces every @NAME@ placeholder with the value of the shell variable fill_NAME.
fill() {
    local file="$1" name value
    for name in $(grep -o '@[A-Z_]*@' "$file" | sort -u | tr -d '@'); do
        value_var="fill_$name"
        [[ -n "${!value_var+set}" ]] || { echo "setup-monitoring.sh: $file: no value for @$name@" >&2; exit 1; }
        value="${!value_var}"
        NAME="@$name@" VALUE="$value" awk '{ while ((i = index($0, ENVIRON["NAME"])) > 0) { $0 = substr($0, 1, i - 1) ENVIRON["VALUE"] substr($0, i + length(ENVIRON["NAME"])) } print }' \
            "$file" >"$file.tmp"
        mv "$file.tmp" "$file"
    done
}

# Receivers: critical alerts go everywhere configured, warnings to Slack and the webhook.
slack_config() {
    cat <<EOF
    slack_configs:
      - api_url: "$slack"
        channel: "$slack_channel"
        send_resolved: true
        title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})'
        text: '{{ range .Alerts }}{{ .Annotations.summary }}{{ "\n" }}{{ .Annotations.description }}{{ "\n" }}Runbook: {{ .Annotations.runbook }}{{ "\n" }}{{ end }}'
EOF
}
webhook_config() {
    cat <<EOF
    webhook_configs:
      - url: "$webhook"
        send_resolved: true
EOF
}
critical=""
warning=""
if [[ -n "$pagerduty" ]]; then
    critical+=$(
        cat <<EOF
    pagerduty_configs:
      - routing_key: "$pagerduty"
        severity: critical
        description: '{{ .CommonAnnotations.summary }}'
        send_resolved: true
EOF
    )$'\n'
fi
if [[ -n "$email" ]]; then
    critical+=$(
        cat <<EOF
    email_configs:
      - to: "$email"
        send_resolved: true
EOF
    )$'\n'
fi
if [[ -n "$slack" ]]; then
    critical+="$(slack_config)"$'\n'
    warning+="$(slack_config)"$'\n'
fi
if [[ -n "$webhook" ]]; then
    critical+="$(webhook_config)"$'\n'
    warning+="$(webhook_config)"$'\n'
fi
global=""
if [[ -n "$email" ]]; then
    global="  smtp_smarthost: \"$smarthost\""$'\n'"  smtp_from: \"$smtp_from\""
fi
if [[ -n "$smtp_username" ]]; then
    # A YAML double-quoted string: backslashes and quotes escaped (control characters were refused).
    escaped="${smtp_password//\\/\\\\}"
    escaped="${escaped//\"/\\\"}"
    global+=$'\n'"  smtp_auth_username: \"$smtp_username\""$'\n'"  smtp_auth_password: \"$escaped\""
fi
# A gateway with API keys serves /metrics off loopback only with a metrics or admin key
# (docs/security.md): the scrape job sends it from a file, so the key stays out of prometheus.yml.
authorization=""
key_volume=""
if [[ -n "$metrics_key" ]]; then
    authorization="    authorization:"$'\n'"      type: Bearer"$'\n'"      credentials_file: secrets/gateway-metrics-key"
    key_volume="      - ./secrets/gateway-metrics-key:/etc/prometheus/secrets/gateway-metrics-key:ro"
fi

fill_ENVIRONMENT="$environment"
fill_SCRAPE_INTERVAL="$scrape_interval"
fill_EVALUATION_INTERVAL="$evaluation_interval"
fill_GATEWAY="$gateway"
fill_GATEWAY_AUTHORIZATION="$authorization"
fill_PROMETHEUS_KEY_VOLUME="$key_volume"
fill_PROMETHEUS_PORT="$prometheus_port"
fill_ALERTMANAGER_PORT="$alertmanager_port"
fill_GRAFANA_PORT="$grafana_port"
fill_NODE_EXPORTER_PORT="$node_exporter_port"
fill_GROUP_WAIT="$group_wait"
fill_GROUP_INTERVAL="$group_interval"
fill_REPEAT_INTERVAL="$repeat_interval"
fill_GLOBAL="$global"
fill_CRITICAL="${critical%$'\n'}"
fill_WARNING="${warning%$'\n'}"

mkdir -p "$staging_dir/rules" "$staging_dir/secrets" "$staging_dir/grafana/provisioning/datasources" \
    "$staging_dir/grafana/provisioning/dashboards" "$staging_dir/grafana/dashboards"
cp "$templates/prometheus.yml" "$templates/alertmanager.yml" "$templates/docker-compose.yml" \
    "$templates/start-monitoring.sh" "$templates/stop-monitoring.sh" "$staging_dir/"
cp "$templates/rules/ollamamax-alerts.yml" "$staging_dir/rules/"
cp "$templates/grafana/provisioning/datasources/prometheus.yml" "$staging_dir/grafana/provisioning/datasources/"
cp "$templates/grafana/provisioning/dashboards/ollamamax.yml" "$staging_dir/grafana/provisioning/dashboards/"
cp "$templates/grafana/dashboards/ollamamax-gateway.json" "$staging_dir/grafana/dashboards/"
for file in prometheus.yml alertmanager.yml docker-compose.yml grafana/provisioning/datasources/prometheus.yml; do
    fill "$staging_dir/$file"
done
if ((test_timing)); then
    # Every alert fires on its first true evaluation, so a test need not wait minutes.
    sed -E -i 's/^(        for:) .*/\1 0s/' "$staging_dir/rules/ollamamax-alerts.yml"
fi
cat >"$staging_dir/monitoring.env" <<EOF
# Written by scripts/setup-monitoring.sh; read by start-monitoring.sh and Docker Compose.
OLLAMAMAX_ENVIRONMENT=$environment
PROMETHEUS_PORT=$prometheus_port
ALERTMANAGER_PORT=$alertmanager_port
GRAFANA_PORT=$grafana_port
NODE_EXPORTER_PORT=$node_exporter_port
EOF
head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$staging_dir/secrets/grafana-admin-password"
if [[ -n "$metrics_key" ]]; then
    printf '%s\n' "$metrics_key" >"$staging_dir/secrets/gateway-metrics-key"
fi

# Permissions: nothing is readable by other users (alertmanager.yml and secrets/ hold secrets;
# the containers run as the invoking user); directories and scripts 700, files 600.
find "$staging_dir" -type d -exec chmod 700 {} +
find "$staging_dir" -type f -exec chmod 600 {} +
chmod 700 "$staging_dir/start-monitoring.sh" "$staging_dir/stop-monitoring.sh"

# Move into place, keeping the data, logs and run state of an earlier setup.
if [[ -d "$target" ]]; then
    for keep in data logs run; do
        [[ -e "$target/$keep" ]] && mv "$target/$keep" "$staging_dir/$keep"
    done
    old="$(mktemp -d "$parent/.setup-monitoring-old.XXXXXX")"
    mv "$target" "$old/previous"
    mv "$staging_dir" "$target"
    rm -rf "$old"
else
    mv "$staging_dir" "$target"
fi
trap - EXIT

configured=()
[[ -n "$slack" ]] && configured+=("Slack ($slack_channel)")
[[ -n "$email" ]] && configured+=("e-mail to $email")
[[ -n "$pagerduty" ]] && configured+=("PagerDuty")
[[ -n "$webhook" ]] && configured+=("webhook")
echo "Rendered the $environment monitoring stack into $target"
if [[ ${#configured[@]} -gt 0 ]]; then
    echo "Alert receivers: $(IFS=,; echo "${configured[*]}" | sed 's/,/, /g')"
else
    echo "Alert receivers: none configured (alerts are visible in Alertmanager only)"
fi
echo "Grafana admin password: in $target/secrets/grafana-admin-password"
if [[ -n "$metrics_key" ]]; then
    echo "Gateway scrape: Bearer key from $target/secrets/gateway-metrics-key"
fi
echo "Start it with: $target/start-monitoring.sh"
