"""Conformance tests run with the official `anthropic` Python client against the
Anthropic Messages API (`POST /v1/messages`) of an Ollama-compatible server
(a current Ollama, the simulator, or the gateway in front of them).

    OLLAMAMAX_TEST_URL=http://127.0.0.1:PORT .venv/bin/python -m pytest -q Tests/clients

Requests are kept small (qwen2.5:0.5b, max_tokens 8) so the suite is fast;
temperature 0 (sent in `extra_body`: client 2.x has no `temperature` argument) makes a
real model answer the same prompt the same way twice.
"""

from __future__ import annotations

import anthropic
import clientenv
import pytest

CHAT_MODEL = "qwen2.5:0.5b"
THINKING_MODEL = "qwen3:4b"
UNKNOWN_MODEL = "ollamamax-no-such-model:latest"
MAX_TOKENS = 8
# A real model cuts a tool call or a thought short when the budget is tiny.
TOOL_MAX_TOKENS = 64
THINKING_MAX_TOKENS = 256

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Get the current weather for a city",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string", "description": "The name of the city"}},
        "required": ["city"],
    },
}


# With a key the suite runs once per way the client sends one: api_key and auth_token (this
# client sends both as Authorization: Bearer; auth_token is what Claude Code's
# ANTHROPIC_AUTH_TOKEN sets) and the x-api-key header (Anthropic's API, Claude Code's
# ANTHROPIC_API_KEY, older clients), given as a default header with Authorization omitted.
KEY_OPTIONS = ["api_key", "auth_token", "x-api-key"] if clientenv.api_key() else ["api_key"]


def credentials(option: str, key: str | None) -> dict:
    """The client's arguments that send `key` the way `option` names."""
    if option == "auth_token":
        return {"api_key": None, "auth_token": key}
    if option == "x-api-key":
        return {"api_key": "unused", "default_headers": {"x-api-key": key, "Authorization": anthropic.omit}}
    return {"api_key": key or "unused"}


@pytest.fixture(scope="module", params=KEY_OPTIONS)
def client(request) -> anthropic.Anthropic:
    # max_retries=0: a conformance failure must show the first answer, not a retried one.
    return anthropic.Anthropic(
        base_url=clientenv.base_url(),
        http_client=clientenv.http_client(anthropic),
        max_retries=0,
        timeout=60,
        **credentials(request.param, clientenv.api_key()),
    )


def _assert_usage(usage, *, output_tokens: int | None = None) -> None:
    assert usage is not None
    for name in ("input_tokens", "output_tokens"):
        value = getattr(usage, name)
        assert isinstance(value, int) and not isinstance(value, bool), f"{name}={value!r}"
    assert usage.input_tokens > 0
    assert usage.output_tokens > 0
    if output_tokens is not None:
        assert usage.output_tokens == output_tokens


def _check_stop(message) -> None:
    assert message.stop_reason in ("end_turn", "max_tokens"), message.stop_reason
    _assert_usage(message.usage, output_tokens=MAX_TOKENS if message.stop_reason == "max_tokens" else None)


def test_messages_create(client: anthropic.Anthropic) -> None:
    message = client.messages.create(
        model=CHAT_MODEL,
        max_tokens=MAX_TOKENS,
        extra_body={"temperature": 0},
        messages=[{"role": "user", "content": "Say hello."}],
    )
    assert message.id.startswith("msg_")
    assert message.type == "message"
    assert message.role == "assistant"
    assert message.model == CHAT_MODEL
    assert [block.type for block in message.content] == ["text"]
    assert message.content[0].text
    _check_stop(message)


def test_system_prompt_as_string_and_as_blocks(client: anthropic.Anthropic) -> None:
    as_string = client.messages.create(
        model=CHAT_MODEL,
        max_tokens=MAX_TOKENS,
        extra_body={"temperature": 0},
        system="You are terse.",
        messages=[{"role": "user", "content": "Say hello."}],
    )
    as_blocks = client.messages.create(
        model=CHAT_MODEL,
        max_tokens=MAX_TOKENS,
        extra_body={"temperature": 0},
        system=[{"type": "text", "text": "You are "}, {"type": "text", "text": "terse."}],
        messages=[{"role": "user", "content": [{"type": "text", "text": "Say hello."}]}],
    )
    # Ollama joins the system blocks into one system message: the same prompt as the string.
    assert as_blocks.usage.input_tokens == as_string.usage.input_tokens
    assert as_blocks.content[0].text == as_string.content[0].text
    _check_stop(as_string)


def test_messages_stream_text_and_final_message(client: anthropic.Anthropic) -> None:
    with client.messages.stream(
        model=CHAT_MODEL,
        max_tokens=MAX_TOKENS,
        extra_body={"temperature": 0},
        messages=[{"role": "user", "content": "Count to three."}],
    ) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()
    assert len(pieces) > 1, "the answer should arrive in several deltas"
    assert all(pieces)
    assert [block.type for block in final.content] == ["text"]
    assert final.content[0].text == "".join(pieces)
    assert final.id.startswith("msg_")
    _check_stop(final)


def test_raw_stream_events_come_in_order(client: anthropic.Anthropic) -> None:
    events = list(
        client.messages.create(
            model=CHAT_MODEL,
            max_tokens=MAX_TOKENS,
            extra_body={"temperature": 0},
            stream=True,
            messages=[{"role": "user", "content": "Count to three."}],
        )
    )
    kinds = [event.type for event in events]
    assert kinds[0] == "message_start"
    assert kinds[1] == "content_block_start"
    assert kinds[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    assert set(kinds[2:-3]) == {"content_block_delta"}
    assert events[0].message.usage.input_tokens > 0
    assert events[0].message.content == []
    assert events[1].content_block.type == "text"
    assert all(event.delta.type == "text_delta" for event in events[2:-3])
    delta = events[-2]
    assert delta.delta.stop_reason in ("end_turn", "max_tokens")
    assert delta.usage.output_tokens > 0
    if delta.delta.stop_reason == "max_tokens":
        assert delta.usage.output_tokens == MAX_TOKENS


def test_tool_round_trip(client: anthropic.Anthropic) -> None:
    question = {"role": "user", "content": "What is the weather in Paris? Use the tool."}
    call = client.messages.create(
        model=CHAT_MODEL,
        max_tokens=TOOL_MAX_TOKENS,
        extra_body={"temperature": 0},
        tools=[WEATHER_TOOL],
        messages=[question],
    )
    assert call.stop_reason == "tool_use"
    uses = [block for block in call.content if block.type == "tool_use"]
    assert len(uses) == 1
    use = uses[0]
    assert use.name == "get_weather"
    assert use.id
    assert isinstance(use.input, dict)
    assert isinstance(use.input.get("city"), str)
    _assert_usage(call.usage)

    answer = client.messages.create(
        model=CHAT_MODEL,
        max_tokens=MAX_TOKENS,
        extra_body={"temperature": 0},
        tools=[WEATHER_TOOL],
        messages=[
            question,
            {"role": "assistant", "content": call.content},
            {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": use.id, "content": "Sunny, 22 degrees"}],
            },
        ],
    )
    assert answer.stop_reason in ("end_turn", "max_tokens")
    assert [block.type for block in answer.content] == ["text"]
    assert answer.content[0].text
    _assert_usage(answer.usage)


def test_tool_use_streamed_as_input_json(client: anthropic.Anthropic) -> None:
    with client.messages.stream(
        model=CHAT_MODEL,
        max_tokens=TOOL_MAX_TOKENS,
        extra_body={"temperature": 0},
        tools=[WEATHER_TOOL],
        messages=[{"role": "user", "content": "What is the weather in Paris? Use the tool."}],
    ) as stream:
        deltas = [event.delta.type for event in stream if event.type == "content_block_delta"]
        final = stream.get_final_message()
    assert "input_json_delta" in deltas
    assert final.stop_reason == "tool_use"
    use = [block for block in final.content if block.type == "tool_use"][0]
    assert use.name == "get_weather"
    assert isinstance(use.input.get("city"), str)


def test_thinking_blocks_on_a_thinking_model(client: anthropic.Anthropic) -> None:
    message = client.messages.create(
        model=THINKING_MODEL,
        max_tokens=THINKING_MAX_TOKENS,
        extra_body={"temperature": 0},
        thinking={"type": "enabled", "budget_tokens": 1024},
        messages=[{"role": "user", "content": "Is 7 a prime number? Answer yes or no."}],
    )
    kinds = [block.type for block in message.content]
    assert kinds[0] == "thinking", kinds
    assert message.content[0].thinking
    if message.stop_reason == "end_turn":
        assert kinds == ["thinking", "text"]
        assert message.content[1].text
    else:
        assert message.stop_reason == "max_tokens"
    _assert_usage(message.usage)


def test_thinking_streamed_before_the_text(client: anthropic.Anthropic) -> None:
    with client.messages.stream(
        model=THINKING_MODEL,
        max_tokens=THINKING_MAX_TOKENS,
        extra_body={"temperature": 0},
        thinking={"type": "enabled", "budget_tokens": 1024},
        messages=[{"role": "user", "content": "Is 7 a prime number? Answer yes or no."}],
    ) as stream:
        deltas = [event.delta.type for event in stream if event.type == "content_block_delta"]
        final = stream.get_final_message()
    assert deltas[0] == "thinking_delta"
    first_text = deltas.index("text_delta") if "text_delta" in deltas else len(deltas)
    assert set(deltas[:first_text]) == {"thinking_delta"}
    assert set(deltas[first_text:]) <= {"text_delta"}
    assert final.content[0].type == "thinking"
    assert final.content[0].thinking
    _assert_usage(final.usage)


def test_unknown_model_is_not_found(client: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.NotFoundError) as raised:
        client.messages.create(
            model=UNKNOWN_MODEL,
            max_tokens=MAX_TOKENS,
            messages=[{"role": "user", "content": "Hi"}],
        )
    assert raised.value.status_code == 404
    body = raised.value.body
    assert body["type"] == "error"
    assert body["error"]["type"] == "not_found_error"
    assert UNKNOWN_MODEL in body["error"]["message"]


def test_bad_request_names_the_field(client: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.BadRequestError) as raised:
        client.messages.create(
            model=CHAT_MODEL,
            max_tokens=0,
            messages=[{"role": "user", "content": "Hi"}],
        )
    assert raised.value.status_code == 400
    assert raised.value.body["error"] == {
        "type": "invalid_request_error",
        "message": "max_tokens is required and must be positive",
    }
