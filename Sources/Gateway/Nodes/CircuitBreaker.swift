import OllamaAPI

/// A per-node circuit breaker over request outcomes.
///
/// After `failureThreshold` consecutive failures (connect errors, 5xx, instant 503s) the circuit
/// opens and the node gets no requests for `open`; then one trial request is let through
/// (half-open): its success closes the circuit, its failure opens it again. This is what keeps
/// a node that fails fast from looking idle and attracting traffic. Times are plain seconds on
/// a monotonic clock, passed in, so the breaker is a pure value.
public struct CircuitBreaker: Sendable, Hashable {
    /// Whether requests may pass.
    public enum State: String, Sendable, Hashable, Codable {
        case closed
        case open
        case halfOpen = "half_open"
    }

    /// When the circuit opens and for how long.
    public struct Policy: Sendable, Hashable, Codable {
        public var failureThreshold: Int
        /// How long an opened circuit keeps the node out before a trial request.
        public var open: Duration

        public init(failureThreshold: Int = 5, open: Duration = .seconds(10)) {
            self.failureThreshold = failureThreshold
            self.open = open
        }
    }

    public private(set) var state: State = .closed
    public private(set) var consecutiveFailures = 0
    private var openedAt = 0.0
    private var trialInFlight = false

    public init() {}

    /// Whether a request may go to the node at `now` (without taking the half-open trial).
    public func allows(now: Double, policy: Policy) -> Bool {
        switch state {
        case .closed: true
        case .open: now - openedAt >= policy.open.inSeconds
        case .halfOpen: !trialInFlight
        }
    }

    /// Takes a request slot: in an open circuit past its time, this becomes the half-open trial.
    public mutating func admit(now: Double, policy: Policy) {
        if state == .open, now - openedAt >= policy.open.inSeconds { state = .halfOpen }
        if state == .halfOpen { trialInFlight = true }
    }

    public mutating func recordSuccess() {
        state = .closed
        consecutiveFailures = 0
        trialInFlight = false
    }

    public mutating func recordFailure(now: Double, policy: Policy) {
        consecutiveFailures += 1
        trialInFlight = false
        if state == .halfOpen || consecutiveFailures >= policy.failureThreshold {
            state = .open
            openedAt = now
        }
    }

    /// A request that ended without a verdict on the node (the client left): frees the trial.
    public mutating func recordNeutral() {
        trialInFlight = false
    }
}
