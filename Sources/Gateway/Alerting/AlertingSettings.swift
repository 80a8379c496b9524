import Foundation

/// Embedded alerting: Prometheus rule files evaluated in the gateway over its own series, and
/// where the alerts go (docs/console.md).
public struct AlertingSettings: Sendable, Hashable {
    /// Rule-group YAML files (`--alert-rules`, `alerting.rule_files`); none: no rules evaluated.
    public var ruleFiles: [String]
    /// The `notifications:` file (`--alert-config`, `alerting.notifications`): receivers and routes.
    public var notificationsFile: String?
    /// How often groups without their own `interval:` are evaluated (Prometheus' default, 1 m).
    public var evaluationInterval: Duration
    /// How much of the series store is kept.
    public var retention: Duration

    public init(
        ruleFiles: [String] = [],
        notificationsFile: String? = nil,
        evaluationInterval: Duration = .seconds(60),
        retention: Duration = .seconds(3600)
    ) {
        self.ruleFiles = ruleFiles
        self.notificationsFile = notificationsFile
        self.evaluationInterval = evaluationInterval
        self.retention = retention
    }

    /// Every problem with the values, each naming its setting.
    func problems() -> [String] {
        var found: [String] = []
        if evaluationInterval <= .zero { found.append("alerting.evaluation_interval: must be positive") }
        if retention <= .zero { found.append("alerting.retention: must be positive") }
        return found
    }
}
