import Foundation
import Notifications
import Testing

/// Routing and grouping, read from what the dispatcher notifies (one webhook per receiver).
@Suite struct RoutingTests {
    static let yaml = """
        notifications:
          route:
            receiver: default
            group_by: [alertname]
            group_wait: 0s
            routes:
              - matchers: ['severity="critical"']
                receiver: pager
                continue: true
              - matchers: ['severity=~"critical|warning"']
                receiver: chat
                group_by: [alertname, node]
                routes:
                  - matchers: ['team="db"']
                    receiver: db
              - matchers: ['severity="warning"']
                receiver: never
          receivers:
            - {name: default, webhook_configs: [{url: 'http://127.0.0.1:1/default'}]}
            - {name: pager, webhook_configs: [{url: 'http://127.0.0.1:1/pager'}]}
            - {name: chat, webhook_configs: [{url: 'http://127.0.0.1:1/chat'}]}
            - {name: db, webhook_configs: [{url: 'http://127.0.0.1:1/db'}]}
            - {name: never, webhook_configs: [{url: 'http://127.0.0.1:1/never'}]}
        """

    /// The receivers and group keys notified at once for `alerts`.
    func route(_ alerts: [NotifiedAlert]) throws -> [String] {
        var dispatcher = Dispatcher(settings: try settings(Self.yaml))
        return dispatcher.notifications(for: alerts, now: t0).map { "\($0.receiver) \($0.groupKey)" }.sorted()
    }

    @Test func anUnmatchedAlertStaysAtTheRoot() throws {
        #expect(try route([alert("Info", ["severity": "info"])]) == [#"default {}:{alertname="Info"}"#])
    }

    @Test func continueSendsToLaterSiblingsAsWell() throws {
        #expect(
            try route([alert("NodeDown", ["severity": "critical", "node": "a"])]) == [
                #"chat {}/{severity=~"critical|warning"}:{alertname="NodeDown", node="a"}"#,
                #"pager {}/{severity="critical"}:{alertname="NodeDown"}"#,
            ]
        )
    }

    @Test func theFirstMatchWithoutContinueStopsAndChildrenTakeOver() throws {
        // "warning" matches the second route, so the third (also matching) is never reached;
        // inside it the db child takes the db alert and inherits group_by.
        #expect(
            try route([alert("Slow", ["severity": "warning", "node": "a"]), alert("Slow", ["severity": "warning", "node": "b", "team": "db"])]) == [
                #"chat {}/{severity=~"critical|warning"}:{alertname="Slow", node="a"}"#,
                #"db {}/{severity=~"critical|warning"}/{team="db"}:{alertname="Slow", node="b"}"#,
            ]
        )
    }

    @Test func alertsWithTheSameGroupLabelsShareOneNotification() throws {
        var dispatcher = Dispatcher(settings: try settings(Self.yaml))
        let sent = dispatcher.notifications(
            for: [
                alert("Info", ["severity": "info", "node": "b", "job": "gw", "instance": "2"]),
                alert("Info", ["severity": "info", "node": "a", "job": "gw", "instance": "1"]),
                alert("Other", ["severity": "info"]),
            ],
            now: t0
        )
        #expect(sent.count == 2)
        let info = try #require(sent.first { $0.groupLabels == ["alertname": "Info"] })
        #expect(info.alerts.map { $0.labels["node"] } == ["a", "b"])
        #expect(info.commonLabels == ["alertname": "Info", "severity": "info", "job": "gw"])
    }

    @Test func groupByEveryLabelMakesEachAlertItsOwnGroup() throws {
        var dispatcher = Dispatcher(
            settings: try settings(
                """
                notifications:
                  route: {receiver: r, group_by: ['...'], group_wait: 0s}
                  receivers: [{name: r, webhook_configs: [{url: 'http://127.0.0.1:1/'}]}]
                """
            )
        )
        let sent = dispatcher.notifications(for: [alert("A", ["x": "1"]), alert("A", ["x": "2"])], now: t0)
        #expect(sent.map(\.groupKey).sorted() == [#"{}:{alertname="A", x="1"}"#, #"{}:{alertname="A", x="2"}"#])
    }

    @Test func fingerprintsMatchAlertmanager() {
        #expect(Fingerprint(labels: [:]).description == "cbf29ce484222325")
        #expect(Fingerprint(labels: ["alertname": "NodeDown", "node": "a"]).description == "68617dc3598d08f1")
        #expect(Fingerprint(labels: ["a": "bc"]).description == "a0a3542c19b900ab")
        #expect(Fingerprint(labels: ["ab": "c"]).description == "20ba9b3025a8b421")
    }
}
