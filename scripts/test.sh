#!/usr/bin/env bash
# The project's test command: installs what the tests need, builds with warnings checked,
# and runs every test. Works on a fresh machine; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Python 3 with venv support runs the official ollama and openai clients.
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    echo "test.sh: installing python3-venv (needed for the Python client tests)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi
# Prometheus and promtool check the gateway's /metrics for real (Tests/GatewayTests/PrometheusScrapeTests).
if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
    echo "test.sh: installing prometheus (needed for the /metrics tests)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null
    # The Debian package starts a system service on :9090; the tests start their own on free ports.
    systemctl stop prometheus >/dev/null 2>&1 || service prometheus stop >/dev/null 2>&1 || true
fi
# GRDB (the history store) links the system SQLite; rsvg-convert turns the SVG charts into PNGs and
# headless Chromium loads the HTML report (Tests/ChartsTests/RenderTests, Tests/HistoryTests).
if ! dpkg -s libsqlite3-dev >/dev/null 2>&1; then
    echo "test.sh: installing libsqlite3-dev (needed to build GRDB)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsqlite3-dev >/dev/null
fi
if ! command -v rsvg-convert >/dev/null; then
    echo "test.sh: installing librsvg2-bin (needed for the PNG chart tests)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq librsvg2-bin fonts-dejavu-core >/dev/null
fi
if ! command -v chromium >/dev/null; then
    echo "test.sh: installing chromium (needed for the HTML report test)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
if ! .venv/bin/python -c 'import ollama, openai, pytest' >/dev/null 2>&1; then
    echo "test.sh: creating .venv with the pinned Python clients (Tests/clients/requirements.txt)" >&2
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r Tests/clients/requirements.txt
fi
export OLLAMAMAX_PYTHON="$PWD/.venv/bin/python"
export OLLAMAMAX_REQUIRE_REAL_CLIENTS=1

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

swift test --skip-build
