/// How hard one notification is tried: attempts, the time each may take, and the backoff
/// between them.
///
/// The wait after attempt *n* is `initialBackoff × 2^(n-1)` (1 s, 2 s, 4 s, …), at most
/// `maximumBackoff`, spread by ±`jitter` so integrations failing together do not retry in step.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, at least 1.
    public var attempts: Int
    /// The longest one attempt may take (connect, send, answer).
    public var timeout: Duration
    /// The wait after the first failed attempt.
    public var initialBackoff: Duration
    /// The longest wait.
    public var maximumBackoff: Duration
    /// The relative spread of each wait, from 0 (none) to 1.
    public var jitter: Double

    /// Makes a policy; the defaults are 3 attempts of at most 10 s, waiting 1 s then 2 s (±20 %).
    /// - Parameters:
    ///   - attempts: attempts in all.
    ///   - timeout: the limit of one attempt.
    ///   - initialBackoff: the first wait.
    ///   - maximumBackoff: the longest wait.
    ///   - jitter: the relative spread of waits.
    public init(
        attempts: Int = 3,
        timeout: Duration = .seconds(10),
        initialBackoff: Duration = .seconds(1),
        maximumBackoff: Duration = .seconds(30),
        jitter: Double = 0.2
    ) {
        self.attempts = max(1, attempts)
        self.timeout = timeout
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.jitter = min(1, max(0, jitter))
    }

    /// The wait after failed attempt `attempt` (from 1), for `random` in 0..<1.
    public func backoff(afterAttempt attempt: Int, random: Double) -> Duration {
        let doublings = min(max(0, attempt - 1), 30)
        let base = min(initialBackoff.timeInterval * Double(1 << doublings), maximumBackoff.timeInterval)
        let spread = 1 + jitter * (2 * random - 1)
        return .milliseconds(Int64((base * spread * 1000).rounded()))
    }
}
