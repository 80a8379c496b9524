"""Conformance tests run with the official `ollama` Python client.

Point them at any Ollama-compatible server (a real Ollama, the OllamaMax node
simulator, or the OllamaMax gateway) through the environment:

    OLLAMAMAX_TEST_URL=http://127.0.0.1:PORT .venv/bin/python -m pytest -q Tests/clients

with OLLAMAMAX_TEST_API_KEY and OLLAMAMAX_TEST_CA for a keyed or https:// server (clientenv.py).

Requests are kept small (qwen2.5:0.5b, num_predict 8) so the suite is fast.
"""

from __future__ import annotations

import json
import math
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import clientenv
import ollama
import pytest

CHAT_MODEL = "qwen2.5:0.5b"
THINK_MODEL = "qwen3:4b"
EMBED_MODEL = "nomic-embed-text:latest"
EMBED_DIMS = 768
UNKNOWN_MODEL = "ollamamax-no-such-model:latest"
DEFAULT_MODELS = {"llama3.2:latest", "qwen2.5:0.5b", "qwen3:4b", "nomic-embed-text:latest"}

NUM_PREDICT = 8
OPTIONS = {"num_predict": NUM_PREDICT}
SEEDED = {"seed": 7, "num_predict": NUM_PREDICT}
# Tool calls and JSON output are cut in the middle by a real model when the
# token budget is tiny, so those two tests allow a slightly larger budget.
STRUCTURED_OPTIONS = {"num_predict": 64, "temperature": 0, "seed": 7}

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "The name of the city"}},
            "required": ["city"],
        },
    },
}


@pytest.fixture(scope="module")
def base_url() -> str:
    return clientenv.base_url()


@pytest.fixture(scope="module")
def client(base_url: str) -> ollama.Client:
    # The ollama client takes a key as a header and passes `verify` on to httpx.
    return ollama.Client(host=base_url, timeout=60, headers=clientenv.bearer_headers(), verify=clientenv.verify())


def _assert_positive_int(value, name: str) -> None:
    assert isinstance(value, int) and not isinstance(value, bool), f"{name} is {value!r}"
    assert value > 0, f"{name} is {value!r}"


def _assert_final_stats(resp) -> None:
    """The statistics Ollama puts on every final (done) response."""
    assert resp.done is True
    assert resp.done_reason in ("stop", "length"), resp.done_reason
    _assert_positive_int(resp.prompt_eval_count, "prompt_eval_count")
    _assert_positive_int(resp.eval_count, "eval_count")
    for name in ("total_duration", "load_duration", "prompt_eval_duration", "eval_duration"):
        _assert_positive_int(getattr(resp, name), name)
    assert resp.total_duration >= resp.prompt_eval_duration + resp.eval_duration
    if resp.done_reason == "length":
        assert resp.eval_count == NUM_PREDICT
    else:
        assert resp.eval_count <= NUM_PREDICT


def _norm(vec) -> float:
    return math.sqrt(sum(float(x) * float(x) for x in vec))


def _cosine(a, b) -> float:
    return sum(float(x) * float(y) for x, y in zip(a, b)) / (_norm(a) * _norm(b))


def _assert_vector(vec, *, unit: bool = True) -> None:
    assert len(vec) == EMBED_DIMS
    assert all(isinstance(x, float) for x in vec)
    assert all(math.isfinite(x) for x in vec)
    if unit:
        assert abs(_norm(vec) - 1.0) < 1e-5, _norm(vec)


# --------------------------------------------------------------------- chat


def test_chat_non_stream(client: ollama.Client) -> None:
    resp = client.chat(
        model=CHAT_MODEL,
        messages=[{"role": "user", "content": "Say hello in five words."}],
        options=OPTIONS,
    )
    assert isinstance(resp, ollama.ChatResponse)
    assert resp.model == CHAT_MODEL
    assert isinstance(resp.created_at, str) and resp.created_at
    assert isinstance(resp.message, ollama.Message)
    assert resp.message.role == "assistant"
    assert isinstance(resp.message.content, str) and resp.message.content.strip()
    assert not resp.message.tool_calls
    _assert_final_stats(resp)
    if resp.done_reason == "length":
        assert resp.eval_count == 8


def test_chat_stream_matches_non_stream(client: ollama.Client) -> None:
    messages = [{"role": "user", "content": "Tell me a very short story."}]
    full = client.chat(model=CHAT_MODEL, messages=messages, options=SEEDED)
    chunks = list(client.chat(model=CHAT_MODEL, messages=messages, options=SEEDED, stream=True))

    assert len(chunks) >= 3, f"only {len(chunks)} chunk(s)"
    assert all(isinstance(c, ollama.ChatResponse) for c in chunks)
    assert all(c.model == CHAT_MODEL for c in chunks)
    assert all(c.message.role == "assistant" for c in chunks)
    assert [c.done for c in chunks[:-1]] == [False] * (len(chunks) - 1)
    last = chunks[-1]
    _assert_final_stats(last)
    # Only the final chunk carries the statistics.
    assert all(c.eval_count is None and c.done_reason is None for c in chunks[:-1])

    streamed = "".join(c.message.content or "" for c in chunks)
    assert streamed == full.message.content
    assert streamed.strip()
    assert last.eval_count == full.eval_count
    assert last.done_reason == full.done_reason


# ----------------------------------------------------------------- generate


def test_generate_non_stream(client: ollama.Client) -> None:
    resp = client.generate(model=CHAT_MODEL, prompt="Why is the sky blue?", options=OPTIONS)
    assert isinstance(resp, ollama.GenerateResponse)
    assert resp.model == CHAT_MODEL
    assert isinstance(resp.response, str) and resp.response.strip()
    _assert_final_stats(resp)
    # Non-raw generate returns the conversation context (prompt + answer tokens).
    assert resp.context is not None
    assert all(isinstance(t, int) for t in resp.context)
    assert len(resp.context) >= resp.eval_count


def test_generate_stream_matches_non_stream(client: ollama.Client) -> None:
    prompt = "Write one line about the sea."
    full = client.generate(model=CHAT_MODEL, prompt=prompt, options=SEEDED)
    chunks = list(client.generate(model=CHAT_MODEL, prompt=prompt, options=SEEDED, stream=True))

    assert len(chunks) >= 3, f"only {len(chunks)} chunk(s)"
    assert all(isinstance(c, ollama.GenerateResponse) for c in chunks)
    assert [c.done for c in chunks[:-1]] == [False] * (len(chunks) - 1)
    _assert_final_stats(chunks[-1])
    streamed = "".join(c.response or "" for c in chunks)
    assert streamed == full.response
    assert streamed.strip()
    assert chunks[-1].eval_count == full.eval_count
    assert chunks[-1].context == full.context


# --------------------------------------------------------------- embeddings


def test_embed_string(client: ollama.Client) -> None:
    resp = client.embed(model=EMBED_MODEL, input="The quick brown fox")
    assert isinstance(resp, ollama.EmbedResponse)
    assert resp.model == EMBED_MODEL
    assert len(resp.embeddings) == 1
    _assert_vector(resp.embeddings[0])
    _assert_positive_int(resp.prompt_eval_count, "prompt_eval_count")
    _assert_positive_int(resp.total_duration, "total_duration")

    again = client.embed(model=EMBED_MODEL, input="The quick brown fox")
    assert len(again.embeddings) == 1
    assert all(abs(a - b) < 1e-6 for a, b in zip(resp.embeddings[0], again.embeddings[0]))


def test_embed_list(client: ollama.Client) -> None:
    texts = ["The quick brown fox", "jumps over the lazy dog", "The quick brown fox"]
    resp = client.embed(model=EMBED_MODEL, input=texts)
    assert resp.model == EMBED_MODEL
    assert len(resp.embeddings) == 3
    for vec in resp.embeddings:
        _assert_vector(vec)
    first, second, third = resp.embeddings
    # Same input -> same vector; different input -> a different vector.
    assert all(abs(a - b) < 1e-6 for a, b in zip(first, third))
    assert max(abs(a - b) for a, b in zip(first, second)) > 1e-3
    # The batch answer agrees with the single-input answer.
    single = client.embed(model=EMBED_MODEL, input=texts[0]).embeddings[0]
    assert _cosine(first, single) > 0.9999


def test_legacy_embeddings(client: ollama.Client) -> None:
    resp = client.embeddings(model=EMBED_MODEL, prompt="The quick brown fox")
    assert isinstance(resp, ollama.EmbeddingsResponse)
    vec = resp.embedding
    # The legacy endpoint does not promise a normalised vector.
    _assert_vector(vec, unit=False)
    assert _norm(vec) > 0
    again = client.embeddings(model=EMBED_MODEL, prompt="The quick brown fox").embedding
    assert all(abs(a - b) < 1e-6 for a, b in zip(vec, again))
    # Same direction as /api/embed for the same text.
    modern = client.embed(model=EMBED_MODEL, input="The quick brown fox").embeddings[0]
    assert _cosine(vec, modern) > 0.9999


# ------------------------------------------------------------ model admin


def test_list_contains_default_models(client: ollama.Client) -> None:
    resp = client.list()
    assert isinstance(resp, ollama.ListResponse)
    names = [m.model for m in resp.models]
    assert DEFAULT_MODELS <= set(names), names
    assert len(names) == len(set(names)), "duplicate entries in /api/tags"
    for m in resp.models:
        if m.model in DEFAULT_MODELS:
            assert isinstance(m.size, int) and m.size > 0
            assert isinstance(m.digest, str) and re.fullmatch(r"[0-9a-f]{64}", m.digest), m.digest
            assert isinstance(m.modified_at, datetime)
            assert m.details is not None and m.details.format == "gguf"
            assert m.details.family


def test_ps_shows_model_after_request(client: ollama.Client) -> None:
    client.generate(model=CHAT_MODEL, prompt="hi", options=OPTIONS, keep_alive="5m")
    resp = client.ps()
    assert isinstance(resp, ollama.ProcessResponse)
    running = {m.model: m for m in resp.models}
    assert CHAT_MODEL in running, list(running)
    m = running[CHAT_MODEL]
    assert m.name == CHAT_MODEL
    assert isinstance(m.size, int) and m.size > 0
    assert isinstance(m.size_vram, int) and 0 <= m.size_vram <= m.size
    assert isinstance(m.digest, str) and re.fullmatch(r"[0-9a-f]{64}", m.digest)
    assert isinstance(m.expires_at, datetime)
    assert m.expires_at > datetime.now(timezone.utc)
    assert m.details is not None and m.details.family == "qwen2"
    # ps and tags describe the same blob.
    tags = {t.model: t for t in client.list().models}
    assert tags[CHAT_MODEL].digest == m.digest


@pytest.mark.parametrize(
    ("model", "family", "must_have", "must_not_have"),
    [
        (CHAT_MODEL, "qwen2", {"completion", "tools"}, {"embedding"}),
        (THINK_MODEL, "qwen3", {"completion", "tools", "thinking"}, {"embedding"}),
        (EMBED_MODEL, "nomic-bert", {"embedding"}, {"completion", "tools"}),
    ],
)
def test_show(client: ollama.Client, model, family, must_have, must_not_have) -> None:
    resp = client.show(model)
    assert isinstance(resp, ollama.ShowResponse)
    assert resp.details is not None
    assert resp.details.family == family
    assert resp.details.format == "gguf"
    assert isinstance(resp.capabilities, list)
    assert all(isinstance(c, str) for c in resp.capabilities)
    caps = set(resp.capabilities)
    assert must_have <= caps, caps
    assert not (must_not_have & caps), caps
    assert isinstance(resp.modelinfo, dict) and resp.modelinfo
    assert resp.modelinfo.get("general.architecture") == family


# ----------------------------------------------------- tools / think / json


def test_chat_tool_call(client: ollama.Client) -> None:
    resp = client.chat(
        model=CHAT_MODEL,
        messages=[{"role": "user", "content": "What is the weather in Paris right now?"}],
        tools=[WEATHER_TOOL],
        options=STRUCTURED_OPTIONS,
    )
    assert resp.done is True
    assert resp.message.role == "assistant"
    calls = resp.message.tool_calls
    assert calls, f"no tool_calls, content={resp.message.content!r}"
    assert len(calls) >= 1
    call = calls[0]
    assert call.function.name == WEATHER_TOOL["function"]["name"]
    assert isinstance(call.function.arguments, dict)
    assert isinstance(call.function.arguments.get("city"), str)


def test_chat_tool_call_stream(client: ollama.Client) -> None:
    chunks = list(
        client.chat(
            model=CHAT_MODEL,
            messages=[{"role": "user", "content": "What is the weather in Paris right now?"}],
            tools=[WEATHER_TOOL],
            options=STRUCTURED_OPTIONS,
            stream=True,
        )
    )
    assert chunks[-1].done is True
    assert [c.done for c in chunks[:-1]] == [False] * (len(chunks) - 1)
    calls = [call for c in chunks for call in (c.message.tool_calls or [])]
    assert calls, "no chunk carried tool_calls"
    assert calls[0].function.name == WEATHER_TOOL["function"]["name"]
    assert isinstance(calls[0].function.arguments, dict)
    assert isinstance(calls[0].function.arguments.get("city"), str)


def test_chat_thinking(client: ollama.Client) -> None:
    resp = client.chat(
        model=THINK_MODEL,
        messages=[{"role": "user", "content": "What is 2 + 2?"}],
        think=True,
        options=OPTIONS,
    )
    assert resp.done is True
    assert resp.message.role == "assistant"
    assert isinstance(resp.message.thinking, str) and resp.message.thinking.strip()
    # With think=True the reasoning is split out, never left inline in content.
    assert "<think>" not in (resp.message.content or "")
    assert "<think>" not in resp.message.thinking
    _assert_final_stats(resp)


def test_chat_format_json(client: ollama.Client) -> None:
    resp = client.chat(
        model=CHAT_MODEL,
        messages=[{"role": "user", "content": 'Reply with a JSON object like {"answer": "yes"}.'}],
        format="json",
        options=STRUCTURED_OPTIONS,
    )
    assert resp.done is True
    assert resp.done_reason == "stop"
    parsed = json.loads(resp.message.content)
    assert isinstance(parsed, (dict, list))


# ------------------------------------------------------------------- errors


def test_unknown_model_is_404(client: ollama.Client) -> None:
    with pytest.raises(ollama.ResponseError) as excinfo:
        client.chat(model=UNKNOWN_MODEL, messages=[{"role": "user", "content": "hi"}], options=OPTIONS)
    assert excinfo.value.status_code == 404
    assert "not found" in excinfo.value.error


def test_unknown_model_is_404_when_streaming(client: ollama.Client) -> None:
    with pytest.raises(ollama.ResponseError) as excinfo:
        for _ in client.generate(model=UNKNOWN_MODEL, prompt="hi", options=OPTIONS, stream=True):
            pass
    assert excinfo.value.status_code == 404
    assert "not found" in excinfo.value.error


def test_think_on_model_without_thinking_is_400(client: ollama.Client) -> None:
    with pytest.raises(ollama.ResponseError) as excinfo:
        client.chat(
            model=CHAT_MODEL,
            messages=[{"role": "user", "content": "hi"}],
            think=True,
            options=OPTIONS,
        )
    assert excinfo.value.status_code == 400
    assert "does not support thinking" in excinfo.value.error


def test_show_unknown_model_is_404(client: ollama.Client) -> None:
    with pytest.raises(ollama.ResponseError) as excinfo:
        client.show(UNKNOWN_MODEL)
    assert excinfo.value.status_code == 404


# ------------------------------------------------------------------ version


def test_version(base_url: str) -> None:
    with clientenv.urlopen("/api/version") as r:
        assert r.status == 200
        assert r.headers.get_content_type() == "application/json"
        body = json.loads(r.read().decode("utf-8"))
    assert isinstance(body, dict)
    assert isinstance(body.get("version"), str)
    assert re.match(r"^\d+\.\d+\.\d+", body["version"]), body["version"]


BURST = 50


def test_a_burst_of_fifty_is_answered_whole(client: ollama.Client) -> None:
    """Fifty requests at once, as a batch job sends them: Ollama queues them (up to 512) and
    the `ollama` client does not retry, so every one must be answered, none refused with 503.
    Through the gateway at its default level this is the queue a burst may fill before the
    optimizer calls it overload (docs/optimizer.md, "The queue per model")."""

    def one(index: int) -> str:
        answer = client.generate(model=CHAT_MODEL, prompt=f"burst {index}", options=OPTIONS)
        return answer["response"]

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        answers = list(pool.map(one, range(BURST)))
    assert len(answers) == BURST
    assert all(isinstance(text, str) and text for text in answers)
