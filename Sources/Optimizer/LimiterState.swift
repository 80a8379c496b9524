/// What an ``AdaptiveLimit`` has learned and is collecting: for metrics, the optimizer endpoint
/// and the decision reasons.
public struct LimiterState: Sendable, Hashable {
    /// The last closed window's gradient, [0.5, 1]; nil before the first window.
    public var gradient: Double?
    /// The last closed window's TTFT percentile.
    public var sampleLatency: Duration?
    /// The long-term TTFT the sample is compared with.
    public var longLatency: Duration?
    /// The lowest window TTFT seen: the node's no-load latency, for reading (not a baseline).
    public var minLatency: Duration?
    /// The last closed window's time-per-output-token percentile, when its requests had one.
    public var sampleTimePerOutputToken: Duration?
    /// The long-term time per output token.
    public var longTimePerOutputToken: Duration?
    /// Drops recorded since the limiter started.
    public var drops: Int
    /// Windows closed since the limiter started.
    public var windows: Int
    /// Whether the limit still doubles per window (no inflation or drop seen yet).
    public var slowStart: Bool
    /// The open window: latency samples, drops, the most requests in flight seen.
    public var window: WindowProgress

    /// The open window's progress.
    public struct WindowProgress: Sendable, Hashable {
        /// TTFT samples so far.
        public var samples: Int
        /// Drops so far.
        public var drops: Int
        /// The most requests in flight any signal reported.
        public var maxInFlight: Int
        /// When it opened (the caller's clock).
        public var start: Duration
        /// How long it lasts at least.
        public var length: Duration
    }
}
