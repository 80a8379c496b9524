import Foundation
import Notifications
import TestHTTP
import Testing

/// Real HTTP deliveries to loopback servers: webhook, Slack and PagerDuty payloads, retries,
/// and receivers that do not hold each other up.
@Suite struct HTTPDeliveryTests {
    static func yaml(_ server: TestHTTPServer) -> String {
        """
        notifications:
          external_url: http://gateway.test:8080
          dashboard_url: http://gateway.test:8080/dashboard
          route:
            receiver: critical
            group_by: [alertname]
            group_wait: 0s
            group_interval: 5m
          receivers:
            - name: critical
              webhook_configs: [{url: '\(server.url("/hook"))'}]
              slack_configs: [{api_url: '\(server.url("/slack"))', channel: '#alerts', send_resolved: true}]
              pagerduty_configs: [{routing_key: R0UT1NG, url: '\(server.url("/pd"))', severity: warning}]
        """
    }

    /// The next `count` requests by path.
    static func take(_ count: Int, from server: TestHTTPServer) async throws -> [String: TestHTTPServer.Request] {
        var found: [String: TestHTTPServer.Request] = [:]
        for _ in 0..<count {
            let request = try #require(await server.requests.next(), "request \(found.count + 1) of \(count) did not arrive")
            found[request.path] = request
        }
        return found
    }

    @Test func webhookSlackAndPagerDutyGetTheirPayloadsThenTheResolution() async throws {
        let server = try await TestHTTPServer.start { request, _ in
            request.path == "/pd" ? .status(202, #"{"status":"success"}"#) : .status(200, "ok")
        }
        defer { Task { await server.stop() } }
        let down = alert("NodeDown", ["node": "a", "severity": "critical"], annotations: ["summary": "Node a is down"])
        try await withService(try settings(Self.yaml(server))) { service in
            await service.process(alerts: [down], now: at(0))
            let firing = try await Self.take(3, from: server)

            let hook = try #require(firing["/hook"])
            #expect(hook.method == "POST")
            #expect(hook.headers["content-type"] == "application/json")
            let webhook = try JSONDecoder().decode(WebhookMessage.self, from: hook.body)
            #expect(webhook.version == "4")
            #expect(webhook.status == "firing")
            #expect(webhook.receiver == "critical")
            #expect(webhook.groupKey == #"{}:{alertname="NodeDown"}"#)
            #expect(webhook.externalURL == "http://gateway.test:8080")
            #expect(webhook.alerts.map(\.labels) == [down.labels])
            #expect(webhook.alerts[0].fingerprint == down.fingerprint.description)

            let slack = try JSONDecoder().decode(SlackMessage.self, from: try #require(firing["/slack"]).body)
            #expect(slack.channel == "#alerts")
            #expect(slack.blocks.first?.type == "header")
            #expect(slack.blocks.first?.text?.text == "🔥 [FIRING:1] critical · NodeDown")
            #expect(
                slack.blocks.contains { $0.elements?.contains(.button(text: "Open dashboard", url: "http://gateway.test:8080/dashboard")) == true }
            )

            let trigger = try #require(firing["/pd"]).json()
            #expect(trigger["routing_key"] as? String == "R0UT1NG")
            #expect(trigger["event_action"] as? String == "trigger")
            #expect((trigger["payload"] as? [String: Any])?["severity"] as? String == "critical")
            let dedupKey = try #require(trigger["dedup_key"] as? String)
            #expect(dedupKey.count == 64)

            try await within(.seconds(20), "the firing deliveries to finish") { await service.waitUntilIdle() }
            // The alert resolves; the next flush (group_interval later) tells everyone.
            await service.process(alerts: [], now: at(60))
            await service.process(alerts: [], now: at(300))
            let resolved = try await Self.take(3, from: server)
            let resolvedHook = try JSONDecoder().decode(WebhookMessage.self, from: try #require(resolved["/hook"]).body)
            #expect(resolvedHook.status == "resolved")
            #expect(resolvedHook.alerts.first?.endsAt == "2027-01-15T08:01:00Z")
            let resolvedSlack = try JSONDecoder().decode(SlackMessage.self, from: try #require(resolved["/slack"]).body)
            #expect(resolvedSlack.blocks.first?.text?.text == "✅ [RESOLVED] critical · NodeDown")
            let resolve = try #require(resolved["/pd"]).json()
            #expect(resolve["event_action"] as? String == "resolve")
            #expect(resolve["dedup_key"] as? String == dedupKey)

            try await within(.seconds(20), "the resolved deliveries to finish") { await service.waitUntilIdle() }
            #expect(
                service.counters() == [
                    DeliveryCounter(receiver: "critical", integration: .pagerDuty, sent: 2, attempts: 2),
                    DeliveryCounter(receiver: "critical", integration: .slack, sent: 2, attempts: 2),
                    DeliveryCounter(receiver: "critical", integration: .webhook, sent: 2, attempts: 2),
                ]
            )
            #expect(await service.groupKeys == [])
        }
    }

    @Test func aReceiverAnswering500TwiceThen200IsRetriedAndDeliveredOnce() async throws {
        let server = try await TestHTTPServer.start { _, number in number <= 2 ? .status(500, "busy") : .status(200, "ok") }
        defer { Task { await server.stop() } }
        let yaml = """
            notifications:
              route: {receiver: hook, group_wait: 0s}
              receivers: [{name: hook, webhook_configs: [{url: '\(server.url("/hook"))'}]}]
            """
        try await withService(try settings(yaml)) { service in
            await service.process(alerts: [alert("NodeDown")], now: at(0))
            // Three attempts of up to 10 s each (the test policy): the bound for a hang is over
            // their sum, not under it (20 s ran out once on a loaded machine).
            try await within(.seconds(60), "the delivery to finish") { await service.waitUntilIdle() }
            #expect(server.requests.pending.count == 3)
            #expect(service.counters() == [DeliveryCounter(receiver: "hook", integration: .webhook, sent: 1, attempts: 3, failedAttempts: 2)])
            // Delivered: the next flush has nothing new.
            await service.process(alerts: [alert("NodeDown")], now: at(300))
            try await within(.seconds(20), "nothing to deliver") { await service.waitUntilIdle() }
            #expect(server.requests.pending.count == 3)
        }
    }

    @Test func aClientErrorIsNotRetriedAndTheNextFlushTriesAgain() async throws {
        let server = try await TestHTTPServer.start { _, number in number == 1 ? .status(400, "bad payload") : .status(200, "ok") }
        defer { Task { await server.stop() } }
        let yaml = """
            notifications:
              route: {receiver: hook, group_wait: 0s, group_interval: 1m}
              receivers: [{name: hook, webhook_configs: [{url: '\(server.url("/hook"))'}]}]
            """
        let logs = LogLines()
        try await withService(try settings(yaml), logger: logs.logger) { service in
            await service.process(alerts: [alert("NodeDown")], now: at(0))
            try await within(.seconds(20), "the delivery to finish") { await service.waitUntilIdle() }
            #expect(service.counters() == [DeliveryCounter(receiver: "hook", integration: .webhook, failed: 1, attempts: 1, failedAttempts: 1)])
            #expect(
                logs.all.contains { $0.contains("notification not delivered") && $0.contains("error=the endpoint answered HTTP 400: bad payload") }
            )
            await service.process(alerts: [alert("NodeDown")], now: at(60))
            try await within(.seconds(20), "the second delivery to finish") { await service.waitUntilIdle() }
            #expect(
                service.counters() == [DeliveryCounter(receiver: "hook", integration: .webhook, sent: 1, failed: 1, attempts: 2, failedAttempts: 1)]
            )
        }
    }

    @Test func aHangingReceiverDoesNotDelayAnother() async throws {
        let hanging = try await TestHTTPServer.start { _, _ in .hang }
        let fast = try await TestHTTPServer.start()
        defer {
            Task {
                await hanging.stop()
                await fast.stop()
            }
        }
        let yaml = """
            notifications:
              route:
                receiver: slow
                group_wait: 0s
                routes:
                  - {matchers: ['alertname=~".+"'], receiver: slow, continue: true}
                  - {matchers: ['alertname=~".+"'], receiver: fast}
              receivers:
                - {name: slow, webhook_configs: [{url: '\(hanging.url("/slow"))'}]}
                - {name: fast, webhook_configs: [{url: '\(fast.url("/fast"))'}]}
            """
        let policy = RetryPolicy(attempts: 3, timeout: .seconds(120), initialBackoff: .zero)
        try await withService(try settings(yaml), policy: policy) { service in
            await service.process(alerts: [alert("NodeDown")], now: at(0))
            // Both receivers are asked; the fast one answers while the slow one still hangs.
            let slow = try #require(await hanging.requests.next(), "the hanging receiver was never asked")
            #expect(slow.path == "/slow")
            let quick = try #require(await fast.requests.next(), "the fast receiver was held up")
            #expect(quick.path == "/fast")
            #expect(!service.counters().contains { $0.receiver == "slow" && ($0.sent + $0.failed) > 0 })
            // A later evaluation is not held up either: processing returns while "slow" hangs.
            await service.process(alerts: [alert("NodeDown")], now: at(1))
        }
    }
}
