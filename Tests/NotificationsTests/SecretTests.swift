import Foundation
import Notifications
import TestHTTP
import Testing

/// Secrets (webhook and Slack URLs, passwords, routing keys) never show in errors, logs or
/// printed values, even when an endpoint echoes them back.
@Suite struct SecretTests {
    static let marker = "SECRETMARKER\(UUID().uuidString.prefix(8))"

    static func yaml(_ server: TestHTTPServer, smtpPort: Int, extra: String = "") -> String {
        """
        notifications:
          route: {receiver: leaky, group_wait: 0s}
          receivers:
            - name: leaky
              webhook_configs: [{url: '\(server.url("/hook/\(marker)"))'}]
              slack_configs: [{api_url: '\(server.url("/services/\(marker)"))'}]
              pagerduty_configs: [{routing_key: '\(marker)', url: '\(server.url("/pd"))'}]
              email_configs:
                - to: oncall@example.com
                  from: alerts@example.com
                  smarthost: 127.0.0.1:\(smtpPort)
                  auth_username: alerts
                  auth_password: '\(marker)'
                  require_tls: false
        \(extra)
        """
    }

    @Test func secretsAppearInNoErrorAndNoLogLine() async throws {
        // The endpoint fails every post and echoes the whole request back, secrets included.
        let server = try await TestHTTPServer.start { request, _ in
            let key = (try? request.json())?["routing_key"] as? String ?? ""
            return .status(500, "failed \(request.path) \(key) \(String(decoding: request.body, as: UTF8.self))")
        }
        defer { Task { await server.stop() } }
        // A port nothing listens on: the mail fails to connect.
        let closedPort = try await TestHTTPServer.start()
        let smtpPort = closedPort.port
        await closedPort.stop()

        var texts: [String] = []
        let parsed = try settings(Self.yaml(server, smtpPort: smtpPort))
        texts.append(String(describing: parsed))
        texts.append(String(reflecting: parsed))
        var dumped = ""
        dump(parsed, to: &dumped)
        texts.append(dumped)
        texts.append(String(decoding: try JSONEncoder().encode(Secret(Self.marker)), as: UTF8.self))
        #expect(String(decoding: try JSONEncoder().encode(Secret(Self.marker)), as: UTF8.self) == #""<secret>""#)
        #expect("\(Secret(Self.marker))" == "<secret>")

        // Configuration errors next to secrets, about secrets, and YAML errors on their lines.
        texts.append(problems(Self.yaml(server, smtpPort: smtpPort, extra: "  bogus: 1")))
        texts.append(problems(Self.yaml(server, smtpPort: smtpPort).replacingOccurrences(of: "url: '\(server.url("/hook/"))", with: "url: 'ftp://")))
        texts.append(
            problems(
                Self.yaml(server, smtpPort: smtpPort).replacingOccurrences(
                    of: "auth_password: '\(Self.marker)'",
                    with: "auth_password: \"\(Self.marker)"
                )
            )
        )
        texts.append(problems("notifications:\n  receivers: [{name: r, slack_configs: [{api_url: [\(Self.marker)]}]}]\n"))
        #expect(texts.suffix(4).allSatisfy { !$0.isEmpty })

        // Deliveries that fail with answers that echo every secret.
        let logs = LogLines()
        try await withService(parsed, policy: RetryPolicy(attempts: 2, timeout: .seconds(10), initialBackoff: .zero), logger: logs.logger) {
            service in
            await service.process(alerts: [alert("NodeDown", annotations: ["summary": "down"])], now: at(0))
            try await within(.seconds(30), "the failing deliveries") { await service.waitUntilIdle() }
            #expect(
                service.counters().map { "\($0.integration.rawValue) failed=\($0.failed) attempts=\($0.attempts)" } == [
                    "email failed=1 attempts=2", "pagerduty failed=1 attempts=2", "slack failed=1 attempts=2", "webhook failed=1 attempts=2",
                ]
            )
        }
        // The secrets did reach the wire (so the test would see an echo) ...
        let received = server.requests.pending
        #expect(received.contains { $0.path.contains(Self.marker) })
        #expect(received.contains { String(decoding: $0.body, as: UTF8.self).contains(Self.marker) })
        // ... and the logs said what failed, without them.
        #expect(logs.all.filter { $0.contains("notification not delivered") }.count == 4)
        #expect(logs.all.contains { $0.contains("the endpoint answered HTTP 500: failed <secret>") })
        #expect(logs.all.contains { $0.contains("the endpoint answered HTTP 500: failed /pd <secret>") })
        texts += logs.all
        for text in texts {
            #expect(!text.contains(Self.marker), "a secret leaked into: \(text)")
        }
    }
}
