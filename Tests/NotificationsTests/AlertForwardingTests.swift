import Foundation
import Notifications
import Testing

/// What is posted to Alertmanager each evaluation, as Prometheus does it.
@Suite struct AlertForwardingTests {
    let a = alert("NodeDown", ["node": "a"])
    let b = alert("NodeDown", ["node": "b"])

    func summary(_ batch: [PostableAlert]) -> [String] {
        batch.map { "\($0.labels["node"] ?? "?") ends \($0.endsAt)" }
    }

    @Test func firingAlertsAreSentEveryEvaluationValidForFourIntervals() {
        var forwarding = AlertForwarding()
        // The first evaluation has no interval yet: four minutes, the least.
        #expect(summary(forwarding.batch(for: [a, b], now: at(0))) == ["a ends 2027-01-15T08:04:00Z", "b ends 2027-01-15T08:04:00Z"])
        #expect(summary(forwarding.batch(for: [a, b], now: at(15))) == ["a ends 2027-01-15T08:04:15Z", "b ends 2027-01-15T08:04:15Z"])
        // Evaluations 2 minutes apart: valid for 8 minutes.
        #expect(summary(forwarding.batch(for: [a], now: at(135))) == ["a ends 2027-01-15T08:10:15Z", "b ends 2027-01-15T08:02:15Z"])
    }

    @Test func resolvedAlertsAreSentWithTheirEndForFifteenMinutes() {
        var forwarding = AlertForwarding()
        _ = forwarding.batch(for: [a], now: at(0))
        #expect(summary(forwarding.batch(for: [], now: at(60))) == ["a ends 2027-01-15T08:01:00Z"])
        #expect(summary(forwarding.batch(for: [], now: at(60 + 900))) == ["a ends 2027-01-15T08:01:00Z"])
        #expect(forwarding.batch(for: [], now: at(60 + 901)).isEmpty)
    }

    @Test func anAlertResolvedByTheEvaluatorKeepsItsEnd() {
        var forwarding = AlertForwarding()
        var resolved = a
        resolved.status = .resolved
        resolved.endsAt = at(30)
        #expect(summary(forwarding.batch(for: [resolved], now: at(45))) == ["a ends 2027-01-15T08:00:30Z"])
        // Firing again replaces the resolution.
        #expect(summary(forwarding.batch(for: [a], now: at(60))) == ["a ends 2027-01-15T08:05:00Z"])
    }
}
