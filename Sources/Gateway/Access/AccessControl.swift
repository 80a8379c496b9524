import Crypto
import HTTPTypes
import NIOHTTP1

/// The gateway's keys at run time: who a presented key is, what a route lets them do, and the
/// per-key limits. Exists only when keys are configured: without keys nothing is checked.
final class AccessControl: Sendable {
    /// Every key's SHA-256, back to back, in the order of ``callers``.
    private let digests: [UInt8]
    private let callers: [Caller]
    /// The per-key limits and usage (requests, tokens, refusals).
    let limiter: KeyLimiter
    /// Whether loopback clients reach the monitoring routes without a key.
    let openMetricsOnLoopback: Bool

    /// The request header that carries a request's key name from the data plane to the router,
    /// set only by the gateway (a client's own is removed first).
    static let callerHeader = "X-OllamaMax-Key-Name"
    static let callerField = HTTPField.Name(callerHeader)!

    init?(settings: AccessSettings, metrics: GatewayMetrics?) {
        guard !settings.keys.isEmpty else { return nil }
        digests = settings.keys.flatMap(\.digest)
        callers = settings.keys.map(\.caller)
        openMetricsOnLoopback = settings.openMetricsOnLoopback
        var limits: [String: KeyLimits] = [:]
        for key in settings.keys { limits[key.name] = key.limits ?? KeyLimits() }
        limiter = KeyLimiter(limits: limits, metrics: metrics)
    }

    /// Who sent `key`, or nil for a key the gateway does not know.
    ///
    /// The key's SHA-256 is compared with every known digest, every byte, without stopping at a
    /// match or a difference: the time taken says nothing about which key, or how much of one,
    /// matched.
    func caller(presenting key: some Sequence<UInt8>) -> Caller? {
        let presented = Array(SHA256.hash(data: Array(key)))
        var found = 0
        for entry in callers.indices {
            var difference: UInt8 = 0
            let start = entry * 32
            for offset in 0..<32 { difference |= digests[start + offset] ^ presented[offset] }
            // 1 when every byte matched, else 0, without a branch on the bytes.
            let match = Int((UInt16(difference) &- 1) >> 8) & 1
            found |= match &* (entry + 1)
        }
        return found == 0 ? nil : callers[found - 1]
    }

    /// The caller a key name (``callerHeader``) stands for.
    func caller(named name: String) -> Caller? {
        callers.first { $0.name == name }
    }

    /// The key a request presents: `Authorization: Bearer KEY` (what the ollama and openai
    /// clients send) or `x-api-key: KEY` (the anthropic client's); nil when neither.
    static func presentedKey(_ headers: HTTPHeaders) -> Substring? {
        if let authorization = headers.first(name: "Authorization") {
            let value = Substring(authorization).drop { $0 == " " }
            if value.count > 7, value.prefix(7).lowercased() == "bearer " {
                let key = value.dropFirst(7).trimmingSpaces
                if !key.isEmpty { return key }
            }
        }
        if let header = headers.first(name: "x-api-key") {
            let key = Substring(header).trimmingSpaces
            if !key.isEmpty { return key }
        }
        return nil
    }

    /// `headers` without the key headers (the key never goes on to a node) and without a
    /// client's own ``callerHeader``.
    static func removeCredentials(_ headers: inout HTTPHeaders) {
        headers.remove(name: "Authorization")
        headers.remove(name: "x-api-key")
        headers.remove(name: callerHeader)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var trimmed = self
        while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        return trimmed
    }
}
