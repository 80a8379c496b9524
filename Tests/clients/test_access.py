"""What a gateway with API keys refuses, as each official client reports it.

Runs only when OLLAMAMAX_TEST_API_KEY is set (conftest.py): that key must have the
`inference` role. OLLAMAMAX_TEST_METRICS_KEY, a key with the `metrics` role, enables the
tests of a key whose role may not use the inference routes.

    OLLAMAMAX_TEST_URL=http://127.0.0.1:PORT OLLAMAMAX_TEST_API_KEY=... \\
    OLLAMAMAX_TEST_METRICS_KEY=... .venv/bin/python -m pytest -q Tests/clients/test_access.py

Without a valid key each client raises its own "unauthorized" error (401); with a key whose
role may not use the route, its "forbidden" error (403).
"""

from __future__ import annotations

import os

import anthropic
import clientenv
import ollama
import openai
import pytest

CHAT_MODEL = "qwen2.5:0.5b"
# Deleting a model needs an admin key; a model no node has keeps the test harmless should the
# gateway (wrongly) let the call through: it would answer 404, not 403.
UNKNOWN_MODEL = "ollamamax-no-such-model:latest"
NOT_A_KEY = "ollamamax-not-a-key"
MESSAGES = [{"role": "user", "content": "Say hello."}]


@pytest.fixture(autouse=True)
def no_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each client falls back to its own environment variable for a key; a test "without a key"
    # must send none.
    for variable in ("OLLAMA_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"):
        monkeypatch.delenv(variable, raising=False)


def metrics_key() -> str:
    key = os.environ.get("OLLAMAMAX_TEST_METRICS_KEY", "").strip()
    if not key:
        pytest.skip("OLLAMAMAX_TEST_METRICS_KEY is not set (a key with the metrics role)")
    return key


def ollama_client(headers: dict[str, str]) -> ollama.Client:
    return ollama.Client(host=clientenv.base_url(), timeout=60, headers=headers, verify=clientenv.verify())


def openai_client(key: str) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=clientenv.base_url() + "/v1",
        api_key=key,
        http_client=clientenv.http_client(openai),
        max_retries=0,
        timeout=60,
    )


def anthropic_client(option: str, key: str) -> anthropic.Anthropic:
    """A client that sends `key` as `option` says: api_key, auth_token, x-api-key (a header), or
    none (the Authorization header omitted: the client will not go without a key otherwise)."""
    credentials: dict = {
        "api_key": {"api_key": key},
        "auth_token": {"api_key": None, "auth_token": key},
        "x-api-key": {"api_key": "unused", "default_headers": {"x-api-key": key, "Authorization": anthropic.omit}},
        "none": {"api_key": "unused", "default_headers": {"Authorization": anthropic.omit}},
    }[option]
    return anthropic.Anthropic(
        base_url=clientenv.base_url(), http_client=clientenv.http_client(anthropic), max_retries=0, timeout=60, **credentials
    )


def anthropic_create(client: anthropic.Anthropic):
    return client.messages.create(model=CHAT_MODEL, max_tokens=8, messages=MESSAGES)


# ------------------------------------------------------------------ ollama


@pytest.mark.parametrize("headers", [{}, clientenv.bearer_headers(NOT_A_KEY)], ids=["no key", "wrong key"])
def test_ollama_without_a_valid_key_is_401(headers: dict[str, str]) -> None:
    client = ollama_client(headers)
    with pytest.raises(ollama.ResponseError) as excinfo:
        client.chat(model=CHAT_MODEL, messages=MESSAGES, options={"num_predict": 8})
    assert excinfo.value.status_code == 401
    with pytest.raises(ollama.ResponseError) as excinfo:
        client.list()
    assert excinfo.value.status_code == 401


def test_ollama_inference_key_may_not_delete_a_model() -> None:
    client = ollama_client(clientenv.bearer_headers())
    with pytest.raises(ollama.ResponseError) as excinfo:
        client.delete(UNKNOWN_MODEL)
    assert excinfo.value.status_code == 403
    # The same key may chat.
    assert client.chat(model=CHAT_MODEL, messages=MESSAGES, options={"num_predict": 8}).message.role == "assistant"


def test_ollama_metrics_key_may_not_chat() -> None:
    client = ollama_client(clientenv.bearer_headers(metrics_key()))
    with pytest.raises(ollama.ResponseError) as excinfo:
        client.chat(model=CHAT_MODEL, messages=MESSAGES, options={"num_predict": 8})
    assert excinfo.value.status_code == 403


# ------------------------------------------------------------------ openai


# The openai client will not go without a key; omitting its Authorization header sends none.
@pytest.mark.parametrize(
    "key, headers", [("unused", {"Authorization": openai.omit}), (NOT_A_KEY, {})], ids=["no key", "wrong key"]
)
def test_openai_without_a_valid_key_is_an_authentication_error(key: str, headers: dict) -> None:
    client = openai_client(key)
    with pytest.raises(openai.AuthenticationError) as excinfo:
        client.chat.completions.create(model=CHAT_MODEL, messages=MESSAGES, max_tokens=8, extra_headers=headers)
    assert excinfo.value.status_code == 401
    with pytest.raises(openai.AuthenticationError):
        client.models.list(extra_headers=headers)


def test_openai_metrics_key_is_permission_denied() -> None:
    client = openai_client(metrics_key())
    with pytest.raises(openai.PermissionDeniedError) as excinfo:
        client.chat.completions.create(model=CHAT_MODEL, messages=MESSAGES, max_tokens=8)
    assert excinfo.value.status_code == 403


# ------------------------------------------------------------------ anthropic


@pytest.mark.parametrize("option", ["none", "api_key", "auth_token", "x-api-key"])
def test_anthropic_without_a_valid_key_is_an_authentication_error(option: str) -> None:
    with pytest.raises(anthropic.AuthenticationError) as excinfo:
        anthropic_create(anthropic_client(option, NOT_A_KEY))
    assert excinfo.value.status_code == 401


@pytest.mark.parametrize("option", ["api_key", "auth_token", "x-api-key"])
def test_anthropic_metrics_key_is_permission_denied(option: str) -> None:
    with pytest.raises(anthropic.PermissionDeniedError) as excinfo:
        anthropic_create(anthropic_client(option, metrics_key()))
    assert excinfo.value.status_code == 403
