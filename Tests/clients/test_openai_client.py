"""Conformance tests run with the official `openai` Python client against the
OpenAI-compatible API of an Ollama-compatible server (`/v1/...`).

    OLLAMAMAX_TEST_URL=http://127.0.0.1:PORT .venv/bin/python -m pytest -q Tests/clients

Requests are kept small (qwen2.5:0.5b, max_tokens 8) so the suite is fast.
"""

from __future__ import annotations

import array
import base64
import json
import math

import clientenv
import openai
import pytest

CHAT_MODEL = "qwen2.5:0.5b"
EMBED_MODEL = "nomic-embed-text:latest"
EMBED_DIMS = 768
UNKNOWN_MODEL = "ollamamax-no-such-model:latest"
DEFAULT_MODELS = {"llama3.2:latest", "qwen2.5:0.5b", "qwen3:4b", "nomic-embed-text:latest"}
MAX_TOKENS = 8
SEED = 7
# Tool calls are cut in the middle by a real model when the token budget is
# tiny, so the tool test allows a slightly larger budget.
TOOL_MAX_TOKENS = 64

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
def client(base_url: str) -> openai.OpenAI:
    # max_retries=0: a conformance failure must show the first answer, not a retried one.
    # The key as openai's api_key (sent as Authorization: Bearer); the CA through its HTTP client.
    return openai.OpenAI(
        base_url=base_url + "/v1",
        api_key=clientenv.api_key() or "unused",
        http_client=clientenv.http_client(openai),
        max_retries=0,
        timeout=60,
    )


def _assert_usage(usage, *, completion_tokens: int | None = None) -> None:
    assert usage is not None
    for name in ("prompt_tokens", "completion_tokens", "total_tokens"):
        value = getattr(usage, name)
        assert isinstance(value, int) and not isinstance(value, bool), f"{name}={value!r}"
    assert usage.prompt_tokens > 0
    assert usage.completion_tokens > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    if completion_tokens is not None:
        assert usage.completion_tokens == completion_tokens


def _check_finish(finish_reason: str, usage) -> None:
    assert finish_reason in ("stop", "length"), finish_reason
    if finish_reason == "length":
        _assert_usage(usage, completion_tokens=MAX_TOKENS)
    else:
        _assert_usage(usage)
        assert usage.completion_tokens <= MAX_TOKENS


def _norm(vec) -> float:
    return math.sqrt(sum(float(x) * float(x) for x in vec))


def _assert_vector(vec) -> None:
    assert isinstance(vec, list)
    assert len(vec) == EMBED_DIMS
    assert all(isinstance(x, float) and math.isfinite(x) for x in vec)
    assert abs(_norm(vec) - 1.0) < 1e-5, _norm(vec)


# ---------------------------------------------------------- chat completions


def test_chat_completion_non_stream(client: openai.OpenAI) -> None:
    resp = client.chat.completions.create(
        model=CHAT_MODEL,
        messages=[{"role": "user", "content": "Say hello in five words."}],
        max_tokens=MAX_TOKENS,
    )
    assert resp.object == "chat.completion"
    assert isinstance(resp.id, str) and resp.id
    assert resp.model == CHAT_MODEL
    assert isinstance(resp.created, int) and resp.created > 0
    assert len(resp.choices) == 1
    choice = resp.choices[0]
    assert choice.index == 0
    assert choice.message.role == "assistant"
    assert isinstance(choice.message.content, str) and choice.message.content.strip()
    assert not choice.message.tool_calls
    _check_finish(choice.finish_reason, resp.usage)


def test_chat_completion_stream_with_usage(client: openai.OpenAI) -> None:
    messages = [{"role": "user", "content": "Tell me a very short story."}]
    full = client.chat.completions.create(
        model=CHAT_MODEL, messages=messages, max_tokens=MAX_TOKENS, seed=SEED
    )
    chunks = list(
        client.chat.completions.create(
            model=CHAT_MODEL,
            messages=messages,
            max_tokens=MAX_TOKENS,
            seed=SEED,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert len(chunks) >= 3, f"only {len(chunks)} chunk(s)"
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert len({c.id for c in chunks}) == 1, "chunk ids differ within one stream"
    assert all(c.model == CHAT_MODEL for c in chunks)

    # With include_usage the last chunk carries the usage and no choices;
    # every earlier chunk has exactly one choice and no usage.
    last = chunks[-1]
    assert last.choices == []
    body = chunks[:-1]
    assert all(c.usage is None for c in body)
    assert all(len(c.choices) == 1 and c.choices[0].index == 0 for c in body)

    finish = [c.choices[0].finish_reason for c in body if c.choices[0].finish_reason is not None]
    assert len(finish) == 1, finish
    assert body[-1].choices[0].finish_reason == finish[0]
    assert finish[0] == full.choices[0].finish_reason

    streamed = "".join(c.choices[0].delta.content or "" for c in body)
    assert streamed == full.choices[0].message.content
    assert streamed.strip()
    _check_finish(finish[0], last.usage)
    assert last.usage.completion_tokens == full.usage.completion_tokens
    assert last.usage.prompt_tokens == full.usage.prompt_tokens


def test_chat_completion_tool_call(client: openai.OpenAI) -> None:
    resp = client.chat.completions.create(
        model=CHAT_MODEL,
        messages=[{"role": "user", "content": "What is the weather in Paris right now?"}],
        tools=[WEATHER_TOOL],
        max_tokens=TOOL_MAX_TOKENS,
        temperature=0,
        seed=SEED,
    )
    choice = resp.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.role == "assistant"
    calls = choice.message.tool_calls
    assert calls, f"no tool_calls, content={choice.message.content!r}"
    call = calls[0]
    assert call.type == "function"
    assert isinstance(call.id, str) and call.id
    assert call.function.name == WEATHER_TOOL["function"]["name"]
    assert isinstance(call.function.arguments, str)
    args = json.loads(call.function.arguments)
    assert isinstance(args, dict)
    assert isinstance(args.get("city"), str)
    assert len({c.id for c in calls}) == len(calls), "tool call ids must be unique"


def test_chat_completion_tool_call_stream(client: openai.OpenAI) -> None:
    chunks = list(
        client.chat.completions.create(
            model=CHAT_MODEL,
            messages=[{"role": "user", "content": "What is the weather in Paris right now?"}],
            tools=[WEATHER_TOOL],
            max_tokens=TOOL_MAX_TOKENS,
            temperature=0,
            seed=SEED,
            stream=True,
        )
    )
    assert chunks
    finish = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finish == ["tool_calls"]
    # Reassemble the deltas the way OpenAI SDK users do: by tool call index.
    calls: dict[int, dict[str, str]] = {}
    for c in chunks:
        for d in (c.choices[0].delta.tool_calls or []) if c.choices else []:
            entry = calls.setdefault(d.index, {"id": "", "name": "", "arguments": ""})
            if d.id:
                entry["id"] = d.id
            if d.function and d.function.name:
                entry["name"] += d.function.name
            if d.function and d.function.arguments:
                entry["arguments"] += d.function.arguments
    assert 0 in calls, calls
    call = calls[0]
    assert call["id"]
    assert call["name"] == WEATHER_TOOL["function"]["name"]
    args = json.loads(call["arguments"])
    assert isinstance(args, dict) and isinstance(args.get("city"), str)


# --------------------------------------------------------------- completions


def test_completion_non_stream(client: openai.OpenAI) -> None:
    resp = client.completions.create(
        model=CHAT_MODEL, prompt="Why is the sky blue?", max_tokens=MAX_TOKENS
    )
    assert resp.object == "text_completion"
    assert isinstance(resp.id, str) and resp.id
    assert resp.model == CHAT_MODEL
    assert len(resp.choices) == 1
    choice = resp.choices[0]
    assert choice.index == 0
    assert isinstance(choice.text, str) and choice.text.strip()
    _check_finish(choice.finish_reason, resp.usage)


def test_completion_stream(client: openai.OpenAI) -> None:
    prompt = "Write one line about the sea."
    full = client.completions.create(model=CHAT_MODEL, prompt=prompt, max_tokens=MAX_TOKENS, seed=SEED)
    chunks = list(
        client.completions.create(
            model=CHAT_MODEL,
            prompt=prompt,
            max_tokens=MAX_TOKENS,
            seed=SEED,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert len(chunks) >= 3, f"only {len(chunks)} chunk(s)"
    assert all(c.object == "text_completion" for c in chunks)
    assert len({c.id for c in chunks}) == 1
    last = chunks[-1]
    assert last.choices == []
    body = chunks[:-1]
    assert all(c.usage is None and len(c.choices) == 1 for c in body)
    finish = [c.choices[0].finish_reason for c in body if c.choices[0].finish_reason is not None]
    assert len(finish) == 1 and finish[0] == full.choices[0].finish_reason
    streamed = "".join(c.choices[0].text for c in body)
    assert streamed == full.choices[0].text
    assert streamed.strip()
    _check_finish(finish[0], last.usage)
    assert last.usage.completion_tokens == full.usage.completion_tokens


# ---------------------------------------------------------------- embeddings


def test_embeddings_string(client: openai.OpenAI) -> None:
    # No encoding_format: the client asks for base64 and decodes it itself.
    resp = client.embeddings.create(model=EMBED_MODEL, input="The quick brown fox")
    assert resp.object == "list"
    assert resp.model == EMBED_MODEL
    assert len(resp.data) == 1
    item = resp.data[0]
    assert item.object == "embedding"
    assert item.index == 0
    _assert_vector(item.embedding)
    assert resp.usage.prompt_tokens > 0
    assert resp.usage.total_tokens == resp.usage.prompt_tokens

    again = client.embeddings.create(model=EMBED_MODEL, input="The quick brown fox").data[0].embedding
    assert all(abs(a - b) < 1e-6 for a, b in zip(item.embedding, again))


def test_embeddings_list(client: openai.OpenAI) -> None:
    texts = ["The quick brown fox", "jumps over the lazy dog", "The quick brown fox"]
    resp = client.embeddings.create(model=EMBED_MODEL, input=texts)
    assert len(resp.data) == 3
    assert [d.index for d in resp.data] == [0, 1, 2]
    for d in resp.data:
        assert d.object == "embedding"
        _assert_vector(d.embedding)
    first, second, third = (d.embedding for d in resp.data)
    assert all(abs(a - b) < 1e-6 for a, b in zip(first, third))
    assert max(abs(a - b) for a, b in zip(first, second)) > 1e-3
    assert resp.usage.prompt_tokens > 0


def test_embeddings_base64_is_decoded_by_client(client: openai.OpenAI) -> None:
    text = "The quick brown fox"
    floats = client.embeddings.create(model=EMBED_MODEL, input=text, encoding_format="float")
    assert isinstance(floats.data[0].embedding, list)
    _assert_vector(floats.data[0].embedding)

    # Default call: on the wire the client asks for base64 ...
    raw = client.embeddings.with_raw_response.create(model=EMBED_MODEL, input=text)
    sent = json.loads(raw.http_request.content)
    assert sent["encoding_format"] == "base64"
    wire = raw.http_response.json()["data"][0]["embedding"]
    assert isinstance(wire, str), "server ignored encoding_format=base64"
    # ... and hands back plain floats.
    decoded = raw.parse().data[0].embedding
    _assert_vector(decoded)
    assert all(abs(a - b) < 1e-6 for a, b in zip(decoded, floats.data[0].embedding))

    # Explicit base64: the client returns the server's string untouched; it
    # must be little-endian float32s equal to the float answer.
    explicit = client.embeddings.create(model=EMBED_MODEL, input=text, encoding_format="base64")
    b64 = explicit.data[0].embedding
    assert isinstance(b64, str)
    vec = array.array("f", base64.b64decode(b64)).tolist()
    assert len(vec) == EMBED_DIMS
    assert all(abs(a - b) < 1e-6 for a, b in zip(vec, floats.data[0].embedding))


# -------------------------------------------------------------------- models


def test_models_list(client: openai.OpenAI) -> None:
    models = list(client.models.list())
    ids = [m.id for m in models]
    assert CHAT_MODEL in ids
    assert DEFAULT_MODELS <= set(ids), ids
    assert len(ids) == len(set(ids))
    for m in models:
        assert m.object == "model"
        assert isinstance(m.created, int)
        assert isinstance(m.owned_by, str) and m.owned_by


def test_models_retrieve(client: openai.OpenAI) -> None:
    m = client.models.retrieve(CHAT_MODEL)
    assert m.id == CHAT_MODEL
    assert m.object == "model"
    assert isinstance(m.created, int)
    assert isinstance(m.owned_by, str) and m.owned_by


# -------------------------------------------------------------------- errors


def test_unknown_model_chat_is_404(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as excinfo:
        client.chat.completions.create(
            model=UNKNOWN_MODEL, messages=[{"role": "user", "content": "hi"}], max_tokens=MAX_TOKENS
        )
    assert excinfo.value.status_code == 404
    assert "not found" in excinfo.value.message


def test_unknown_model_stream_is_404(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError):
        for _ in client.chat.completions.create(
            model=UNKNOWN_MODEL,
            messages=[{"role": "user", "content": "hi"}],
            max_tokens=MAX_TOKENS,
            stream=True,
        ):
            pass


def test_unknown_model_retrieve_is_404(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as excinfo:
        client.models.retrieve(UNKNOWN_MODEL)
    assert excinfo.value.status_code == 404
