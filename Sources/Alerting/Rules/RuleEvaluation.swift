/// Whether a rule's last evaluation worked, with Prometheus' spelling (`ok`, `err`, `unknown`).
public enum RuleHealth: String, Sendable, Hashable {
    /// Not evaluated yet.
    case unknown
    /// The last evaluation succeeded.
    case ok
    /// The last evaluation failed; see the rule's `lastError`.
    case err
}

/// The outcome of one rule at one evaluation.
public struct RuleEvaluation: Sendable {
    /// Alerting or recording.
    public enum Kind: String, Sendable, Hashable {
        /// An `alert:` rule.
        case alerting
        /// A `record:` rule.
        case recording
    }

    /// The alert or record name.
    public let name: String
    /// Alerting or recording.
    public let kind: Kind
    /// `ok` or `err`.
    public let health: RuleHealth
    /// Why the evaluation failed, when it did.
    public let lastError: String?
    /// For alerting rules: pending and firing alerts plus resolved ones still retained, sorted by labels.
    public let alerts: [Alert]
    /// For alerting rules: the highest state of its alerts.
    public let state: AlertState
    /// Series written to the store (recording results, or `ALERTS`/`ALERTS_FOR_STATE`).
    public let samplesWritten: Int
    /// When the rule was evaluated (ms since the epoch).
    public let timestampMs: Int64
    /// How long the evaluation took: measured and filled in by the caller, which owns the clock.
    public var evaluationDuration: Duration?

    /// Pending and firing alerts (not resolved ones), as `/api/v1/alerts` lists them.
    public var activeAlerts: [Alert] { alerts.filter(\.isActive) }

    /// Firing alerts only.
    public var firingAlerts: [Alert] { alerts.filter { $0.state == .firing } }
}

/// The outcome of evaluating one group.
public struct RuleGroupEvaluation: Sendable {
    /// The group name.
    public let group: String
    /// The file the group came from.
    public let file: String
    /// When the group was evaluated (ms since the epoch).
    public let timestampMs: Int64
    /// One entry per rule, in the group's order.
    public var rules: [RuleEvaluation]
    /// How long the whole group took: filled in by the caller, which owns the clock.
    public var evaluationDuration: Duration?
}
