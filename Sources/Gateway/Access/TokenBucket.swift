/// A token bucket measured per minute: the pure core of a per-key limit.
///
/// It holds up to `capacity` units and refills at `capacity / 60` units per second. Time is a
/// `Duration` since any fixed origin, passed in by the caller, so tests drive it without sleeping.
/// The level may go below zero ("debt"): tokens are charged after an answer whose size was not
/// known when it was admitted, and the debt is paid back by the refill before the next admission.
struct TokenBucket: Sendable, Equatable {
    /// The most units the bucket holds: the limit per minute.
    let capacity: Double
    /// Units added per second.
    let refillPerSecond: Double
    /// Units in the bucket at `updated`; negative while in debt.
    private(set) var level: Double
    /// The time `level` was last brought up to date.
    private(set) var updated: Duration

    /// A full bucket for `perMinute` units a minute (at least 1).
    init(perMinute: Int, now: Duration) {
        capacity = Double(max(perMinute, 1))
        refillPerSecond = capacity / 60
        level = capacity
        updated = now
    }

    /// Adds what the time since the last update refilled, never above `capacity`.
    /// A clock that goes backwards refills nothing.
    mutating func refill(now: Duration) {
        guard now > updated else { return }
        level = min(capacity, level + Self.seconds(now - updated) * refillPerSecond)
        updated = now
    }

    /// Removes `amount` units, into debt if need be.
    mutating func take(_ amount: Double, now: Duration) {
        refill(now: now)
        level -= amount
    }

    /// Whole seconds, at least 1, until the level is back to at least 1 (as of the last refill).
    func secondsUntilOne() -> Int {
        let missing = 1 - level
        guard missing > 0 else { return 1 }
        return max(1, Int((missing / refillPerSecond).rounded(.up)))
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
