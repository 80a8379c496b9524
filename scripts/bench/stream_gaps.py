"""Measures inter-token gaps of streams as a client sees them (arrival time of each token).

Usage: stream_gaps.py URL STREAMS TOKENS [API] -> prints p50/p90/p99/max of the gaps in milliseconds.

API is `ollama` (default: /api/generate, one NDJSON line per token), `anthropic` (/v1/messages:
the arrival of each `content_block_delta` event) or `responses` (/v1/responses: each
`response.output_text.delta` event). Streams run one after another so the measurement is not
disturbed by the client itself.
"""
import http.client
import json
import sys
import urllib.parse
import time

if len(sys.argv) not in (4, 5):
    sys.exit("usage: stream_gaps.py URL STREAMS TOKENS [ollama|anthropic|responses]")
url, streams, tokens = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
api = sys.argv[4] if len(sys.argv) == 5 else "ollama"
parts = urllib.parse.urlparse(url)
if api == "ollama":
    path = "/api/generate"
    body = {"model": "llama3.2", "prompt": "gaps", "options": {"num_predict": tokens}}
    is_token = lambda line: line.strip() != b""
elif api == "anthropic":
    path = "/v1/messages"
    body = {"model": "llama3.2", "max_tokens": tokens, "stream": True, "messages": [{"role": "user", "content": "gaps"}]}
    is_token = lambda line: line.startswith(b"event: content_block_delta")
elif api == "responses":
    path = "/v1/responses"
    body = {"model": "llama3.2", "max_output_tokens": tokens, "stream": True, "input": "gaps"}
    is_token = lambda line: line.startswith(b"event: response.output_text.delta")
else:
    sys.exit(f"stream_gaps.py: unknown API '{api}' (use ollama, anthropic or responses)")
gaps = []
for _ in range(streams):
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    response = connection.getresponse()
    if response.status != 200:
        sys.exit(f"stream_gaps.py: {path} answered {response.status}: {response.read()[:300]!r}")
    last = None
    while True:
        line = response.readline()
        if not line:
            break
        if not is_token(line):
            continue
        now = time.perf_counter()
        if last is not None:
            gaps.append((now - last) * 1000)
        last = now
    connection.close()
if not gaps:
    sys.exit(f"stream_gaps.py: no token gaps seen on {path}")
gaps.sort()
q = lambda p: gaps[min(len(gaps) - 1, int(p * len(gaps)))]
print(f"gaps={len(gaps)} p50={q(0.5):.3f}ms p90={q(0.9):.3f}ms p99={q(0.99):.3f}ms max={gaps[-1]:.3f}ms")
