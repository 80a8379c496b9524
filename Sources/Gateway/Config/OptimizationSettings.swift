import Optimizer

/// How the gateway adapts its limits (docs/optimizer.md): the level of the fast limiter, one
/// ``AdaptiveLimit`` per (node, model), and the interval of the slow knobs.
///
/// `off` is the static behaviour: every node takes up to its `max_in_flight`, whatever its
/// answers say. Any other level learns each pair's limit from its time to first token and its
/// drops, with the static limits as the ceiling.
public struct OptimizationSettings: Sendable, Hashable {
    /// How fast limits move and how much latency inflation they tolerate (`--optimization-level`).
    public var level: OptimizationLevel
    /// Time between rounds of the slow knobs (`--optimization-interval`); the fast limiter
    /// adapts per window, not per interval.
    public var interval: Duration

    /// - Parameters:
    ///   - level: the limiter's preset; `.off` unless the operator chooses. Not `balanced` yet:
    ///     the optimizer benchmarks (docs/benchmarks.md, "Issue 21") show `balanced` reading a
    ///     node's batching as a queue and losing goodput to the static limits; the default moves
    ///     when it beats them.
    ///   - interval: the slow knobs' period; 5 minutes, as the seed's `OptimizationInterval`.
    public init(level: OptimizationLevel = .off, interval: Duration = .seconds(300)) {
        self.level = level
        self.interval = interval
    }

    /// Every problem with the values, each naming its setting.
    func problems() -> [String] {
        interval > .zero ? [] : ["optimization.interval: must be positive"]
    }
}
