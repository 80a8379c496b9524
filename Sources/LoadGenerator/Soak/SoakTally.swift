import Synchronization

/// The counts of a soak so far: one outcome per finished request, malformed lines, and why
/// requests failed (bounded: at most ``SoakCounts/reasonLimit`` distinct reasons, the rest under
/// `other`).
public struct SoakCounts: Sendable, Equatable {
    /// Requests sent.
    public var started = 0
    /// Requests that came to each outcome (no key: none).
    public var outcomes: [SoakOutcome: Int] = [:]
    /// Lines, over every stream, that were not a JSON object.
    public var malformedLines = 0
    /// Clean errors by their status or error text.
    public var cleanErrorReasons: [String: Int] = [:]
    /// Resets by the client's error.
    public var resetReasons: [String: Int] = [:]

    /// Distinct reasons kept per kind.
    static let reasonLimit = 20

    /// Requests that came to `outcome`.
    public subscript(outcome: SoakOutcome) -> Int { outcomes[outcome, default: 0] }

    /// Requests that have finished, whatever their outcome.
    public var finished: Int { outcomes.values.reduce(0, +) }

    mutating func record(_ outcome: SoakOutcome, reason: String?, malformedLines: Int) {
        outcomes[outcome, default: 0] += 1
        self.malformedLines += malformedLines
        guard let reason else { return }
        switch outcome {
        case .cleanError: Self.count(reason, in: &cleanErrorReasons)
        case .reset: Self.count(reason, in: &resetReasons)
        default: break
        }
    }

    private static func count(_ reason: String, in reasons: inout [String: Int]) {
        let key = String(reason.prefix(100))
        if reasons[key] != nil || reasons.count < reasonLimit {
            reasons[key, default: 0] += 1
        } else {
            reasons["other", default: 0] += 1
        }
    }
}

/// ``SoakCounts`` shared by every stream of a soak.
final class SoakTally: Sendable {
    private let counts = Mutex(SoakCounts())

    /// Counts a request sent.
    func started() {
        counts.withLock { $0.started += 1 }
    }

    /// Counts a request finished.
    func record(_ outcome: SoakOutcome, reason: String? = nil, malformedLines: Int = 0) {
        counts.withLock { $0.record(outcome, reason: reason, malformedLines: malformedLines) }
    }

    /// The counts so far.
    var snapshot: SoakCounts { counts.withLock { $0 } }
}
