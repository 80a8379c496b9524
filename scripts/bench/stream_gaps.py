"""Measures inter-token gaps of NDJSON streams as a client sees them (arrival time of each line).

Usage: stream_gaps.py URL STREAMS TOKENS -> prints p50/p99 of the gaps in milliseconds.
Streams run one after another so the measurement is not disturbed by the client itself.
"""
import http.client
import json
import sys
import time
import urllib.parse

url, streams, tokens = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
parts = urllib.parse.urlparse(url)
body = json.dumps({"model": "llama3.2", "prompt": "gaps", "options": {"num_predict": tokens}})
gaps = []
for _ in range(streams):
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.request("POST", "/api/generate", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    last = None
    while True:
        line = response.readline()
        if not line:
            break
        now = time.perf_counter()
        if last is not None:
            gaps.append((now - last) * 1000)
        last = now
    connection.close()
gaps.sort()
q = lambda p: gaps[min(len(gaps) - 1, int(p * len(gaps)))]
print(f"gaps={len(gaps)} p50={q(0.5):.3f}ms p90={q(0.9):.3f}ms p99={q(0.99):.3f}ms max={gaps[-1]:.3f}ms")
