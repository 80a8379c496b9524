import Foundation
import Synchronization

/// One change the interval service made, when: an ``IntervalChange`` with its time.
public struct IntervalDecision: Sendable, Hashable, Codable {
    /// When, ISO 8601 with milliseconds (UTC).
    public var time: String
    /// ``IntervalKnob`` raw value: `queue_size`, `queue_timeout`, `pool_size`, `keep_alive`, `malloc_trim`.
    public var kind: String
    /// The node whose connections changed; nil for the queue and the allocator.
    public var node: String?
    /// The value before and after (seconds for durations, bytes for `malloc_trim`'s resident set).
    public var from: Double?
    public var to: Double?
    /// One sentence with the numbers.
    public var reason: String

    public init(time: String, change: IntervalChange) {
        self.time = time
        kind = change.knob.rawValue
        node = change.node
        from = change.from
        to = change.to
        reason = change.reason
    }
}

/// What the interval service has set and done, for `GET /ollamamax/optimizer`.
public struct IntervalReport: Sendable, Hashable, Codable {
    /// The service's period (`--optimization-interval`), seconds.
    public var seconds: Double
    /// The knobs now.
    public var knobs: IntervalKnobs
    /// The recent changes, oldest first (at most 100).
    public var decisions: [IntervalDecision]
    /// Changes since the gateway started, by kind.
    public var decisionCounts: [String: Int]

    public init(seconds: Double, knobs: IntervalKnobs, decisions: [IntervalDecision] = [], decisionCounts: [String: Int] = [:]) {
        self.seconds = seconds
        self.knobs = knobs
        self.decisions = decisions
        self.decisionCounts = decisionCounts
    }
}

/// The interval service's knobs and its last 100 decisions, shared with the endpoint.
final class IntervalLog: Sendable {
    static let capacity = 100
    private let report: Mutex<IntervalReport>

    init(seconds: Double, knobs: IntervalKnobs) {
        report = Mutex(IntervalReport(seconds: seconds, knobs: knobs))
    }

    /// Records a round's knobs and changes, made at `date`.
    func record(knobs: IntervalKnobs, changes: [IntervalChange], at date: Date) {
        let time = date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        report.withLock { report in
            report.knobs = knobs
            for change in changes {
                report.decisions.append(IntervalDecision(time: time, change: change))
                report.decisionCounts[change.knob.rawValue, default: 0] += 1
            }
            if report.decisions.count > Self.capacity { report.decisions.removeFirst(report.decisions.count - Self.capacity) }
        }
    }

    var current: IntervalReport { report.withLock { $0 } }
}
