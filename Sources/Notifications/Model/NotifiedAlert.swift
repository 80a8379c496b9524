import Foundation

/// One alert as the rule evaluator hands it over: what notifications are made of.
///
/// An alert is identified by its labels (its ``fingerprint``); annotations, times and the
/// status may change from one evaluation to the next while it stays the same alert.
public struct NotifiedAlert: Sendable, Hashable, Codable {
    /// Whether the alert's condition holds.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// The condition holds (after its `for:`).
        case firing
        /// The condition held and no longer does.
        case resolved
    }

    /// The labels that identify the alert (`alertname`, `severity`, `node`, ...).
    public var labels: [String: String]
    /// Text about the alert (`summary`, `description`, `runbook`, `value`, ...).
    public var annotations: [String: String]
    /// Firing or resolved.
    public var status: Status
    /// When the alert started firing.
    public var startsAt: Date
    /// When it resolved; `nil` while firing.
    public var endsAt: Date?
    /// A link to where the alert comes from (the rule or the expression's graph); may be empty.
    public var generatorURL: String

    /// Makes an alert.
    /// - Parameters:
    ///   - labels: the labels that identify the alert.
    ///   - annotations: text about the alert.
    ///   - status: firing or resolved.
    ///   - startsAt: when it started firing.
    ///   - endsAt: when it resolved, or `nil`.
    ///   - generatorURL: a link to its source, or empty.
    public init(
        labels: [String: String],
        annotations: [String: String] = [:],
        status: Status = .firing,
        startsAt: Date,
        endsAt: Date? = nil,
        generatorURL: String = ""
    ) {
        self.labels = labels
        self.annotations = annotations
        self.status = status
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }

    /// The label set's stable hash, as Alertmanager computes it: 16 hex digits.
    public var fingerprint: Fingerprint { Fingerprint(labels: labels) }

    /// The `alertname` label, or empty.
    public var name: String { labels["alertname"] ?? "" }

    /// This alert resolved at `time` (unless it already carries a resolution time).
    public func resolved(at time: Date) -> NotifiedAlert {
        var copy = self
        copy.status = .resolved
        copy.endsAt = endsAt ?? time
        return copy
    }
}
