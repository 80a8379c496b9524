import Testing

@testable import Alerting

/// The alert state machine of one alerting rule, evaluated minute by minute over a store: pending until
/// `for:` has passed, firing, held by `keep_firing_for:`, resolved and kept for 15 minutes.
struct AlertStateTests {
    /// A group holding `rule`, its evaluator and a store with `up{instance="a"}` following `values`.
    private struct Scenario {
        let fixture: SeriesFixture
        var evaluator: RuleGroupEvaluator

        init(_ rule: AlertingRule, limit: Int = 0, series: KeyValuePairs<String, String>) throws {
            fixture = try SeriesFixture(series)
            evaluator = RuleGroupEvaluator(group: RuleGroup(name: "g", limit: limit, rules: [.alerting(rule)]))
        }

        /// Evaluates at minute `minute` and returns the rule's outcome.
        mutating func at(_ minute: Int64) -> RuleEvaluation {
            evaluator.evaluate(at: minutes(minute), store: fixture.store).rules[0]
        }
    }

    private func rule(
        _ expression: String,
        for hold: Duration = .zero,
        keepFiringFor: Duration = .zero,
        labels: Labels = .empty,
        annotations: Labels = .empty
    ) throws -> AlertingRule {
        try AlertingRule(
            name: "InstanceDown",
            expression: PromQLExpression(expression),
            holdDuration: hold,
            keepFiringFor: keepFiringFor,
            labels: labels,
            annotations: annotations
        )
    }

    @Test func anAlertIsPendingUntilItsConditionHeldForTheHoldDuration() throws {
        // Down from 2m.
        var scenario = try Scenario(try rule("up == 0", for: .seconds(180)), series: ["up{instance=\"a\"}": "1 1 0 0 0 0 0 0"])
        #expect(scenario.at(1).alerts.isEmpty)
        let pending = scenario.at(2)
        #expect(pending.state == .pending)
        #expect(pending.alerts.map(\.labels) == [["alertname": "InstanceDown", "instance": "a"]])
        #expect(pending.alerts.first?.activeAtMs == minutes(2))
        #expect(pending.firingAlerts.isEmpty)
        #expect(scenario.at(4).state == .pending)
        // 2m + 3m.
        let firing = scenario.at(5)
        #expect(firing.state == .firing)
        #expect(firing.alerts.first?.firedAtMs == minutes(5))
        #expect(firing.alerts.first?.activeAtMs == minutes(2))
        #expect(firing.firingAlerts.count == 1)
        #expect(firing.health == .ok)
    }

    @Test func aConditionThatClearsWhilePendingStartsOverNextTime() throws {
        var scenario = try Scenario(try rule("up == 0", for: .seconds(120)), series: ["up{instance=\"a\"}": "0 0 1 0 0 0"])
        #expect(scenario.at(0).state == .pending)
        #expect(scenario.at(1).state == .pending)
        // Cleared before 2m: the pending alert is dropped without a resolution.
        #expect(scenario.at(2).alerts.isEmpty)
        #expect(scenario.at(3).alerts.first?.activeAtMs == minutes(3))
        #expect(scenario.at(4).state == .pending)
        #expect(scenario.at(5).state == .firing)
    }

    @Test func aResolvedAlertIsKeptInactiveForFifteenMinutes() throws {
        var scenario = try Scenario(try rule("up == 0"), series: ["up{instance=\"a\"}": "0 0 1x20"])
        // No hold: firing at once.
        #expect(scenario.at(0).state == .firing)
        let resolved = scenario.at(2)
        #expect(resolved.state == .inactive)
        #expect(resolved.alerts.first?.resolvedAtMs == minutes(2))
        #expect(resolved.activeAlerts.isEmpty)
        #expect(scenario.at(17).alerts.count == 1)
        // More than 15 minutes after resolving, it is forgotten.
        #expect(scenario.at(18).alerts.isEmpty)
    }

    @Test func keepFiringForHoldsAFiringAlertAfterItsConditionClears() throws {
        var scenario = try Scenario(
            try rule("up == 0", keepFiringFor: .seconds(300)),
            series: ["up{instance=\"a\"}": "0 0 1 1 1 1 1 1 1 1"]
        )
        #expect(scenario.at(1).state == .firing)
        let held = scenario.at(2)
        #expect(held.state == .firing)
        #expect(held.alerts.first?.keepFiringSinceMs == minutes(2))
        // Still held at 2m + 4m, resolved at 2m + 5m.
        #expect(scenario.at(6).state == .firing)
        let resolved = scenario.at(7)
        #expect(resolved.state == .inactive)
        #expect(resolved.alerts.first?.resolvedAtMs == minutes(7))
    }

    @Test func aReturningConditionResetsKeepFiringFor() throws {
        var scenario = try Scenario(
            try rule("up == 0", keepFiringFor: .seconds(120)),
            series: ["up{instance=\"a\"}": "0 1 0 1 1 1 1"]
        )
        #expect(scenario.at(0).state == .firing)
        #expect(scenario.at(1).alerts.first?.keepFiringSinceMs == minutes(1))
        let back = scenario.at(2)
        #expect(back.alerts.first?.keepFiringSinceMs == nil)
        #expect(back.alerts.first?.activeAtMs == 0)
        #expect(scenario.at(3).alerts.first?.keepFiringSinceMs == minutes(3))
        #expect(scenario.at(4).state == .firing)
        #expect(scenario.at(5).state == .inactive)
    }

    @Test func labelsAndAnnotationsAreExpandedWithTheLatestValue() throws {
        let alerting = try rule(
            "disk_used_ratio > 0.8",
            labels: ["severity": "{{ if gt $value 0.9 }}critical{{ else }}warning{{ end }}", "team": "storage"],
            annotations: [
                "summary": "{{ $labels.instance }} is {{ $value | humanizePercentage }} full",
                "since": "{{ humanizeDuration 5400 }}",
                "exact": "{{ printf \"%.3f\" $value }}",
                "raw": "{{ $value | humanize }}",
            ]
        )
        var scenario = try Scenario(alerting, series: ["disk_used_ratio{instance=\"db1\"}": "0.85 0.95"])
        let first = try #require(scenario.at(0).alerts.first)
        #expect(first.labels == ["alertname": "InstanceDown", "instance": "db1", "severity": "warning", "team": "storage"])
        #expect(first.annotations == Labels(["summary": "db1 is 85% full", "since": "1h 30m 0s", "exact": "0.850", "raw": "850m"]))
        #expect(first.value == 0.85)
        // A new severity is a new label set: a new alert, while the old one resolves.
        let second = scenario.at(1)
        #expect(second.alerts.map { $0.labels["severity"] } == ["critical", "warning"])
        #expect(second.alerts.map(\.state) == [.firing, .inactive])
        #expect(second.alerts.first?.annotations["summary"] == "db1 is 95% full")
    }

    @Test func theRulesLabelsOverrideTheSeriesLabelsAndTheMetricNameIsDropped() throws {
        var scenario = try Scenario(
            try rule("up", labels: ["instance": "overridden", "alertname": "ignored"]),
            series: ["up{instance=\"a\",job=\"node\"}": "1"]
        )
        let alert = try #require(scenario.at(0).alerts.first)
        // alertname always wins, as in Prometheus.
        #expect(alert.labels == ["alertname": "InstanceDown", "instance": "overridden", "job": "node"])
    }

    @Test func alertsAreRecordedAsALERTSAndALERTS_FOR_STATE() throws {
        var scenario = try Scenario(
            try rule("up == 0", for: .seconds(60), labels: ["severity": "page"]),
            series: ["up{instance=\"a\"}": "0 0 0"]
        )
        #expect(scenario.at(0).samplesWritten == 2)
        #expect(
            try scenario.fixture.vector("ALERTS", at: 0) == [
                "ALERTS{alertname=\"InstanceDown\",alertstate=\"pending\",instance=\"a\",severity=\"page\"}": 1
            ]
        )
        _ = scenario.at(1)
        // The pending series went stale when the alert fired.
        #expect(
            try scenario.fixture.vector("ALERTS", at: minutes(1)) == [
                "ALERTS{alertname=\"InstanceDown\",alertstate=\"firing\",instance=\"a\",severity=\"page\"}": 1
            ]
        )
        #expect(
            try scenario.fixture.vector("ALERTS_FOR_STATE", at: minutes(1)) == [
                "ALERTS_FOR_STATE{alertname=\"InstanceDown\",instance=\"a\",severity=\"page\"}": 0
            ]
        )
    }

    @Test func tooManyAlertsForTheGroupLimitFailTheRule() throws {
        var scenario = try Scenario(
            try rule("up == 0"),
            limit: 1,
            series: ["up{instance=\"a\"}": "0", "up{instance=\"b\"}": "0"]
        )
        let outcome = scenario.at(0)
        #expect(outcome.health == .err)
        #expect(outcome.lastError == "exceeded limit of 1 with 2 alerts")
        #expect(outcome.alerts.isEmpty)
    }

    @Test func labelsThatMakeTwoAlertsOneFailTheRule() throws {
        var scenario = try Scenario(
            try rule("up == 0", labels: ["instance": "same"]),
            series: ["up{instance=\"a\"}": "0", "up{instance=\"b\"}": "0"]
        )
        let outcome = scenario.at(0)
        #expect(outcome.health == .err)
        #expect(outcome.lastError == "vector contains metrics with the same labelset after applying alert labels")
    }

    @Test func anEvaluationErrorIsReportedAndTheRuleCarriesOn() throws {
        var scenario = try Scenario(
            try rule("a / on(k) b"),
            series: ["a{k=\"1\",z=\"x\"}": "1", "a{k=\"1\",z=\"y\"}": "1", "b{k=\"1\"}": "1"]
        )
        let outcome = scenario.at(0)
        #expect(outcome.health == .err)
        #expect(outcome.lastError == "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
    }
}
