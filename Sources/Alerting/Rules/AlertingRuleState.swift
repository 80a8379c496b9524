/// The alert instances of one alerting rule and their state machine, as Prometheus' `AlertingRule.Eval`:
/// a new label set starts pending, fires once it has held for `for:`, is held firing for `keep_firing_for:`
/// after it clears, and a resolved alert is kept (inactive) for 15 minutes so its resolution can be sent.
struct AlertingRuleState: Sendable {
    /// How long a resolved alert is kept, as Prometheus' `resolvedRetention`.
    static let resolvedRetentionMs: Int64 = 15 * 60 * 1000

    private(set) var alerts: [Labels: Alert] = [:]

    /// All alerts, sorted by labels: pending, firing, and resolved ones still retained.
    var sortedAlerts: [Alert] {
        alerts.values.sorted { $0.labels < $1.labels }
    }

    /// The highest state of any alert.
    var state: AlertState {
        alerts.values.map(\.state).max() ?? .inactive
    }

    /// Updates the alerts from the expression's result at `time` and returns the `ALERTS` and
    /// `ALERTS_FOR_STATE` samples to record.
    mutating func update(
        rule: AlertingRule,
        result: [VectorSample],
        at time: Int64,
        limit: Int,
        templateData: (VectorSample) -> AlertTemplateData,
        environment: TemplateEnvironment
    ) throws(RuleEvaluationError) -> [VectorSample] {
        var fresh: [Labels: Alert] = [:]
        for sample in result {
            let data = templateData(sample)
            var labels = sample.labels.droppingMetricName
            for (name, template) in rule.labelTemplates {
                labels = labels.setting(name, to: template.expand(data: data, environment: environment))
            }
            labels = labels.setting("alertname", to: rule.name)
            var annotations: [String: String] = [:]
            for (name, template) in rule.annotationTemplates {
                annotations[name] = template.expand(data: data, environment: environment)
            }
            if fresh[labels] != nil {
                throw RuleEvaluationError("vector contains metrics with the same labelset after applying alert labels")
            }
            fresh[labels] = Alert(
                labels: labels,
                annotations: Labels(allowingEmptyValues: annotations),
                state: .pending,
                value: sample.value,
                activeAtMs: time
            )
        }
        for (labels, alert) in fresh {
            if var existing = alerts[labels], existing.state != .inactive {
                existing.value = alert.value
                existing.annotations = alert.annotations
                alerts[labels] = existing
            } else {
                alerts[labels] = alert
            }
        }
        let holdMs = PromDuration.milliseconds(of: rule.holdDuration)
        let keepFiringMs = PromDuration.milliseconds(of: rule.keepFiringFor)
        var activeCount = 0
        var samples: [VectorSample] = []
        for labels in alerts.keys.sorted(by: <) {
            guard var alert = alerts[labels] else { continue }
            if fresh[labels] == nil {
                var keepFiring = false
                if alert.state == .firing && keepFiringMs > 0 {
                    let since = alert.keepFiringSinceMs ?? time
                    alert.keepFiringSinceMs = since
                    keepFiring = time - since < keepFiringMs
                }
                if alert.state == .pending
                    || (alert.resolvedAtMs.map { time - $0 > AlertingRuleState.resolvedRetentionMs } ?? false)
                {
                    alerts[labels] = nil
                    continue
                }
                if alert.state != .inactive && !keepFiring {
                    alert.state = .inactive
                    alert.resolvedAtMs = time
                }
                alerts[labels] = alert
                if !keepFiring { continue }
            } else {
                alert.keepFiringSinceMs = nil
            }
            activeCount += 1
            if alert.state == .pending && time - alert.activeAtMs >= holdMs {
                alert.state = .firing
                alert.firedAtMs = time
            }
            alerts[labels] = alert
            samples.append(alertsSample(rule, alert, time))
            samples.append(forStateSample(rule, alert, time))
        }
        if limit > 0 && activeCount > limit {
            alerts = [:]
            throw RuleEvaluationError("exceeded limit of \(limit) with \(activeCount) alerts")
        }
        return samples
    }

    /// `ALERTS{alertname, alertstate, …}` = 1.
    private func alertsSample(_ rule: AlertingRule, _ alert: Alert, _ time: Int64) -> VectorSample {
        var labels = rule.labels
        for pair in alert.labels { labels = labels.setting(pair.name, to: pair.value) }
        labels = labels.setting(Labels.metricName, to: "ALERTS").setting("alertname", to: rule.name)
            .setting("alertstate", to: alert.state.rawValue)
        return VectorSample(labels: labels, value: 1, timestampMs: time)
    }

    /// `ALERTS_FOR_STATE{alertname, …}` = the Unix second the alert became active.
    private func forStateSample(_ rule: AlertingRule, _ alert: Alert, _ time: Int64) -> VectorSample {
        var labels = rule.labels
        for pair in alert.labels { labels = labels.setting(pair.name, to: pair.value) }
        labels = labels.setting(Labels.metricName, to: "ALERTS_FOR_STATE").setting("alertname", to: rule.name)
        let seconds = CivilDate.floorDiv(alert.activeAtMs, 1000)
        return VectorSample(labels: labels, value: Double(seconds), timestampMs: time)
    }
}

/// Why a rule's evaluation failed.
struct RuleEvaluationError: Error, Sendable, CustomStringConvertible {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
