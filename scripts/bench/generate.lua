-- wrk: small non-streaming /api/generate requests
wrk.method = "POST"
wrk.body = '{"model":"fast","prompt":"Why is the sky blue?","stream":false}'
wrk.headers["Content-Type"] = "application/json"
