/// The knobs of one ``AdaptiveLimit``: how fast the limit moves, how much latency inflation it
/// tolerates, how hard a drop cuts, how long its windows are, and how long a request may be
/// expected to wait in the gateway queue. The three presets are the levels of ``OptimizationLevel``; docs/optimizer.md
/// explains each field and why the presets hold their values.
public struct LimiterParameters: Sendable, Hashable, Codable {
    /// The limit a new (node, model) pair starts at, before slow start (clamped to the ceiling).
    public var initialLimit: Int
    /// The limit never falls below this: a pair always gets at least this many requests.
    public var minLimit: Int
    /// Weight of a window's target in the new limit, (0, 1]: `new = (1-s)·limit + s·target`.
    public var smoothing: Double
    /// Slots added to the target of a window whose latency stayed within the tolerance: how far
    /// the limit probes above what it has, per window (times ``smoothing``).
    public var queueSize: Double
    /// TTFT inflation tolerated over the long-term TTFT before the limit falls (Gradient2's `rttTolerance`).
    public var rttTolerance: Double
    /// Time-per-output-token inflation tolerated over its long-term value before the limit
    /// falls: a guard against decode collapse, looser than ``rttTolerance`` because batching
    /// slows each sequence by design.
    public var tpotTolerance: Double
    /// A drop (503/429, timeout, reset) cuts the limit to `⌊limit·backoffRatio⌋`, in [0.5, 1).
    public var backoffRatio: Double
    /// Windows the long-term latency averages over (EMA factor `2/(longWindow+1)`).
    public var longWindow: Int
    /// Signals (latency samples and drops) a window needs before it closes.
    public var minSamples: Int
    /// Shortest window; a window lasts `clamp(2·sample latency, minWindow, maxWindow)`.
    public var minWindow: Duration
    /// Longest window.
    public var maxWindow: Duration
    /// The percentile of a window's TTFTs (and TPOTs) taken as its sample latency, in (0, 1].
    public var percentile: Double
    /// Whether the limit doubles per window until the first sign of inflation or drop (TCP's
    /// slow start), instead of probing by ``queueSize`` from the start.
    public var slowStart: Bool
    /// The share of the gateway queue's timeout a request may be expected to wait for its
    /// model before it is refused at once (`queue_full`, 503 with `Retry-After`). The expected
    /// wait is `(model's queued requests + 1) × its answer time / the slots of its limits`: a
    /// slot frees every `answer time / slots`. At 1 the gateway refuses at once only what would
    /// time out in its queue anyway; under 1 it keeps the wait shorter than the clients allow.
    public var queueWaitShare: Double

    /// - Parameters: one per field, with the balanced preset's values as defaults.
    public init(
        initialLimit: Int = 1,
        minLimit: Int = 1,
        smoothing: Double = 0.2,
        queueSize: Double = 1,
        rttTolerance: Double = 1.5,
        tpotTolerance: Double = 3,
        backoffRatio: Double = 0.75,
        longWindow: Int = 50,
        minSamples: Int = 10,
        minWindow: Duration = .seconds(1),
        maxWindow: Duration = .seconds(5),
        percentile: Double = 0.5,
        slowStart: Bool = true,
        queueWaitShare: Double = 1
    ) {
        self.initialLimit = initialLimit
        self.minLimit = minLimit
        self.smoothing = smoothing
        self.queueSize = queueSize
        self.rttTolerance = rttTolerance
        self.tpotTolerance = tpotTolerance
        self.backoffRatio = backoffRatio
        self.longWindow = longWindow
        self.minSamples = minSamples
        self.minWindow = minWindow
        self.maxWindow = maxWindow
        self.percentile = percentile
        self.slowStart = slowStart
        self.queueWaitShare = queueWaitShare
    }
}

extension LimiterParameters {
    /// Slow to move, little inflation tolerated, deep cuts on drops, p90 windows, half the queue timeout.
    public static let conservative = LimiterParameters(
        smoothing: 0.1,
        queueSize: 1,
        rttTolerance: 1.25,
        tpotTolerance: 2,
        backoffRatio: 0.5,
        longWindow: 100,
        maxWindow: .seconds(10),
        percentile: 0.9,
        queueWaitShare: 0.5
    )

    /// The default: Gradient2's smoothing and tolerance, a quarter cut on drops.
    public static let balanced = LimiterParameters()

    /// Quick to grow, more inflation tolerated, shallow cuts, short windows.
    public static let aggressive = LimiterParameters(
        smoothing: 0.3,
        queueSize: 2,
        rttTolerance: 2,
        tpotTolerance: 4,
        backoffRatio: 0.9,
        longWindow: 25,
        maxWindow: .seconds(2)
    )
}
