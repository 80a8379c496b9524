import Foundation
import TestHTTP
import Testing
import Yams

/// scripts/setup-monitoring.sh with the secrets of a keyed gateway and an authenticated SMTP relay:
/// each lands in a mode-600 file, never on the terminal; the scrape job's authorization block reads
/// the key from its file (so prometheus.yml holds no key) and `promtool` and `amtool` accept the result.
@Suite(.timeLimit(.minutes(3)))
struct SetupMonitoringSecretsTests {
    static let metricsKey = "om-metrics-SECRETkey-0123456789"
    static let smtpPassword = #"SECRET "pass" \word"#

    @Test(ExternalTool.promtool.enabled) func theMetricsKeyAndTheSMTPPasswordGoToPrivateFilesAndTheScrapeJobSendsTheKey() async throws {
        let parent = try MonitoringStack.temporaryDirectory("setup-secrets")
        defer { try? FileManager.default.removeItem(at: parent) }
        let output = parent.appendingPathComponent("production")
        let result = try await MonitoringStack.setup(
            [
                "--environment", "production", "--email-alerts", "ops@example.com", "--smtp-smarthost", "smtp.example.com:587",
                "--smtp-auth-username", "alerts@example.com", "--output-dir", output.path,
            ],
            environment: ["OLLAMAMAX_METRICS_KEY": Self.metricsKey, "OLLAMAMAX_SMTP_PASSWORD": Self.smtpPassword]
        )
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(!result.stdout.contains("SECRET") && !result.stderr.contains("SECRET"), "a secret was echoed: \(result.stdout)")
        #expect(result.stdout.contains("Gateway scrape: Bearer key from \(output.path)/secrets/gateway-metrics-key"))

        let keyFile = output.appendingPathComponent("secrets/gateway-metrics-key")
        #expect(try SetupMonitoringTests.mode(keyFile) == 0o600)
        #expect(try String(contentsOf: keyFile, encoding: .utf8) == Self.metricsKey + "\n")
        #expect(try SetupMonitoringTests.mode(output.appendingPathComponent("alertmanager.yml")) == 0o600)
        #expect(try SetupMonitoringTests.mode(output.appendingPathComponent("prometheus.yml")) == 0o600)

        let prometheusText = try String(contentsOf: output.appendingPathComponent("prometheus.yml"), encoding: .utf8)
        #expect(!prometheusText.contains("SECRET"), "the key is in prometheus.yml")
        let prometheus = try #require(try Yams.load(yaml: prometheusText) as? [String: Any])
        let jobs = try #require(prometheus["scrape_configs"] as? [[String: Any]])
        let gateway = try #require(jobs.first { $0["job_name"] as? String == "ollamamax" })
        let authorization = try #require(gateway["authorization"] as? [String: String])
        #expect(authorization == ["type": "Bearer", "credentials_file": "secrets/gateway-metrics-key"])
        #expect(jobs.filter { $0["authorization"] != nil }.count == 1, "only the gateway's job sends the key")

        let alertmanager = try #require(
            try Yams.load(yaml: String(contentsOf: output.appendingPathComponent("alertmanager.yml"), encoding: .utf8)) as? [String: Any]
        )
        let global = try #require(alertmanager["global"] as? [String: Any])
        #expect(global["smtp_auth_username"] as? String == "alerts@example.com")
        #expect(global["smtp_auth_password"] as? String == Self.smtpPassword)

        let compose = try String(contentsOf: output.appendingPathComponent("docker-compose.yml"), encoding: .utf8)
        #expect(compose.contains("- ./secrets/gateway-metrics-key:/etc/prometheus/secrets/gateway-metrics-key:ro"))

        let check = try await Tool.run("promtool", ["check", "config", output.appendingPathComponent("prometheus.yml").path], input: "")
        #expect(check.status == 0, "promtool check config: \(check.output)")
        if ExternalTool.amtool.url != nil {
            let amtool = try await Tool.run("amtool", ["check-config", output.appendingPathComponent("alertmanager.yml").path], input: "")
            #expect(amtool.status == 0, "amtool check-config: \(amtool.output)")
        }
    }

    @Test func withoutAKeyTheScrapeJobHasNoAuthorizationAndNoKeyFileIsWritten() async throws {
        let parent = try MonitoringStack.temporaryDirectory("setup-nokey")
        defer { try? FileManager.default.removeItem(at: parent) }
        let output = parent.appendingPathComponent("staging")
        let result = try await MonitoringStack.setup(["--environment", "staging", "--output-dir", output.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let prometheus = try String(contentsOf: output.appendingPathComponent("prometheus.yml"), encoding: .utf8)
        #expect(!prometheus.contains("authorization:") && !prometheus.contains("credentials_file"))
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("secrets/gateway-metrics-key").path))
        let compose = try String(contentsOf: output.appendingPathComponent("docker-compose.yml"), encoding: .utf8)
        #expect(!compose.contains("gateway-metrics-key"))
    }

    @Test(arguments: [
        (["--metrics-key", "SECRET key"], "--metrics-key holds spaces or characters outside printable ASCII"),
        (["--metrics-key"], "--metrics-key has no value: if you wrote --metrics-key $OLLAMAMAX_METRICS_KEY"),
        (["--email-alerts", "ops@example.com", "--smtp-auth-username", "alerts"], "--smtp-auth-username needs a password"),
        (["--email-alerts", "ops@example.com", "--smtp-auth-password", "SECRETpw"], "needs --smtp-auth-username"),
        (["--smtp-auth-username", "alerts", "--smtp-auth-password", "SECRETpw"], "--smtp-auth-username is for e-mail alerts"),
    ])
    func badSecretsAreRefusedWithoutEchoingThem(arguments: [String], message: String) async throws {
        let parent = try MonitoringStack.temporaryDirectory("setup-badsecret")
        defer { try? FileManager.default.removeItem(at: parent) }
        let result = try await MonitoringStack.setup(
            ["--environment", "staging", "--output-dir", parent.appendingPathComponent("out").path] + arguments
        )
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("SECRET") && !result.stdout.contains("SECRET"), "a secret was echoed: \(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty, "something was written")
    }
}
