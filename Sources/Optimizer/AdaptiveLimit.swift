/// The concurrency limit of one (node, model) pair, learned from the signals of its requests.
///
/// Gradient2 over windows of time to first token (TTFT), with time per output token (TPOT) as
/// a guard and an AIMD cut on drops; docs/optimizer.md has the algorithm and why. A value with
/// no clock of its own: every call passes `now`, a `Duration` on the caller's monotonic clock,
/// so tests drive it on a manual clock.
public struct AdaptiveLimit: Sendable, Hashable {
    /// The preset it runs with.
    public let parameters: LimiterParameters
    /// The limit before rounding: smoothing moves it by fractions of a slot.
    var estimate: Double
    /// The static limit the adaptive one never exceeds. Lowering it below the limit lowers the
    /// limit at once (no decision: the operator's change); raising it does not raise the limit.
    public var ceiling: Int {
        didSet { estimate = min(estimate, Double(upper)) }
    }
    var window: SampleWindow
    /// The long-term TTFT.
    var latency = Baseline()
    /// The long-term time per output token.
    var timePerOutputToken = Baseline()
    var lastGradient: Double?
    var windows = 0
    var drops = 0
    var slowStart: Bool
    /// The pair's learned parallelism (its slots, ``SlotEstimate/slots``, or where more requests
    /// stop paying, ``ParallelismEstimate/knee``), when the caller learns one. Latency
    /// inflation never takes the limit below it: up to its slots a node's TTFT grows with the
    /// requests that prefill together (batching, the price of throughput), and only drops
    /// (the AIMD layer) cut under it. It never raises the limit by itself.
    public var floor: Int?
    /// Times the long-term latencies restarted (the node got slower): a caller that learned
    /// something of the node's speed (its parallelism curve) learns it again when this grows.
    public internal(set) var restarts = 0

    /// The share of a window's requests that may have waited for a slot on the node while its
    /// TTFT inflation still counts as prefills sharing the node (``LimitSignal/success(ttft:timePerOutputToken:waitedForSlot:)``).
    public static let slotQueueShare = 0.1

    /// - Parameters:
    ///   - parameters: the preset (``OptimizationLevel/parameters``).
    ///   - ceiling: the static limit (`max_in_flight`); the limit stays in `[minLimit, ceiling]`
    ///     (a ceiling under `minLimit` counts as `minLimit`).
    ///   - now: when the first window opens.
    public init(parameters: LimiterParameters, ceiling: Int, now: Duration) {
        self.parameters = parameters
        self.ceiling = ceiling
        self.slowStart = parameters.slowStart
        self.window = SampleWindow(start: now, length: parameters.minWindow)
        self.estimate = 0
        self.estimate = clamped(Double(parameters.initialLimit))
    }

    /// Requests the pair may have in flight: the estimate rounded down (a whole slot of
    /// evidence before it grows), always within `[minLimit, ceiling]`.
    public var limit: Int {
        // The epsilon keeps 7.9999999 (a sum of smoothed steps) from reading as 7.
        min(max(Int((estimate + 1e-9).rounded(.down)), parameters.minLimit), upper)
    }

    /// The highest limit allowed: the ceiling, but never under `minLimit`.
    var upper: Int { max(ceiling, parameters.minLimit) }

    /// Signals the open window needs before it closes: `minSamples`, but in slow start two per
    /// request of the limit (at least two), so a new pair doubles every two rounds of answers, as
    /// TCP's slow start doubles per round trip. Ten answers at a limit of 1 would hold a fresh
    /// gateway at one request per node for ten answer times: a burst would wait in its queue.
    var samplesNeeded: Int {
        slowStart ? min(parameters.minSamples, max(2, 2 * limit)) : parameters.minSamples
    }

    /// The lowest limit latency inflation may set: ``floor`` within `[minLimit, ceiling]`.
    var lowest: Int { min(max(floor ?? parameters.minLimit, parameters.minLimit), upper) }

    func clamped(_ value: Double) -> Double {
        min(max(value, Double(parameters.minLimit)), Double(upper))
    }

    /// Takes one finished request's signal, with the pair's requests in flight when it ended
    /// (counting it). A drop cuts at once (at most once per window); a window that is ready
    /// closes and moves the limit by its gradient. Returns the change when the limit moved.
    public mutating func record(_ signal: LimitSignal, inFlight: Int, now: Duration) -> LimitDecision? {
        window.maxInFlight = max(window.maxInFlight, inFlight)
        switch signal {
        case .success(let ttft, let timePerOutputToken, let waitedForSlot):
            window.add(ttft: ttft, timePerOutputToken: timePerOutputToken, waitedForSlot: waitedForSlot)
        case .dropped(let kind):
            drops += 1
            window.drops += 1
            return cut(for: kind, now: now)
        case .ignored:
            break
        }
        guard window.isReady(now: now, minSamples: samplesNeeded) else { return nil }
        return closeWindow(now: now)
    }

    /// What it has learned and the open window.
    public var state: LimiterState {
        LimiterState(
            gradient: lastGradient,
            sampleLatency: latency.last.map { .seconds($0) },
            longLatency: latency.long.map { .seconds($0) },
            minLatency: latency.lowest.map { .seconds($0) },
            sampleTimePerOutputToken: timePerOutputToken.last.map { .seconds($0) },
            longTimePerOutputToken: timePerOutputToken.long.map { .seconds($0) },
            drops: drops,
            windows: windows,
            slowStart: slowStart,
            window: window.progress
        )
    }

    /// The AIMD layer: `⌊limit·backoffRatio⌋`, at least `minLimit`, once per window: the 503s
    /// of one overload arrive in a burst and are one signal, not one cut each.
    private mutating func cut(for kind: DropKind, now: Duration) -> LimitDecision? {
        slowStart = false
        guard !window.cut else { return nil }
        window.cut = true
        let from = limit
        let to = Self.cutLimit(from, backoffRatio: parameters.backoffRatio, minLimit: parameters.minLimit)
        estimate = clamped(Double(to))
        guard limit != from else { return nil }
        let what =
            switch kind {
            case .overloaded: "the node answered 503/429"
            case .timeout: "a request timed out"
            case .reset: "the connection was reset"
            }
        return LimitDecision(
            seconds: now.seconds,
            kind: .dropCut,
            from: from,
            to: limit,
            reason: "\(what): limit \(from) -> \(limit) (x\(Self.format(parameters.backoffRatio)), rounded down, once per window)"
        )
    }
}
