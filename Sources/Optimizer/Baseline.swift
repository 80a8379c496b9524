/// A long-term latency (of TTFT, or of time per output token) and the gradient of each window's
/// sample against it: Gradient2's `longRtt`, with two changes docs/optimizer.md explains.
///
/// - A sample beyond the tolerance is not taken in: it is a queue the limiter is about to
///   remove, and taking it in (as Gradient2 does) lifts the long-term latency until a standing
///   queue looks normal and the limit climbs to the ceiling. Nor is a higher sample within the
///   tolerance while the limit is over its lowest: a queue of one or two requests hides in the
///   tolerance, and each taken in lets the next one in.
/// - A sample beyond the tolerance for ``rebaselineWindows`` windows in a row at the lowest
///   limit (the minimum, or the learned parallelism) is no queue of this pair: the node got slower (throttling, another tenant). It
///   becomes the new long-term latency (Envoy re-measures its minRTT after 5 windows at the
///   minimum, TCP restarts from slow start after a timeout).
struct Baseline: Sendable, Hashable {
    /// Inflated windows in a row at the lowest limit before the sample becomes the baseline.
    static let rebaselineWindows = 3

    var long: Double?
    /// The last window's sample.
    var last: Double?
    /// The lowest window sample seen.
    var lowest: Double?
    /// Windows taken in since the last (re)start: the first 10 are a plain mean.
    var windows = 0
    var inflatedAtMinimum = 0

    /// Takes a window's `sample`; returns its gradient and whether the baseline restarted on it.
    mutating func take(_ sample: Double, tolerance: Double, longWindow: Int, atMinimum: Bool) -> (gradient: Double, restarted: Bool) {
        last = sample
        lowest = min(lowest ?? sample, sample)
        guard let current = long else {
            restart(on: sample)
            return (1, false)
        }
        let gradient = AdaptiveLimit.gradient(tolerance: tolerance, long: current, sample: sample)
        if gradient >= 1 {
            // Over the lowest limit a tolerated sample may still hold a short queue: taking it in
            // would let the baseline creep up a queue at a time. Lower samples always go in.
            if atMinimum || sample <= current {
                windows += 1
                long = AdaptiveLimit.nextLong(current, sample: sample, windows: windows, longWindow: longWindow)
            }
            inflatedAtMinimum = 0
            return (gradient, false)
        }
        inflatedAtMinimum = atMinimum ? inflatedAtMinimum + 1 : 0
        guard inflatedAtMinimum >= Self.rebaselineWindows else { return (gradient, false) }
        restart(on: sample)
        return (1, true)
    }

    private mutating func restart(on sample: Double) {
        long = sample
        windows = 1
        inflatedAtMinimum = 0
    }
}
