import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOPosix
import OllamaAPI

/// The rules both ways of relaying a request to a node share: the data plane (the routed
/// inference endpoints, on the event loops) and ``Proxy`` (the model-management requests the
/// router sends to one node). Which answers are retried, how long to back off, which headers
/// cross, and the words of the errors live here once, so the two cannot drift apart.
enum RelayRules {
    /// The fields routing needs from a request body; everything else is passed through untouched.
    static let routingKeys: Set<String> = ["model", "name"]

    /// The field that routes a request for a route the gateway does not know.
    static let modelKey: Set<String> = ["model"]

    /// A request method as a metric label: the standard methods by name, any other `other`, so
    /// a client cannot grow the label's values.
    static func methodLabel(_ method: HTTPMethod) -> String {
        switch method {
        case .GET, .HEAD, .POST, .PUT, .DELETE, .PATCH, .OPTIONS: method.rawValue
        default: "other"
        }
    }

    /// Routes whose answers are inference: they feed the LLM metrics (tokens, TTFT, speed).
    static let inferencePaths: Set<String> = [
        "/api/generate", "/api/chat", "/api/embed", "/api/embeddings", "/v1/chat/completions", "/v1/completions",
        "/v1/embeddings", "/v1/messages", "/v1/responses",
    ]

    // MARK: Retries

    /// Whether a node's answer with this status may be tried again on another node (while
    /// nothing has reached the client): any 5xx, Ollama's own 503 for a full queue included,
    /// whose body ``judge(status:body:)`` then reads, since Ollama's 500 for an option of the
    /// wrong type is the client's error. A 4xx is the client's error and goes back as it is.
    static func retryable(status: Int) -> Bool {
        status >= 500
    }

    /// The longest pause before attempt `attempt` (1 for the first retry), seconds: `base`
    /// doubled each attempt, at most a second. The pause is drawn uniformly from 0 to this (full
    /// jitter), so retries from many clients spread out.
    static func backoffCap(attempt: Int, base: Duration) -> Double {
        min(1.0, base.inSeconds * Double(1 << min(max(attempt - 1, 0), 30)))
    }

    /// The pause before attempt `attempt`, in nanoseconds, with full jitter.
    static func backoffNanoseconds(attempt: Int, base: Duration) -> Int64 {
        Int64(Double.random(in: 0...backoffCap(attempt: attempt, base: base)) * 1e9)
    }

    // MARK: Error wording

    /// What the first attempts remember before any node failed.
    static let noAttemptYet = "no node answered"

    /// A failed attempt that got no answer (connect error, broken connection, timeout).
    static func attemptError(node: String, _ error: any Error) -> String {
        "\(node): \(describe(error))"
    }

    /// A failed attempt that got a 5xx answer with `body`.
    static func attemptError(node: String, status: Int, body: String) -> String {
        "\(node): \(status) \(body)"
    }

    /// The 502 after every attempt failed without an answer to pass on.
    static func exhausted(lastError: String) -> String {
        "no node could serve the request: \(lastError)"
    }

    /// The error line that ends a stream whose node broke after the first byte.
    static func midStream(node: String, _ error: any Error) -> String {
        "node \(node) failed mid-stream: \(describe(error))"
    }

    /// A duration in an error message, to the millisecond: `0.3s`, `30.0s`.
    static func text(_ duration: Duration) -> String {
        "\((duration / .milliseconds(1)).rounded() / 1000)s"
    }

    /// A client-facing description of a node error: a failed system call says only what the
    /// system says (`connection refused`), not NIO's wrapping of it.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as HTTPClientError: return "\(error)"
        case let error as IOError: return String(cString: strerror(error.errnoCode)).lowercased()
        case let error as NIOConnectionError:
            return error.connectionErrors.first.map { describe($0.error) } ?? String(describing: error)
        default: return String(describing: error)
        }
    }

    // MARK: Headers

    /// Request headers that stay on their hop.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "host",
        "content-length",
    ]

    /// Header names a relayed answer does not carry over: hop-by-hop ones, and `Date` and
    /// `Server`, which the gateway sets itself.
    static let notRelayed: Set<String> = hopByHop.union(["date", "server"])

    /// Whether a request header stays on its hop (``hopByHop``), by any spelling of its name.
    static func isHopByHop(_ name: String) -> Bool {
        hopByHop.contains(name.lowercased())
    }

    /// A node's answer headers that are relayed: all but ``notRelayed``.
    static func relayedHeaders(_ headers: HTTPHeaders) -> HTTPHeaders {
        var relayed = HTTPHeaders()
        relayed.reserveCapacity(headers.count + 5)
        for (name, value) in headers where !notRelayed.contains(name.lowercased()) {
            relayed.add(name: name, value: value)
        }
        return relayed
    }

    /// ``relayedHeaders(_:)`` as HTTPTypes fields, for the router's answers.
    static func responseFields(_ headers: HTTPHeaders) -> HTTPFields {
        var fields = HTTPFields()
        fields.reserveCapacity(headers.count + 2)
        for (name, value) in headers where !notRelayed.contains(name.lowercased()) {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        return fields
    }
}
