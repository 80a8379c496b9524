import Logging
import OllamaAPI

extension Logger {
    /// The one structured line per relayed request. It costs more than the proxying itself at
    /// thousands of requests per second, so it is at debug level (`--log-level debug`), and its
    /// metadata is built only when that level is on.
    func requestDone(
        requestID: String,
        node: String,
        model: String?,
        status: Int,
        firstByte: Duration?,
        started: ContinuousClock.Instant,
        outcome: RequestOutcome
    ) {
        guard logLevel <= .debug else { return }
        debug(
            "request done",
            metadata: [
                "request_id": "\(requestID)", "node": "\(node)", "model": "\(model ?? "-")", "status": "\(status)",
                "ttft_ms": "\(firstByte.map { Int($0.inSeconds * 1000) } ?? -1)",
                "duration_ms": "\(Int((ContinuousClock.now - started).inSeconds * 1000))", "outcome": "\(outcome)",
            ]
        )
    }

    /// The warning for an attempt on a node that failed before anything reached the client
    /// (the request goes on to another node, or ends with the last error).
    func attemptFailed(requestID: String, node: String, error: String) {
        warning("node attempt failed", metadata: ["request_id": "\(requestID)", "node": "\(node)", "error": "\(error)"])
    }

    /// The debug line for a request on a route the gateway does not know, so operators learn
    /// what their clients use: its method and path (never the query, which may hold secrets).
    func unknownRoute(requestID: String, method: String, path: String) {
        guard logLevel <= .debug else { return }
        debug("unknown route", metadata: ["request_id": "\(requestID)", "method": "\(method)", "path": "\(path)"])
    }
}
