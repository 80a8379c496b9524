import Logging

extension Logger {
    /// The one structured line per relayed request. It costs more than the proxying itself at
    /// thousands of requests per second, so it is at debug level (`--log-level debug`), and its
    /// metadata is built only when that level is on.
    func requestDone(
        requestID: String, node: String, model: String?, status: Int, firstByte: Duration?,
        started: ContinuousClock.Instant, outcome: RequestOutcome
    ) {
        guard logLevel <= .debug else { return }
        debug(
            "request done",
            metadata: [
                "request_id": "\(requestID)", "node": "\(node)", "model": "\(model ?? "-")", "status": "\(status)",
                "ttft_ms": "\(firstByte.map { Int(Proxy.seconds($0) * 1000) } ?? -1)",
                "duration_ms": "\(Int(Proxy.seconds(ContinuousClock.now - started) * 1000))", "outcome": "\(outcome)",
            ])
    }
}
