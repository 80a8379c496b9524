import Foundation
import TestHTTP
import Testing

@testable import Notifications

/// Real mail to an aiosmtpd relay on loopback (see ``TestSMTPRelay``): STARTTLS, AUTH PLAIN and
/// LOGIN, dot-stuffing, plain relays, and the errors of each failing step.
@Suite(.enabled(if: TestSMTPRelay.python != nil, TestSMTPRelay.skipReason))
struct SMTPTests {
    /// How long one conversation may take: only a hang reaches it, even when the whole suite, the
    /// Python relay and its TLS handshakes share two cores (20 s once ran out there).
    static let patience: Duration = .seconds(60)

    static func settings(
        _ relay: TestSMTPRelay,
        user: String? = nil,
        password: String? = nil,
        requireTLS: Bool = true,
        trust: Bool = true
    ) -> EmailSettings {
        EmailSettings(
            to: [EmailAddress("oncall@example.com")!, EmailAddress("Ops <ops@example.com>")!],
            from: EmailAddress("OllamaMax <alerts@example.com>")!,
            smarthost: Smarthost(host: "127.0.0.1", port: relay.port),
            authUsername: user,
            authPassword: password.map(Secret.init),
            requireTLS: requireTLS,
            hello: "gateway.test",
            tls: EmailTLSSettings(caFile: trust ? relay.certificate : nil)
        )
    }

    /// The error `send` throws, or `nil`.
    static func failure(_ send: () async throws(DeliveryError) -> Void) async -> DeliveryError? {
        do {
            try await send()
            return nil
        } catch {
            return error
        }
    }

    @Test func aMailGoesThroughSTARTTLSAndAUTHWithItsHeadersAndBody() async throws {
        let relay = try await TestSMTPRelay.start(.init(tls: true, auth: ("alerts", "s3cret pass")))
        let yaml = """
            notifications:
              dashboard_url: http://gateway.test/dashboard
              route: {receiver: mail, group_wait: 0s, group_by: [alertname]}
              receivers:
                - name: mail
                  email_configs:
                    - to: 'oncall@example.com, Ops <ops@example.com>'
                      from: 'OllamaMax <alerts@example.com>'
                      smarthost: 127.0.0.1:\(relay.port)
                      auth_username: alerts
                      auth_password: 's3cret pass'
                      hello: gateway.test
                      tls_config: {ca_file: '\(relay.certificate ?? "")'}
            """
        let down = alert(
            "NodeDown",
            ["node": "a", "severity": "critical"],
            annotations: ["summary": ".a line that starts with a dot", "description": "No answer for 2m"]
        )
        // A loaded CI machine can take seconds for the relay's TLS handshake: one generous attempt.
        let patient = RetryPolicy(attempts: 3, timeout: .seconds(40), initialBackoff: .zero)
        try await withService(try Notifications.NotificationSettings.parse(yaml: yaml, source: "test.yml"), policy: patient) { service in
            await service.process(alerts: [down, alert("NodeDown", ["node": "b", "severity": "critical"])], now: at(0))
            try await within(.seconds(90), "the mail to be delivered") { await service.waitUntilIdle() }
            #expect(service.counters() == [DeliveryCounter(receiver: "mail", integration: .email, sent: 1, attempts: 1)])
        }
        let messages = try relay.messages()
        await relay.stop()
        #expect(messages.count == 1)
        let message = try #require(messages.first)
        #expect(message.tls)
        #expect(message.user == "alerts")
        #expect(message.helo == "gateway.test")
        #expect(message.mailFrom == "alerts@example.com")
        #expect(message.recipients == ["oncall@example.com", "ops@example.com"])
        let parsed = try EmailMessageTests.parse(message.text)
        #expect(parsed.headers["Subject"] == "[FIRING:2] NodeDown (severity=critical)")
        #expect(parsed.headers["From"] == "\"OllamaMax\" <alerts@example.com>")
        #expect(parsed.headers["To"] == "oncall@example.com, \"Ops\" <ops@example.com>")
        #expect(parsed.headers["Date"] == "Fri, 15 Jan 2027 08:00:00 +0000")
        #expect(parsed.headers["MIME-Version"] == "1.0")
        #expect(parsed.headers["Message-ID"]?.hasSuffix("@example.com>") == true)
        #expect(parsed.headers["Content-Type"]?.hasPrefix("multipart/alternative; boundary=") == true)
        #expect(parsed.parts.map { $0.headers["Content-Type"] } == ["text/plain; charset=UTF-8", "text/html; charset=UTF-8"])
        // The line that starts with a dot arrives as written: stuffed on the wire, unstuffed there.
        #expect(parsed.parts[0].body.contains("\r\n.a line that starts with a dot\r\n  No answer for 2m\r\n"))
        #expect(parsed.parts[1].body.contains("<a href=\"http://gateway.test/dashboard\">"))
    }

    @Test func authLoginIsUsedWhenPlainIsNotOffered() async throws {
        let relay = try await TestSMTPRelay.start(.init(tls: true, auth: ("alerts", "pw"), loginOnly: true))
        let mail = "Subject: login\r\n\r\n.\r\n..\r\nend\r\n"
        try await SMTPClient().send(mail, settings: Self.settings(relay, user: "alerts", password: "pw"), timeout: Self.patience)
        let messages = try relay.messages()
        await relay.stop()
        #expect(messages.map(\.user) == ["alerts"])
        #expect(messages.first?.text == mail)
    }

    @Test func aPlainRelayWorksWithoutRequireTLS() async throws {
        let relay = try await TestSMTPRelay.start()
        try await SMTPClient().send("Subject: plain\r\n\r\nhello\r\n", settings: Self.settings(relay, requireTLS: false), timeout: Self.patience)
        let messages = try relay.messages()
        await relay.stop()
        #expect(messages.count == 1)
        #expect(messages.first?.tls == false)
        #expect(messages.first?.text == "Subject: plain\r\n\r\nhello\r\n")
    }

    @Test func requireTLSRefusesARelayWithoutSTARTTLS() async throws {
        let relay = try await TestSMTPRelay.start()
        let error = await Self.failure { () async throws(DeliveryError) in
            try await SMTPClient().send("Subject: x\r\n\r\nx\r\n", settings: Self.settings(relay), timeout: Self.patience)
        }
        let messages = try relay.messages()
        await relay.stop()
        #expect(
            error?.description
                == "smtp 127.0.0.1:\(relay.port): the relay does not offer STARTTLS and require_tls is true; enable STARTTLS on the relay, or set require_tls: false to send without encryption"
        )
        #expect(error?.isRetryable == false)
        #expect(messages.isEmpty)
    }

    @Test func aWrongPasswordNamesTheStepAndTheReplyButNotThePassword() async throws {
        let relay = try await TestSMTPRelay.start(.init(tls: true, auth: ("alerts", "right")))
        let error = await Self.failure { () async throws(DeliveryError) in
            try await SMTPClient().send(
                "Subject: x\r\n\r\nx\r\n",
                settings: Self.settings(relay, user: "alerts", password: "WRONGPASSWORD"),
                timeout: Self.patience
            )
        }
        await relay.stop()
        #expect(error?.description == "smtp 127.0.0.1:\(relay.port): AUTH PLAIN as alerts was refused: 535 5.7.8 Authentication credentials invalid")
        #expect(error?.smtpCode == 535)
        #expect(error?.isRetryable == false)
        #expect(error?.description.contains("WRONGPASSWORD") == false)
    }

    @Test func anUntrustedCertificateFailsTheTLSStep() async throws {
        let relay = try await TestSMTPRelay.start(.init(tls: true))
        let error = await Self.failure { () async throws(DeliveryError) in
            try await SMTPClient().send("Subject: x\r\n\r\nx\r\n", settings: Self.settings(relay, trust: false), timeout: Self.patience)
        }
        let messages = try relay.messages()
        await relay.stop()
        let text = try #require(error?.description)
        #expect(text.hasPrefix("smtp 127.0.0.1:\(relay.port): the TLS handshake after STARTTLS failed: TLS failed:"), "\(text)")
        #expect(text.contains("CERTIFICATE_VERIFY_FAILED"), "\(text)")
        #expect(messages.isEmpty)
    }
}
