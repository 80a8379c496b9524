/// Why a limit changed; the raw value is the `kind` label of the decision metric.
public enum DecisionKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A window's latency stayed within the tolerance with the limit in use: it grew.
    case increase
    /// A window's latency inflated beyond the tolerance: it fell by the gradient.
    case decrease
    /// A drop (503/429, timeout, reset) cut it by the backoff ratio at once.
    case dropCut = "drop_cut"
}

/// One change of a limit: what changed, when, and why, with the numbers behind it.
public struct LimitDecision: Sendable, Hashable, Codable {
    /// The `now` of the decision, seconds on the caller's clock (the caller maps it to wall time).
    public var seconds: Double
    public var kind: DecisionKind
    /// The limit before.
    public var from: Int
    /// The limit after.
    public var to: Int
    /// One human sentence with the numbers.
    public var reason: String
    /// The window's gradient (nil for a drop cut).
    public var gradient: Double?
    /// The window's sample TTFT, seconds (nil for a drop cut).
    public var sampleLatency: Double?
    /// The long-term TTFT it was compared with, seconds (nil for a drop cut).
    public var longLatency: Double?

    /// - Parameters: one per field.
    public init(
        seconds: Double,
        kind: DecisionKind,
        from: Int,
        to: Int,
        reason: String,
        gradient: Double? = nil,
        sampleLatency: Double? = nil,
        longLatency: Double? = nil
    ) {
        self.seconds = seconds
        self.kind = kind
        self.from = from
        self.to = to
        self.reason = reason
        self.gradient = gradient
        self.sampleLatency = sampleLatency
        self.longLatency = longLatency
    }
}
