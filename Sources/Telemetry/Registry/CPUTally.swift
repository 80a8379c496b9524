import Synchronization

/// The highest CPU-seconds total seen, so a counter can be moved to a new total by increments.
final class CPUTally: Sendable {
    private let reported = Mutex<Double>(0)

    /// The increment that brings the counter from the last total to `total` (0 if it went down).
    func advance(to total: Double) -> Double {
        reported.withLock { reported in
            let delta = max(0, total - reported)
            reported = max(reported, total)
            return delta
        }
    }
}
