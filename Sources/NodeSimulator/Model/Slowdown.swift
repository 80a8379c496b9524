/// A change of a node's speed at a time since it started: from `after` on, every rate of the
/// node (prefill and decode, every model) is divided by `factor` (3 = three times slower, 1 =
/// the configured speed, 0.5 = twice as fast). Another tenant on the GPU, thermal throttling.
public struct Slowdown: Sendable, Hashable {
    /// Time since the node started.
    public var after: Duration
    /// What every rate is divided by; greater than zero.
    public var factor: Double

    public init(after: Duration, factor: Double) {
        self.after = after
        self.factor = factor
    }

    /// The factor in force `elapsed` after the start: the latest change at or before it, from
    /// the `schedule` or the `override` (a change made at run time, which wins over schedule
    /// entries up to its own time); 1 before any change.
    public static func factor(at elapsed: Duration, schedule: [Slowdown], override: Slowdown? = nil) -> Double {
        var latest: Slowdown?
        for change in schedule + [override].compactMap({ $0 }) where change.after <= elapsed {
            if latest.map({ change.after >= $0.after }) ?? true { latest = change }
        }
        return latest?.factor ?? 1
    }

    /// What is wrong with this change, for the configuration's `problems()`; `nil` when usable.
    var problem: String? {
        if after < .zero { return "after: must be 0 or more, got \(after)" }
        if !(factor > 0 && factor.isFinite) { return "factor: must be a positive number, got \(factor)" }
        return nil
    }
}
