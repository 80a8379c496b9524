#!/usr/bin/env bash
# The project's test command: installs what the tests need, builds with warnings checked,
# and runs every test. Works on a fresh machine; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use, each checked by a command or a file it installs; the missing
# ones are installed in one apt-get run.
#   python3-venv             the official ollama and openai clients (Tests/clients, in .venv)
#   prometheus               promtool and a real Prometheus (PrometheusScrapeTests, Monitoring/)
#   prometheus-alertmanager  amtool and a real Alertmanager (Tests/GatewayTests/Monitoring)
#   prometheus-node-exporter the native monitoring stack (start-monitoring.sh)
#   libsqlite3-dev           GRDB, the history store, links the system SQLite
#   librsvg2-bin             rsvg-convert turns the SVG charts into PNGs (ChartsTests)
#   chromium                 loads the HTML report headless (ChartsTests)
#   fonts-dejavu-core        fonts for the PNG charts and the HTML report
#   linux-perf               perf, behind /debug/pprof/profile (CPUProfilerTests, DebugRoutesTests)
#   openssl                  a private CA and server certificates made at test time (TLSSettingsTests, TLSProcessTests)
#   golang-go                `go tool pprof` reads the gateway's CPU profiles (PprofProfileTests)
#   nginx                    round robin over two gateway replicas (NginxBalancerTests, bench's -nginx variants)
missing=()
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
{ command -v prometheus && command -v promtool; } >/dev/null 2>&1 || missing+=(prometheus)
{ command -v amtool && command -v prometheus-alertmanager; } >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
command -v prometheus-node-exporter >/dev/null 2>&1 || missing+=(prometheus-node-exporter)
dpkg -s libsqlite3-dev >/dev/null 2>&1 || missing+=(libsqlite3-dev)
command -v rsvg-convert >/dev/null 2>&1 || missing+=(librsvg2-bin)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
command -v perf >/dev/null 2>&1 || missing+=(linux-perf)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
{ command -v go || [ -x /usr/lib/go/bin/go ]; } >/dev/null 2>&1 || missing+=(golang-go)
{ command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null 2>&1 || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
    echo "test.sh: installing ${missing[*]} (Debian packages the tests need)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    # The packages start system services on :9090, :9093, :9100 and :80; the tests start their own on free ports.
    for service in prometheus prometheus-alertmanager prometheus-node-exporter nginx; do
        systemctl stop "$service" >/dev/null 2>&1 || service "$service" stop >/dev/null 2>&1 || true
    done
fi
if ! .venv/bin/python -c 'import ollama, openai, anthropic, pytest' >/dev/null 2>&1; then
    echo "test.sh: creating .venv with the pinned Python clients (Tests/clients/requirements.txt)" >&2
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r Tests/clients/requirements.txt
fi
# actionlint checks the GitHub workflows (Tests/OllamaMaxCLITests/WorkflowLintTests.swift);
# aiosmtpd is the SMTP server of the e-mail notification tests; playwright drives Chromium for
# the dashboard checks.
if ! { .venv/bin/actionlint -version && .venv/bin/python -c 'import aiosmtpd, playwright'; } >/dev/null 2>&1; then
    echo "test.sh: installing actionlint, aiosmtpd and playwright into .venv (Tests/tools/requirements.txt)" >&2
    [ -x .venv/bin/pip ] || python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r Tests/tools/requirements.txt
fi
export OLLAMAMAX_PYTHON="$PWD/.venv/bin/python"
export OLLAMAMAX_REQUIRE_REAL_CLIENTS=1
export OLLAMAMAX_ACTIONLINT="$PWD/.venv/bin/actionlint"
export OLLAMAMAX_AIOSMTPD_PYTHON="$PWD/.venv/bin/python"

# Build everything, tests included; any warning in this package's own code fails the run.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! swift build --build-tests 2>&1 | tee "$log"; then
    echo "test.sh: build failed" >&2
    exit 1
fi
if grep -E "^$PWD/(Sources|Tests|Benchmarks)/.*warning:" "$log" >/dev/null; then
    echo "test.sh: the build has warnings in this package (warnings must stay at zero):" >&2
    grep -E "^$PWD/(Sources|Tests|Benchmarks)/.*warning:" "$log" | sort -u >&2
    exit 1
fi

# Every test, each line as it is printed (stdbuf: a pipe would hold the last lines back), within
# a bound: a test that hangs fails the run by name instead of running into CI's time limit.
testlog=$(mktemp)
trap 'rm -f "$log" "$testlog"' EXIT
status=0
timeout --kill-after=30 "${OLLAMAMAX_TEST_TIMEOUT:-1200}" stdbuf -oL -eL swift test --skip-build 2>&1 | tee "$testlog" || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "test.sh: the tests did not finish within ${OLLAMAMAX_TEST_TIMEOUT:-1200} s; started and never ended:" >&2
    comm -23 <(sed -n 's/^.* Test \([^ ]*\) started\.$/\1/p' "$testlog" | sort -u) \
        <(sed -n 's/^.* Test \([^ ]*\) \(with [0-9]* test cases \)\{0,1\}\(passed\|failed\|skipped\).*$/\1/p' "$testlog" | sort -u) >&2
fi
# The load-sensitive tests (Tests/TestHTTP/LoadSensitive.swift: the optimizer adapting to real
# simulated nodes) skipped themselves above; they run now, alone on the machine.
if [ "$status" -eq 0 ]; then
    OLLAMAMAX_LOAD_SENSITIVE_TESTS=1 timeout --kill-after=30 600 stdbuf -oL -eL swift test --skip-build \
        --filter 'LearnedClusterTests|OptimizerScenarioTests' 2>&1 | tee -a "$testlog" || status=$?
fi
# No key, webhook URL or password the tests use may appear in any line the run printed (the
# Python clients' and scripts' output included), except where Swift Testing names the arguments
# of a parameterized test case. The secrets are the tests' `static let ...Key/Webhook/... = "..."`.
if [ "$status" -eq 0 ]; then
    while IFS= read -r secret; do
        if grep -nF -- "$secret" "$testlog" | grep -v '^[0-9]*:◇ Test case passing' | grep -q .; then
            echo "test.sh: a test secret was printed in the test output, line(s) $(grep -nF -- "$secret" "$testlog" | grep -v '^[0-9]*:◇ Test case passing' | cut -d: -f1 | tr '\n' ' ')" >&2
            status=1
        fi
    done < <(grep -rhoE 'static let [A-Za-z]*([Kk]ey|[Ss]ecret|[Ww]ebhook|[Pp]assword|[Tt]oken|[Pp]agerduty)[A-Za-z]* = "[^"]{8,}"' Tests |
        sed -E 's/.*= "(.*)"/\1/' | sort -u)
fi
exit "$status"
