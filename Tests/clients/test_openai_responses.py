"""Conformance tests run with the official `openai` Python client against the
stateless OpenAI Responses API (`POST /v1/responses`) of an Ollama-compatible
server (Ollama 0.13.3 or later, the simulator, or the gateway in front of them).

    OLLAMAMAX_TEST_URL=http://127.0.0.1:PORT .venv/bin/python -m pytest -q Tests/clients

Requests are kept small (qwen2.5:0.5b, max_output_tokens 8) so the suite is fast;
temperature 0 makes a real model answer the same prompt the same way twice.
"""

from __future__ import annotations

import json

import clientenv
import openai
import pytest

CHAT_MODEL = "qwen2.5:0.5b"
THINKING_MODEL = "qwen3:4b"
UNKNOWN_MODEL = "ollamamax-no-such-model:latest"
MAX_TOKENS = 8
# A real model cuts a tool call or a thought short when the budget is tiny.
TOOL_MAX_TOKENS = 64

WEATHER_TOOL = {
    "type": "function",
    "name": "get_weather",
    "description": "Get the current weather for a city",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string", "description": "The name of the city"}},
        "required": ["city"],
    },
}


@pytest.fixture(scope="module")
def client() -> openai.OpenAI:
    # max_retries=0: a conformance failure must show the first answer, not a retried one.
    return openai.OpenAI(
        base_url=clientenv.base_url() + "/v1",
        api_key=clientenv.api_key() or "unused",
        http_client=clientenv.http_client(openai),
        max_retries=0,
        timeout=60,
    )


def _assert_usage(usage) -> None:
    assert usage is not None
    for name in ("input_tokens", "output_tokens", "total_tokens"):
        value = getattr(usage, name)
        assert isinstance(value, int) and not isinstance(value, bool), f"{name}={value!r}"
    assert usage.input_tokens > 0
    assert usage.output_tokens > 0
    assert usage.total_tokens == usage.input_tokens + usage.output_tokens
    assert usage.input_tokens_details.cached_tokens == 0
    assert usage.output_tokens_details.reasoning_tokens == 0


def _function_calls(response) -> list:
    return [item for item in response.output if item.type == "function_call"]


def test_responses_create_non_stream(client: openai.OpenAI) -> None:
    resp = client.responses.create(
        model=CHAT_MODEL, input="Say hello in five words.", max_output_tokens=MAX_TOKENS, temperature=0
    )
    assert resp.object == "response"
    assert resp.id.startswith("resp_")
    assert resp.model == CHAT_MODEL
    assert resp.status == "completed"
    assert isinstance(resp.created_at, (int, float)) and resp.created_at > 0
    assert resp.completed_at is not None and resp.completed_at >= resp.created_at
    assert [item.type for item in resp.output] == ["message"]
    message = resp.output[0]
    assert message.role == "assistant" and message.status == "completed"
    assert [part.type for part in message.content] == ["output_text"]
    assert resp.output_text.strip()
    assert resp.output_text == message.content[0].text
    _assert_usage(resp.usage)
    assert resp.usage.output_tokens <= MAX_TOKENS
    # The request's settings come back, with OpenAI's defaults where it set none.
    assert resp.max_output_tokens == MAX_TOKENS
    assert resp.temperature == 0
    assert resp.top_p == 1
    assert resp.tool_choice == "auto"
    assert resp.tools == []
    assert resp.previous_response_id is None
    assert resp.store is False


def test_responses_create_stream(client: openai.OpenAI) -> None:
    prompt = "Tell me a very short story."
    full = client.responses.create(model=CHAT_MODEL, input=prompt, max_output_tokens=MAX_TOKENS, temperature=0)
    events = list(
        client.responses.create(
            model=CHAT_MODEL, input=prompt, max_output_tokens=MAX_TOKENS, temperature=0, stream=True
        )
    )
    types = [event.type for event in events]
    assert types[:2] == ["response.created", "response.in_progress"], types
    assert types[-1] == "response.completed", types
    assert [event.sequence_number for event in events] == list(range(len(events)))
    assert events[0].response.status == "in_progress"
    assert events[0].response.id == events[-1].response.id
    # The message item opens, its text streams as deltas, then it closes.
    assert types.index("response.output_item.added") < types.index("response.content_part.added")
    assert types.index("response.content_part.added") < types.index("response.output_text.delta")
    tail = types[-4:]
    assert tail == ["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"]
    deltas = [event.delta for event in events if event.type == "response.output_text.delta"]
    assert len(deltas) >= 2, f"only {len(deltas)} delta(s)"
    streamed = "".join(deltas)
    done = next(event for event in events if event.type == "response.output_text.done")
    assert done.text == streamed
    completed = events[-1].response
    assert completed.status == "completed"
    assert completed.output_text == streamed
    assert streamed == full.output_text
    _assert_usage(completed.usage)
    assert completed.usage.input_tokens == full.usage.input_tokens
    assert completed.usage.output_tokens == full.usage.output_tokens


def test_responses_stream_helper(client: openai.OpenAI) -> None:
    pieces: list[str] = []
    with client.responses.stream(
        model=CHAT_MODEL, input="Write one line about the sea.", max_output_tokens=MAX_TOKENS, temperature=0
    ) as stream:
        for event in stream:
            if event.type == "response.output_text.delta":
                pieces.append(event.delta)
        final = stream.get_final_response()
    assert pieces
    assert final.status == "completed"
    assert final.output_text == "".join(pieces)
    _assert_usage(final.usage)


def test_responses_function_call_round_trip(client: openai.OpenAI) -> None:
    question = {"role": "user", "content": "What is the weather in Paris right now?"}
    resp = client.responses.create(
        model=CHAT_MODEL, input=[question], tools=[WEATHER_TOOL], max_output_tokens=TOOL_MAX_TOKENS, temperature=0
    )
    calls = _function_calls(resp)
    assert calls, f"no function_call item, output={resp.output!r}"
    call = calls[0]
    assert call.name == "get_weather"
    assert call.status == "completed"
    assert call.call_id.startswith("call_")
    args = json.loads(call.arguments)
    assert isinstance(args, dict) and isinstance(args.get("city"), str)
    assert resp.tools[0].name == "get_weather"
    _assert_usage(resp.usage)

    answer = client.responses.create(
        model=CHAT_MODEL,
        input=[
            question,
            {"type": "function_call", "call_id": call.call_id, "name": call.name, "arguments": call.arguments},
            {"type": "function_call_output", "call_id": call.call_id, "output": json.dumps({"sky": "sunny", "celsius": 21})},
        ],
        tools=[WEATHER_TOOL],
        max_output_tokens=TOOL_MAX_TOKENS,
        temperature=0,
    )
    assert not _function_calls(answer)
    assert answer.output_text.strip()
    assert answer.usage.input_tokens > resp.usage.input_tokens


def test_responses_function_call_stream(client: openai.OpenAI) -> None:
    events = list(
        client.responses.create(
            model=CHAT_MODEL,
            input="What is the weather in Paris right now?",
            tools=[WEATHER_TOOL],
            max_output_tokens=TOOL_MAX_TOKENS,
            temperature=0,
            stream=True,
        )
    )
    done = [event for event in events if event.type == "response.function_call_arguments.done"]
    assert done, [event.type for event in events]
    assert isinstance(json.loads(done[0].arguments).get("city"), str)
    added = next(event for event in events if event.type == "response.output_item.added" and event.item.type == "function_call")
    assert added.item.status == "in_progress" and added.item.name == "get_weather"
    completed = events[-1]
    assert completed.type == "response.completed"
    calls = _function_calls(completed.response)
    assert calls and calls[0].arguments == done[0].arguments


def test_responses_reasoning_on_a_thinking_model(client: openai.OpenAI) -> None:
    resp = client.responses.create(
        model=THINKING_MODEL, input="What is 2 + 2?", reasoning={"effort": "low"}, max_output_tokens=TOOL_MAX_TOKENS
    )
    assert resp.output[0].type == "reasoning", [item.type for item in resp.output]
    summary = resp.output[0].summary
    assert summary and summary[0].type == "summary_text" and summary[0].text.strip()
    assert resp.reasoning.effort == "low"
    _assert_usage(resp.usage)


def test_instructions_are_a_system_message(client: openai.OpenAI) -> None:
    prompt = "Name a colour."
    plain = client.responses.create(model=CHAT_MODEL, input=prompt, max_output_tokens=MAX_TOKENS, temperature=0)
    instructed = client.responses.create(
        model=CHAT_MODEL,
        input=prompt,
        instructions="You are a painter who answers in one short sentence about pigments and light.",
        max_output_tokens=MAX_TOKENS,
        temperature=0,
    )
    assert instructed.instructions.startswith("You are a painter")
    assert plain.instructions is None
    assert instructed.usage.input_tokens > plain.usage.input_tokens


def test_previous_response_id_is_ignored(client: openai.OpenAI) -> None:
    # Ollama's Responses API is stateless: it answers the input alone.
    resp = client.responses.create(
        model=CHAT_MODEL, input="Say hi.", previous_response_id="resp_never_stored", max_output_tokens=MAX_TOKENS
    )
    assert resp.status == "completed"
    assert resp.previous_response_id is None


def test_unknown_model_is_not_found(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as excinfo:
        client.responses.create(model=UNKNOWN_MODEL, input="hi", max_output_tokens=MAX_TOKENS)
    assert excinfo.value.status_code == 404
    assert f"model '{UNKNOWN_MODEL}' not found" in excinfo.value.message


def test_unknown_model_stream_is_not_found(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError):
        for _ in client.responses.create(model=UNKNOWN_MODEL, input="hi", max_output_tokens=MAX_TOKENS, stream=True):
            pass


def test_bad_reasoning_effort_is_a_bad_request(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.responses.create(model=THINKING_MODEL, input="hi", reasoning={"effort": "extreme"}, max_output_tokens=MAX_TOKENS)
    assert 'invalid reasoning value: "extreme"' in excinfo.value.message
