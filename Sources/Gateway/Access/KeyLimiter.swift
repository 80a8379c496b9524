import Synchronization
import Telemetry

/// A key's limits: requests and tokens (prompt + output) per minute; `nil` means no limit.
public struct KeyLimits: Sendable, Hashable, Codable {
    public var requestsPerMinute: Int?
    public var tokensPerMinute: Int?

    /// - Parameters:
    ///   - requestsPerMinute: requests a minute, `nil` for no limit.
    ///   - tokensPerMinute: prompt plus output tokens a minute, `nil` for no limit.
    public init(requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
    }

    /// Whether neither limit is set.
    public var isUnlimited: Bool { requestsPerMinute == nil && tokensPerMinute == nil }
}

/// The answer to "may this key send a request now?".
public enum KeyAdmission: Sendable, Equatable {
    case allowed
    /// Over a limit: the client may retry after `retryAfterSeconds` (at least 1); `what` names the
    /// limit that refused it, e.g. `"3 requests per minute"`, never the key.
    case limited(retryAfterSeconds: Int, what: String)
}

/// What one key has done since the gateway started, for `/ollamamax/keys` and `status`.
public struct KeyUsage: Sendable, Hashable, Codable {
    /// The key's name (never the key).
    public let name: String
    /// Requests admitted.
    public var requests: Int = 0
    public var promptTokens: Int = 0
    public var outputTokens: Int = 0
    /// Requests refused with 429.
    public var rateLimited: Int = 0
    /// Requests refused with 403 (a route or model the key's role may not use).
    public var forbidden: Int = 0
    public var limits: KeyLimits

    public init(name: String, limits: KeyLimits) {
        self.name = name
        self.limits = limits
    }
}

/// Per-key rate limits and usage counts: one token bucket per limit and key.
///
/// Cheap on the hot path: one lock per `admit` and per `charge`; metric updates happen outside it.
/// Key names are bounded by the key file, and so is the state kept here and the metrics' `key` label.
public final class KeyLimiter: Sendable {
    private let accounts: Mutex<[String: KeyAccount]>
    private let limits: [String: KeyLimits]
    private let metrics: GatewayMetrics?
    private let now: @Sendable () -> Duration

    /// - Parameters:
    ///   - limits: each key's limits, by key name; keys missing here are counted but not limited.
    ///   - metrics: where per-key counters go; `nil` in tests that need none.
    ///   - now: the time since a fixed origin; monotonic by default, injectable for tests.
    public init(limits: [String: KeyLimits], metrics: GatewayMetrics?, now: (@Sendable () -> Duration)? = nil) {
        let origin = ContinuousClock.now
        let clock = now ?? { origin.duration(to: .now) }
        let start = clock()
        self.limits = limits
        self.metrics = metrics
        self.now = clock
        accounts = Mutex(limits.reduce(into: [:]) { $0[$1.key] = KeyAccount(name: $1.key, limits: $1.value, now: start) })
        for name in limits.keys { metrics?.startKeySeries(name) }
    }

    /// Counts a request of key `name` and says whether its limits let it through.
    public func admit(_ name: String) -> KeyAdmission {
        let time = now()
        let admission = accounts.withLock { accounts in
            accounts[name, default: KeyAccount(name: name, limits: limits[name] ?? KeyLimits(), now: time)].admit(now: time)
        }
        switch admission {
        case .allowed: metrics?.keyRequests.increment(name)
        case .limited: metrics?.keyRejections.increment(name, "rate_limited")
        }
        return admission
    }

    /// Charges an answer's tokens to key `name`; the token bucket may go into debt.
    public func charge(_ name: String, promptTokens: Int, outputTokens: Int) {
        let prompt = max(promptTokens, 0)
        let output = max(outputTokens, 0)
        guard prompt + output > 0 else { return }
        let time = now()
        accounts.withLock { accounts in
            accounts[name, default: KeyAccount(name: name, limits: limits[name] ?? KeyLimits(), now: time)]
                .charge(prompt: prompt, output: output, now: time)
        }
        if prompt > 0 { metrics?.keyTokens.increment(by: Int64(prompt), name, "prompt") }
        if output > 0 { metrics?.keyTokens.increment(by: Int64(output), name, "output") }
    }

    /// Counts a refusal: a 403 of key `name`, or a 401 (`name` is `nil`: no valid key was sent).
    public func refused(_ name: String?, status: Int) {
        guard let name, status == 403 else {
            metrics?.authFailures.increment()
            return
        }
        accounts.withLock { accounts in
            accounts[name, default: KeyAccount(name: name, limits: limits[name] ?? KeyLimits(), now: now())].usage.forbidden += 1
        }
        metrics?.keyRejections.increment(name, "forbidden")
    }

    /// Every key's usage so far, by name.
    public func snapshot() -> [KeyUsage] {
        accounts.withLock { accounts in accounts.values.map(\.usage) }.sorted { $0.name < $1.name }
    }
}

/// One key's buckets and counts: the pure decision core of ``KeyLimiter``.
struct KeyAccount: Sendable, Equatable {
    var usage: KeyUsage
    private(set) var requestBucket: TokenBucket?
    private(set) var tokenBucket: TokenBucket?

    init(name: String, limits: KeyLimits, now: Duration) {
        usage = KeyUsage(name: name, limits: limits)
        requestBucket = limits.requestsPerMinute.map { TokenBucket(perMinute: $0, now: now) }
        tokenBucket = limits.tokensPerMinute.map { TokenBucket(perMinute: $0, now: now) }
    }

    /// Admits a request while the request bucket holds a whole request and the token bucket is
    /// above zero; otherwise says how long until the limiting bucket is back to at least 1.
    mutating func admit(now: Duration) -> KeyAdmission {
        requestBucket?.refill(now: now)
        tokenBucket?.refill(now: now)
        var refusal: (seconds: Int, what: String)?
        if let bucket = requestBucket, bucket.level < 1 {
            refusal = (bucket.secondsUntilOne(), "\(bucket.capacity) request\(bucket.capacity == 1 ? "" : "s") per minute")
        }
        if let bucket = tokenBucket, bucket.level <= 0, bucket.secondsUntilOne() > refusal?.seconds ?? 0 {
            refusal = (bucket.secondsUntilOne(), "\(bucket.capacity) token\(bucket.capacity == 1 ? "" : "s") per minute")
        }
        if let refusal {
            usage.rateLimited += 1
            return .limited(retryAfterSeconds: refusal.seconds, what: refusal.what)
        }
        requestBucket?.take(1, now: now)
        usage.requests += 1
        return .allowed
    }

    /// Charges an answer's tokens to the counts and the token bucket.
    mutating func charge(prompt: Int, output: Int, now: Duration) {
        usage.promptTokens += prompt
        usage.outputTokens += output
        tokenBucket?.take(prompt + output, now: now)
    }
}
