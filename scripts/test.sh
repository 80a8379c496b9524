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
if ! .venv/bin/python -c 'import ollama, openai, pytest' >/dev/null 2>&1; then
    echo "test.sh: creating .venv with the pinned Python clients (Tests/clients/requirements.txt)" >&2
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r Tests/clients/requirements.txt
fi
# actionlint checks the GitHub workflows (Tests/OllamaMaxCLITests/WorkflowLintTests.swift).
if ! .venv/bin/actionlint -version >/dev/null 2>&1; then
    echo "test.sh: installing actionlint into .venv (Tests/tools/requirements.txt)" >&2
    [ -x .venv/bin/pip ] || python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r Tests/tools/requirements.txt 2>/dev/null \
        || .venv/bin/pip install --quiet --disable-pip-version-check -r Tests/tools/requirements-offline.txt
fi
export OLLAMAMAX_PYTHON="$PWD/.venv/bin/python"
export OLLAMAMAX_REQUIRE_REAL_CLIENTS=1
export OLLAMAMAX_ACTIONLINT="$PWD/.venv/bin/actionlint"

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
