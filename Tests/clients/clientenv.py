"""Where the suites find the server and how they reach it, from the environment.

    OLLAMAMAX_TEST_URL      base URL of an Ollama-compatible server (http:// or https://); required
    OLLAMAMAX_TEST_API_KEY  an API key to send (the gateway's --api-keys); unset: none is sent
    OLLAMAMAX_TEST_CA       a PEM file of CA certificates to trust for https:// besides the system's

Each client sends the key with its own option (ollama: an `Authorization: Bearer` header;
openai: `api_key`; anthropic: `api_key`, its `x-api-key` header, or `auth_token`, a Bearer
header) and trusts the CA through its own HTTP client, so the suites test what a user of
each client writes.
"""

from __future__ import annotations

import os
import ssl
import urllib.request

import pytest

URL_VARIABLE = "OLLAMAMAX_TEST_URL"
KEY_VARIABLE = "OLLAMAMAX_TEST_API_KEY"
CA_VARIABLE = "OLLAMAMAX_TEST_CA"


def base_url() -> str:
    """The server's base URL without a trailing slash; fails the test when it is not set."""
    url = os.environ.get(URL_VARIABLE, "").strip()
    if not url:
        pytest.fail(
            f"{URL_VARIABLE} is not set: export it to the base URL of an "
            f"Ollama-compatible server, e.g. {URL_VARIABLE}=http://127.0.0.1:11434",
            pytrace=False,
        )
    return url.rstrip("/")


def api_key() -> str | None:
    """The key to send, or None."""
    return os.environ.get(KEY_VARIABLE, "").strip() or None


def verify() -> ssl.SSLContext | bool:
    """What `httpx` verifies https:// with: the system's roots plus the CA file, if given."""
    ca = os.environ.get(CA_VARIABLE, "").strip()
    if not ca:
        return True
    context = ssl.create_default_context()
    context.load_verify_locations(cafile=ca)
    return context


def bearer_headers(key: str | None = None) -> dict[str, str]:
    """`Authorization: Bearer KEY` for `key` (the configured key when not given); empty without one."""
    key = key or api_key()
    return {"Authorization": f"Bearer {key}"} if key else {}


def http_client(sdk):
    """The HTTP client of `sdk` (the `openai` or `anthropic` module) that trusts the CA, for its
    `http_client` option: the SDK's own `DefaultHttpxClient`, which keeps the SDK's defaults and
    is of the httpx flavour the SDK accepts (anthropic 2.x refuses a plain `httpx.Client`)."""
    return sdk.DefaultHttpxClient(verify=verify())


def urlopen(path: str, timeout: float = 10):
    """GET `path` on the server with urllib, with the key and the CA."""
    request = urllib.request.Request(base_url() + path, headers=bearer_headers())
    context = verify()
    return urllib.request.urlopen(
        request, timeout=timeout, context=context if isinstance(context, ssl.SSLContext) else None
    )
