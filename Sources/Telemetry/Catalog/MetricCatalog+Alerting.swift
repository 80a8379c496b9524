extension MetricCatalog {
    // MARK: Alerting (the embedded rules and notifications, docs/console.md)

    public static let alerts = MetricDefinition(
        "ollamamax_alerts",
        .gauge,
        unit: "",
        labels: ["state"],
        help: "Alerts of the gateway's own rules (--alert-rules) by state: pending or firing."
    )
    public static let ruleEvaluationFailures = MetricDefinition(
        "ollamamax_rule_evaluation_failures_total",
        .counter,
        unit: "",
        labels: ["rule_group"],
        help: "Rule evaluations that failed (the rule's lastError at /api/v1/rules says why), by rule group."
    )
    public static let notifications = MetricDefinition(
        "ollamamax_notifications_total",
        .counter,
        unit: "",
        labels: ["receiver", "integration"],
        help: "Notifications delivered, by receiver name and integration: webhook, slack, email, pagerduty or alertmanager (never a URL)."
    )
    public static let notificationsFailed = MetricDefinition(
        "ollamamax_notifications_failed_total",
        .counter,
        unit: "",
        labels: ["receiver", "integration"],
        help: "Notifications given up on after every attempt failed, by receiver name and integration; the log line says why."
    )

    /// The alerting families, in the order docs/metrics.md lists them.
    static let alerting: [MetricDefinition] = [alerts, ruleEvaluationFailures, notifications, notificationsFailed]
}
