import Foundation
import Gateway
import LocalCluster
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

/// The gateway's own alerting, no Prometheus or Alertmanager: a rule file evaluated over its
/// scrapes of itself, a node that starts failing, NodeDown at /api/v1/alerts and on a webhook
/// (the Alertmanager payload), then resolved once the node answers again.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct EmbeddedAlertingTests {
    static let rules = """
        groups:
          - name: nodes
            interval: 1s
            rules:
              - alert: NodeDown
                expr: max by (job, instance, node) (ollamamax_node_state{state="unhealthy"}) == 1
                labels:
                  severity: critical
                annotations:
                  summary: "Node {{ $labels.node }} is unhealthy"
        """

    /// A `notifications:` section with one receiver, `oncall`, whose integrations are `receiver`
    /// (YAML at the receiver's indentation); alerts grouped per node, sent at once.
    static func notifications(receiver: String) -> String {
        """
        notifications:
          route:
            receiver: oncall
            group_by: [alertname, node]
            group_wait: 0s
            group_interval: 1s
            repeat_interval: 1h
          receivers:
            - name: oncall

        """ + receiver
    }

    static func notifications(webhook: String) -> String {
        notifications(
            receiver: """
                      webhook_configs:
                        - url: \(webhook)
                          send_resolved: true
                """
        )
    }

    @Test func nodeDownFiresInTheGatewayReachesTheWebhookAndResolves() async throws {
        let inbox = Inbox()
        try await withWebhookReceiver(inbox) { webhookPort in
            try await Self.withNodeDownEpisode(notifications: Self.notifications(webhook: "http://127.0.0.1:\(webhookPort)/alerts")) {
                client,
                cluster,
                flaky in
                #expect(cluster.gateway.alerts.ruleCount == 1)
                let rules = try await client.get("/api/v1/rules")
                #expect(rules.status == 200)
                #expect(rules.text.contains(#""name":"NodeDown""#), "\(rules.text.prefix(500))")
                #expect(await inbox.alerts(named: "NodeDown", node: "sim-flaky").isEmpty, "NodeDown before any fault")

                flaky.setFailing(true)
                let firing = try await inbox.waitFor("a firing NodeDown for sim-flaky") { inbox in
                    await inbox.notifications.first { notification in
                        notification.status == "firing" && notification.alerts.contains { $0.labels["node"] == "sim-flaky" }
                    }
                }
                #expect(firing.receiver == "oncall")
                #expect(firing.version == "4")
                let alert = try #require(firing.alerts.first)
                #expect(alert.labels["alertname"] == "NodeDown")
                #expect(alert.labels["severity"] == "critical")
                #expect(alert.labels["job"] == "ollamamax")
                #expect(alert.annotations["summary"] == "Node sim-flaky is unhealthy")
                let listed = try await client.get("/api/v1/alerts")
                #expect(listed.text.contains(#""state":"firing""#), "\(listed.text)")
                #expect(listed.text.contains(#""node":"sim-flaky""#), "\(listed.text)")

                flaky.setFailing(false)
                let resolved = try await inbox.waitFor("a resolved NodeDown for sim-flaky") { inbox in
                    await inbox.notifications.first { notification in
                        notification.status == "resolved" && notification.alerts.contains { $0.labels["node"] == "sim-flaky" }
                    }
                }
                #expect(resolved.alerts.first?.status == "resolved")
                // One firing notification for the episode, then the resolution.
                let firings = await inbox.notifications.filter { $0.status == "firing" }
                #expect(firings.count == 1, "\(firings.map(\.status))")
            }
        }
    }

    /// The same episode told by Slack, PagerDuty and e-mail (a real SMTP server, aiosmtpd): each
    /// integration gets one firing and one resolved notification in its own format, and the
    /// deliveries are counted on /metrics.
    @Test(.enabled(if: TestSMTPRelay.python != nil, TestSMTPRelay.skipReason))
    func slackPagerDutyAndEmailEachGetTheFiringAndTheResolution() async throws {
        let relay = try await TestSMTPRelay.start()
        do {
            let inbox = Inbox()
            try await withWebhookReceiver(inbox) { port in
                let notifications = Self.notifications(
                    receiver: """
                              slack_configs:
                                - api_url: http://127.0.0.1:\(port)/slack
                                  send_resolved: true
                              pagerduty_configs:
                                - routing_key: test-routing-key-0123456789
                                  url: http://127.0.0.1:\(port)/pagerduty
                              email_configs:
                                - to: oncall@example.com
                                  from: ollamamax@example.com
                                  smarthost: 127.0.0.1:\(relay.port)
                                  require_tls: false
                                  send_resolved: true
                        """
                )
                try await Self.withNodeDownEpisode(notifications: notifications) { client, _, flaky in
                    flaky.setFailing(true)
                    try await eventually(within: 60, "Slack, PagerDuty and e-mail have the firing NodeDown") {
                        let posts = await inbox.posts
                        let mails = (try? relay.messages()) ?? []
                        return posts["/slack"]?.contains { $0.contains("[FIRING:1]") && $0.contains("sim-flaky") } == true
                            && posts["/pagerduty"]?.contains { $0.contains(#""event_action":"trigger""#) } == true
                            && mails.contains { $0.text.contains("[FIRING:1] NodeDown") }
                    }
                    flaky.setFailing(false)
                    try await eventually(within: 60, "Slack, PagerDuty and e-mail have the resolution") {
                        let posts = await inbox.posts
                        let mails = (try? relay.messages()) ?? []
                        return posts["/slack"]?.contains { $0.contains("[RESOLVED]") } == true
                            && posts["/pagerduty"]?.contains { $0.contains(#""event_action":"resolve""#) } == true
                            && mails.contains { $0.text.contains("[RESOLVED] NodeDown") }
                    }
                    let posts = await inbox.posts
                    #expect(posts["/slack"]?.count == 2, "\(posts["/slack"] ?? [])")
                    #expect(posts["/pagerduty"]?.count == 2, "\(posts["/pagerduty"] ?? [])")
                    let mails = try relay.messages()
                    #expect(mails.count == 2, "\(mails.map(\.text))")
                    #expect(mails.allSatisfy { $0.recipients == ["oncall@example.com"] && $0.mailFrom == "ollamamax@example.com" })
                    // The same dedup_key on trigger and resolve, so PagerDuty closes the incident it opened.
                    let keys = Set((posts["/pagerduty"] ?? []).compactMap { Self.field("dedup_key", in: $0) })
                    #expect(keys.count == 1, "\(keys)")
                    // The deliveries on /metrics; the routing key on none of its lines. A delivery is
                    // counted when its receiver has answered, a moment after the receiver has the message.
                    let integrations = ["slack", "pagerduty", "email"]
                    try await eventually(within: 60, "/metrics counts two deliveries per integration") {
                        let metrics = (try? await client.get("/metrics").text) ?? ""
                        return integrations.allSatisfy { Self.deliveries($0, in: metrics)?.hasSuffix(" 2") == true }
                    }
                    let metrics = try await client.get("/metrics").text
                    for integration in integrations {
                        let line = Self.deliveries(integration, in: metrics)
                        #expect(line?.hasSuffix(" 2") == true, "\(integration): \(line ?? "no ollamamax_notifications_total line")")
                    }
                    #expect(!metrics.contains("test-routing-key"))
                }
            }
        } catch {
            await relay.stop()
            throw error
        }
        await relay.stop()
    }

    /// The `ollamamax_notifications_total` line of `integration` in a scrape.
    static func deliveries(_ integration: String, in metrics: String) -> Substring? {
        metrics.split(separator: "\n").first {
            $0.hasPrefix("ollamamax_notifications_total{") && $0.contains(#"integration="\#(integration)""#)
        }
    }

    /// A JSON string field's value in `text`.
    static func field(_ name: String, in text: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        return object[name] as? String
    }

    /// Runs `body` with a gateway over a fast node and a flaky one (healthy until the body makes it
    /// fail), evaluating ``rules`` every second with `notifications` as its notification settings.
    static func withNodeDownEpisode(
        notifications: String,
        _ body: @Sendable (TestClient, Cluster, FlakyNode) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("embedded-alerting-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let rulesFile = directory.appendingPathComponent("rules.yml")
        try rules.write(to: rulesFile, atomically: true, encoding: .utf8)
        let notificationsFile = directory.appendingPathComponent("notifications.yml")
        try notifications.write(to: notificationsFile, atomically: true, encoding: .utf8)
        try await withFlakyNode { flaky in
            try await withCluster(
                [fastNode()],
                configure: { configuration in
                    configuration.nodes.append(NodeEndpoint(id: "sim-flaky", url: flaky.url))
                    configuration.probeInterval = .seconds(0.25)
                    configuration.health.failuresToUnhealthy = 1
                    configuration.health.successesToHealthy = 1
                    configuration.monitoring.sampleInterval = .seconds(0.5)
                    configuration.alerting.ruleFiles = [rulesFile.path]
                    configuration.alerting.notificationsFile = notificationsFile.path
                }
            ) { client, cluster in
                try await body(client, cluster, flaky)
            }
        }
    }
}
