-- wrk: a streamed /api/generate (the fast model of node-sim-fast.yaml answers 4 tokens: 5 NDJSON lines).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"fast","prompt":"Why is the sky blue?"}'
