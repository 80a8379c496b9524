/// A token bucket measured per minute: the pure core of a per-key limit.
///
/// It holds up to `capacity` units and refills at `capacity / 60` units per second. Time is a
/// `Duration` since any fixed origin, passed in by the caller, so tests drive it without sleeping.
/// The level may go below zero ("debt"): tokens are charged after an answer whose size was not
/// known when it was admitted, and the debt is paid back by the refill before the next admission.
///
/// Arithmetic is exact: the level is kept in units of 1/60,000,000 (one unit refills in a whole
/// number of microseconds' worth of these), so "full again after 20 s" is never 19.999...
struct TokenBucket: Sendable, Equatable {
    /// Scaled units per unit: a bucket of capacity `c` refills `c` scaled units per microsecond.
    private static let scale: Int64 = 60_000_000
    /// The largest limit per minute (keeps every product below `Int64.max`).
    static let maximumPerMinute = 1_000_000_000

    /// The most units the bucket holds: the limit per minute.
    let capacity: Int
    /// Scaled units in the bucket at `updated`; negative while in debt.
    private var scaled: Int64
    /// The time `scaled` was last brought up to date.
    private var updated: Duration

    /// A full bucket for `perMinute` units a minute (clamped to 1...``maximumPerMinute``).
    init(perMinute: Int, now: Duration) {
        capacity = min(max(perMinute, 1), Self.maximumPerMinute)
        scaled = Int64(capacity) * Self.scale
        updated = now
    }

    /// Units in the bucket (as of the last refill); negative while in debt.
    var level: Double { Double(scaled) / Double(Self.scale) }

    /// Adds what the time since the last update refilled, never above `capacity`.
    /// A clock that goes backwards refills nothing.
    mutating func refill(now: Duration) {
        guard now > updated else { return }
        // A minute refills an empty bucket, so a longer wait adds nothing more (and cannot overflow).
        let micros = min(Self.microseconds(now - updated), 60_000_000 + Self.debtMicroseconds(scaled, capacity))
        scaled = min(Int64(capacity) * Self.scale, scaled + micros * Int64(capacity))
        updated = now
    }

    /// Removes `amount` units, into debt if need be.
    mutating func take(_ amount: Int, now: Duration) {
        refill(now: now)
        let units = Int64(min(max(amount, 0), Int(Int64.max / Self.scale / 4)))
        scaled = max(scaled - units * Self.scale, Int64.min / 2)
    }

    /// Whole seconds, at least 1, until the level is back to at least 1 (as of the last refill).
    func secondsUntilOne() -> Int {
        let missing = Self.scale - scaled
        guard missing > 0 else { return 1 }
        let perSecond = Int64(capacity) * 1_000_000
        return Int(max(1, (missing + perSecond - 1) / perSecond))
    }

    /// Microseconds it takes to repay the debt in `scaled` (0 without debt).
    private static func debtMicroseconds(_ scaled: Int64, _ capacity: Int) -> Int64 {
        scaled >= 0 ? 0 : (-scaled + Int64(capacity) - 1) / Int64(capacity)
    }

    private static func microseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        guard parts.seconds < Int64.max / 2_000_000 else { return Int64.max / 2 }
        return parts.seconds * 1_000_000 + parts.attoseconds / 1_000_000_000_000
    }
}
