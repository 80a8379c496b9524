import Foundation
import Notifications
import Testing

/// The timing rules, with time passed in: group_wait, group_interval, repeat_interval,
/// send_resolved, and outcomes.
@Suite struct DispatcherTests {
    /// One receiver with a webhook that sends resolved alerts and a Slack that does not.
    static let yaml = """
        notifications:
          route:
            receiver: team
            group_by: [alertname]
            group_wait: 30s
            group_interval: 5m
            repeat_interval: 4h
          receivers:
            - name: team
              webhook_configs: [{url: 'http://127.0.0.1:1/hook', send_resolved: true}]
              slack_configs: [{api_url: 'http://127.0.0.1:1/slack', send_resolved: false}]
        """

    /// A dispatcher whose notifications are all reported delivered, recording what each step sent
    /// as `integration: fingerprints by status`.
    struct Harness {
        var dispatcher: Dispatcher

        init(_ yaml: String = DispatcherTests.yaml) throws {
            dispatcher = Dispatcher(settings: try settings(yaml))
        }

        mutating func step(_ alerts: [NotifiedAlert], _ seconds: Double, deliver: Bool = true) -> [String] {
            let sent = dispatcher.notifications(for: alerts, now: at(seconds))
            for notification in sent {
                if deliver { dispatcher.delivered(notification) } else { dispatcher.failed(notification) }
            }
            return sent.map(Self.describe).sorted()
        }

        static func describe(_ notification: AlertNotification) -> String {
            let firing = notification.firing.map { $0.labels["node"] ?? "?" }.sorted().joined(separator: ",")
            let resolved = notification.resolved.map { $0.labels["node"] ?? "?" }.sorted().joined(separator: ",")
            return "\(notification.integration.kind.rawValue) firing[\(firing)] resolved[\(resolved)]"
        }
    }

    let a = alert("NodeDown", ["node": "a"])
    let b = alert("NodeDown", ["node": "b"])

    @Test func aNewGroupWaitsGroupWaitBeforeItsFirstNotification() throws {
        var harness = try Harness()
        #expect(harness.step([a], 0) == [])
        #expect(harness.step([a], 29) == [])
        #expect(harness.step([a], 30) == ["slack firing[a] resolved[]", "webhook firing[a] resolved[]"])
    }

    @Test func alertsArrivingDuringGroupWaitGoInTheFirstNotification() throws {
        var harness = try Harness()
        #expect(harness.step([a], 0) == [])
        #expect(harness.step([a, b], 15) == [])
        #expect(harness.step([a, b], 30) == ["slack firing[a,b] resolved[]", "webhook firing[a,b] resolved[]"])
    }

    @Test func anAlertThatStartedLongAgoIsNotifiedAtOnce() throws {
        var harness = try Harness()
        let old = alert("NodeDown", ["node": "a"], startsAt: at(-600))
        #expect(harness.step([old], 0) == ["slack firing[a] resolved[]", "webhook firing[a] resolved[]"])
    }

    @Test func aChangedGroupWaitsForGroupIntervalThenIsNotified() throws {
        var harness = try Harness()
        _ = harness.step([a], 0)
        _ = harness.step([a], 30)
        #expect(harness.step([a, b], 60) == [])
        #expect(harness.step([a, b], 329) == [])
        #expect(harness.step([a, b], 330) == ["slack firing[a,b] resolved[]", "webhook firing[a,b] resolved[]"])
    }

    @Test func anUnchangedGroupIsRepeatedAfterRepeatInterval() throws {
        var harness = try Harness()
        _ = harness.step([a], 0)
        _ = harness.step([a], 30)
        // Flushes every 5 minutes find nothing new until four hours have passed since the last
        // notification at 30 s.
        var time = 30.0
        while time + 300 < 30 + 4 * 3600 {
            time += 300
            #expect(harness.step([a], time) == [], "at \(time)")
        }
        #expect(harness.step([a], 30 + 4 * 3600) == ["slack firing[a] resolved[]", "webhook firing[a] resolved[]"])
    }

    @Test func resolvedAlertsGoOnlyToIntegrationsThatSendResolved() throws {
        var harness = try Harness()
        _ = harness.step([a, b], 0)
        _ = harness.step([a, b], 30)
        // b leaves the input: resolved at 100 s, notified at the next flush to the webhook only.
        #expect(harness.step([a], 100) == [])
        #expect(harness.step([a], 330) == ["webhook firing[a] resolved[b]"])
        // Once notified, b is gone: the next flush has nothing new.
        #expect(harness.step([a], 630) == [])
    }

    @Test func anAllResolvedGroupIsNotifiedOnceAndDropped() throws {
        var harness = try Harness()
        _ = harness.step([a], 0)
        _ = harness.step([a], 30)
        var resolvedA = a
        resolvedA.status = .resolved
        resolvedA.endsAt = at(200)
        #expect(harness.step([resolvedA], 200) == [])
        // The webhook gets the all-clear; Slack does not send resolved alerts, so it gets nothing.
        #expect(harness.step([resolvedA], 330) == ["webhook firing[] resolved[a]"])
        #expect(harness.dispatcher.groupKeys == [])
        // The evaluator may keep reporting the resolved alert: it is not news.
        #expect(harness.step([resolvedA], 630) == [])
        #expect(harness.step([resolvedA], 930) == [])
    }

    @Test func aResolvedAlertNeverSeenFiringIsIgnored() throws {
        var harness = try Harness()
        var resolved = a
        resolved.status = .resolved
        #expect(harness.step([resolved], 0) == [])
        #expect(harness.step([resolved], 60) == [])
        #expect(harness.dispatcher.groupKeys == [])
    }

    @Test func anAlertThatFiresAndResolvesBeforeTheFirstFlushIsNeverNotified() throws {
        var harness = try Harness()
        _ = harness.step([a], 0)
        #expect(harness.step([], 10) == [])
        #expect(harness.step([], 30) == [])
        #expect(harness.dispatcher.groupKeys == [])
    }

    @Test func aFailedNotificationIsSentAgainAtTheNextFlush() throws {
        var harness = try Harness()
        _ = harness.step([a], 0)
        #expect(harness.step([a], 30, deliver: false) == ["slack firing[a] resolved[]", "webhook firing[a] resolved[]"])
        #expect(harness.step([a], 330) == ["slack firing[a] resolved[]", "webhook firing[a] resolved[]"])
        #expect(harness.step([a], 630) == [])
    }

    @Test func onlyTheIntegrationThatFailedIsNotifiedAgain() throws {
        var harness = try Harness()
        _ = harness.step([a], 0)
        let sent = harness.dispatcher.notifications(for: [a], now: at(30))
        for notification in sent {
            if notification.integration.kind == .slack { harness.dispatcher.failed(notification) } else { harness.dispatcher.delivered(notification) }
        }
        #expect(harness.step([a], 330) == ["slack firing[a] resolved[]"])
    }

    @Test func aGroupWithDeliveriesInFlightIsNotFlushedAgain() throws {
        var harness = try Harness()
        _ = harness.step([a], 0)
        let first = harness.dispatcher.notifications(for: [a], now: at(30))
        #expect(first.count == 2)
        // Nothing reported yet: the flush due at 330 s waits.
        #expect(harness.dispatcher.notifications(for: [a, b], now: at(330)).isEmpty)
        for notification in first { harness.dispatcher.delivered(notification) }
        // Reported: the next evaluation flushes the change.
        #expect(harness.step([a, b], 345) == ["slack firing[a,b] resolved[]", "webhook firing[a,b] resolved[]"])
    }

    @Test func resolvedAlertsStayUntilTheirNotificationIsDelivered() throws {
        var harness = try Harness()
        _ = harness.step([a], 0)
        _ = harness.step([a], 30)
        #expect(harness.step([], 100) == [])
        #expect(harness.step([], 330, deliver: false) == ["webhook firing[] resolved[a]"])
        #expect(harness.dispatcher.groupKeys == [#"{}:{alertname="NodeDown"}"#])
        #expect(harness.step([], 630) == ["webhook firing[] resolved[a]"])
        #expect(harness.dispatcher.groupKeys == [])
    }

    @Test func anAlertThatFiresAgainIsNews() throws {
        var harness = try Harness()
        _ = harness.step([a], 0)
        _ = harness.step([a], 30)
        _ = harness.step([], 100)
        #expect(harness.step([], 330) == ["webhook firing[] resolved[a]"])
        // A new group: it waits group_wait again.
        var again = a
        again.startsAt = at(400)
        #expect(harness.step([again], 400) == [])
        #expect(harness.step([again], 430) == ["slack firing[a] resolved[]", "webhook firing[a] resolved[]"])
    }

    @Test func notificationsCarryTheGroupAndTheFlushTime() throws {
        var dispatcher = Dispatcher(settings: try settings(Self.yaml))
        _ = dispatcher.notifications(for: [a], now: at(0))
        let sent = dispatcher.notifications(for: [a], now: at(30))
        let webhook = try #require(sent.first { $0.integration.kind == .webhook })
        #expect(webhook.receiver == "team")
        #expect(webhook.integration.description == "team/webhook_configs[0]")
        #expect(webhook.groupKey == #"{}:{alertname="NodeDown"}"#)
        #expect(webhook.groupLabels == ["alertname": "NodeDown"])
        #expect(webhook.createdAt == at(30))
        #expect(webhook.status == .firing)
        #expect(webhook.groupKeyHash == "81dc30ba5475ebac179421dc9cc7a1e4057e66705dfc91492838cf9e3f939b59")
    }
}
