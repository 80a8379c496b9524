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
    ///   - level: the limiter's preset; `.balanced` unless the operator chooses.
    ///   - interval: the slow knobs' period; 5 minutes, as the seed's `OptimizationInterval`.
    public init(level: OptimizationLevel = .balanced, interval: Duration = .seconds(300)) {
        self.level = level
        self.interval = interval
    }

    /// Every problem with the values, each naming its setting.
    func problems() -> [String] {
        interval > .zero ? [] : ["optimization.interval: must be positive"]
    }
}
