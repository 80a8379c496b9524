import Foundation
import Glibc
import TestHTTP
import Testing
import Yams

/// scripts/setup-monitoring.sh: bad input is refused with a usage hint and writes nothing; good
/// input renders a private tree whose Alertmanager file `amtool` accepts for every combination of
/// receivers; the Compose file pins its images and binds loopback; start-monitoring.sh names a
/// port that is taken.
@Suite(.timeLimit(.minutes(3)))
struct SetupMonitoringTests {
    static let slack = "https://hooks.slack.com/services/T000/B000/SECRETslack"
    static let pagerduty = "0123456789abcdefSECRET0123456789"
    static let webhook = "https://alerts.example.com/hook?token=SECRETwebhook"

    @Test(arguments: [
        ([], "usage: scripts/setup-monitoring.sh"),
        (["--slack-webhook", slack], "--environment is required"),
        (["--environment", "prod"], #"--environment "prod" is unknown: use staging or production"#),
        (["--environment"], "--environment has no value: give it a value, e.g. --environment production"),
        // The seed's `--slack-webhook $SLACK_WEBHOOK --email-alerts ...` with the variable unset: the
        // shell drops the empty word, and the next option must not be taken as the URL.
        (
            ["--environment", "production", "--slack-webhook", "--email-alerts", "admin@company.com"],
            "--slack-webhook has no value (the next argument is the option --email-alerts): if you wrote "
                + "--slack-webhook $SLACK_WEBHOOK, SLACK_WEBHOOK is unset or empty"
        ),
        (["--environment", "production", "--slack-webhook", ""], "--slack-webhook has an empty value"),
        (["--environment", "production", "--pagerduty-key"], "--pagerduty-key has no value: if you wrote --pagerduty-key $OLLAMAMAX_PAGERDUTY_KEY"),
        (
            ["--environment", "staging", "--email-alerts", "--webhook", webhook],
            "--email-alerts has no value (the next argument is the option --webhook)"
        ),
        (["--environment", "staging", "--colour", "red"], #"unknown option "--colour""#),
        (["--environment", "staging", "--slack-webhook", "hooks.slack.com/SECRETslack"], "--slack-webhook is not an http(s) URL"),
        (["--environment", "staging", "--webhook", "ftp://example.com/SECRETwebhook"], "--webhook is not an http(s) URL"),
        (["--environment", "staging", "--webhook", "https://exa mple.com/SECRETwebhook"], "--webhook is not an http(s) URL"),
        (["--environment", "staging", "--pagerduty-key", "SECRETshort"], "--pagerduty-key is not a PagerDuty"),
        (["--environment", "staging", "--email-alerts", "ops@"], #"--email-alerts "ops@" is not an e-mail address"#),
        (["--environment", "staging", "--email-alerts", "ops example.com"], #"is not an e-mail address"#),
        (["--environment", "staging", "--prometheus-port", "70000"], #"--prometheus-port "70000" is not a TCP port"#),
        (["--environment", "staging", "--grafana-port", "9090"], "ports must differ"),
    ])
    func badInputIsRefusedAndWritesNothing(arguments: [String], message: String) async throws {
        let parent = try MonitoringStack.temporaryDirectory("setup-bad")
        defer { try? FileManager.default.removeItem(at: parent) }
        let output = parent.appendingPathComponent("out")
        let result = try await MonitoringStack.setup(arguments.isEmpty ? [] : ["--output-dir", output.path] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("usage: scripts/setup-monitoring.sh --environment staging|production"), "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("SECRET") && !result.stdout.contains("SECRET"), "a secret was echoed: \(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty, "something was written")
    }

    @Test(ExternalTool.promtool.enabled) func goodInputRendersAPrivateTreeWithoutEchoingSecrets() async throws {
        let parent = try MonitoringStack.temporaryDirectory("setup-good")
        defer { try? FileManager.default.removeItem(at: parent) }
        let output = parent.appendingPathComponent("production")
        let result = try await MonitoringStack.setup([
            "--environment", "production", "--slack-webhook", Self.slack, "--email-alerts", "ops@example.com",
            "--pagerduty-key", Self.pagerduty, "--webhook", Self.webhook, "--output-dir", output.path,
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for secret in [Self.slack, Self.pagerduty, Self.webhook, "SECRET"] {
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "a secret was echoed: \(result.stdout)")
        }
        #expect(result.stdout.contains("Alert receivers: Slack (#alerts), e-mail to ops@example.com, PagerDuty, webhook"))
        let files = [
            "prometheus.yml", "alertmanager.yml", "docker-compose.yml", "monitoring.env", "start-monitoring.sh",
            "stop-monitoring.sh", "rules/ollamamax-alerts.yml", "secrets/grafana-admin-password",
            "grafana/provisioning/datasources/prometheus.yml", "grafana/provisioning/dashboards/ollamamax.yml",
            "grafana/dashboards/ollamamax-gateway.json",
        ]
        for file in files {
            let mode = try Self.mode(output.appendingPathComponent(file))
            #expect(mode & 0o077 == 0, "\(file) is readable by others: \(String(mode, radix: 8))")
        }
        #expect(try Self.mode(output.appendingPathComponent("alertmanager.yml")) == 0o600)
        #expect(try Self.mode(output.appendingPathComponent("secrets/grafana-admin-password")) == 0o600)
        #expect(try Self.mode(output) == 0o700)
        #expect(try Self.mode(output.appendingPathComponent("start-monitoring.sh")) == 0o700)
        let alertmanager = try String(contentsOf: output.appendingPathComponent("alertmanager.yml"), encoding: .utf8)
        #expect(alertmanager.contains(Self.slack) && alertmanager.contains(Self.pagerduty) && alertmanager.contains(Self.webhook))
        let password = try String(contentsOf: output.appendingPathComponent("secrets/grafana-admin-password"), encoding: .utf8)
        #expect(password.trimmingCharacters(in: .whitespacesAndNewlines).count >= 24)
        let prometheus = try String(contentsOf: output.appendingPathComponent("prometheus.yml"), encoding: .utf8)
        for file in ["prometheus.yml", "alertmanager.yml", "docker-compose.yml", "grafana/provisioning/datasources/prometheus.yml"] {
            let text = try String(contentsOf: output.appendingPathComponent(file), encoding: .utf8)
            #expect(text.firstMatch(of: try Regex("@[A-Z_]+@")) == nil, "\(file): a placeholder is left")
        }
        #expect(prometheus.contains("environment: production") && prometheus.contains(#"targets: ["127.0.0.1:8080"]"#))
        let rendered = try String(contentsOf: output.appendingPathComponent("rules/ollamamax-alerts.yml"), encoding: .utf8)
        #expect(rendered == (try String(contentsOf: MonitoringStack.rules, encoding: .utf8)), "the rules were changed on the way")
        let check = try await Tool.run("promtool", ["check", "config", output.appendingPathComponent("prometheus.yml").path], input: "")
        #expect(check.status == 0, "promtool check config: \(check.output)")
    }

    /// The seed's command works when the webhook comes from the environment as SLACK_WEBHOOK.
    @Test func slackWebhookIsReadFromTheEnvironment() async throws {
        let parent = try MonitoringStack.temporaryDirectory("setup-env")
        defer { try? FileManager.default.removeItem(at: parent) }
        let output = parent.appendingPathComponent("production")
        let result = try await MonitoringStack.setup(
            ["--environment", "production", "--email-alerts", "admin@company.com", "--output-dir", output.path],
            environment: ["SLACK_WEBHOOK": Self.slack]
        )
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Alert receivers: Slack (#alerts), e-mail to admin@company.com"), "stdout: \(result.stdout)")
        #expect(!result.stdout.contains("SECRET") && !result.stderr.contains("SECRET"))
        let alertmanager = try String(contentsOf: output.appendingPathComponent("alertmanager.yml"), encoding: .utf8)
        #expect(alertmanager.contains(Self.slack))
    }

    @Test func aFailedRenderLeavesTheEarlierOneInPlace() async throws {
        let parent = try MonitoringStack.temporaryDirectory("setup-keep")
        defer { try? FileManager.default.removeItem(at: parent) }
        let output = parent.appendingPathComponent("staging")
        let first = try await MonitoringStack.setup(["--environment", "staging", "--webhook", Self.webhook, "--output-dir", output.path])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let before = try Data(contentsOf: output.appendingPathComponent("alertmanager.yml"))
        let second = try await MonitoringStack.setup(["--environment", "staging", "--webhook", "nope", "--output-dir", output.path])
        #expect(second.status == 2)
        #expect(try Data(contentsOf: output.appendingPathComponent("alertmanager.yml")) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["staging"])
    }

    /// Every subset of Slack, e-mail, PagerDuty and webhook: amtool accepts the file, critical
    /// alerts reach every configured receiver, warnings only Slack and the webhook.
    @Test(ExternalTool.amtool.enabled) func amtoolAcceptsEveryReceiverCombination() async throws {
        let parent = try MonitoringStack.temporaryDirectory("setup-amtool")
        defer { try? FileManager.default.removeItem(at: parent) }
        for combination in 0..<16 {
            let slack = combination & 1 != 0
            let email = combination & 2 != 0
            let pagerduty = combination & 4 != 0
            let webhook = combination & 8 != 0
            var arguments = ["--environment", "staging", "--output-dir", parent.appendingPathComponent("c\(combination)").path]
            if slack { arguments += ["--slack-webhook", Self.slack] }
            if email { arguments += ["--email-alerts", "ops@example.com"] }
            if pagerduty { arguments += ["--pagerduty-key", Self.pagerduty] }
            if webhook { arguments += ["--webhook", Self.webhook] }
            let result = try await MonitoringStack.setup(arguments)
            #expect(result.status == 0, "combination \(combination): \(result.stderr)")
            let file = parent.appendingPathComponent("c\(combination)/alertmanager.yml")
            let check = try await Tool.run("amtool", ["check-config", file.path], input: "")
            #expect(check.status == 0, "amtool check-config, combination \(combination): \(check.output)")
            let config = try Yams.load(yaml: String(contentsOf: file, encoding: .utf8)) as? [String: Any]
            let receivers = Dictionary(
                (config?["receivers"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", Set($0.keys).subtracting(["name"])) },
                uniquingKeysWith: { first, _ in first }
            )
            var critical: Set<String> = []
            var warning: Set<String> = []
            if slack {
                critical.insert("slack_configs")
                warning.insert("slack_configs")
            }
            if email { critical.insert("email_configs") }
            if pagerduty { critical.insert("pagerduty_configs") }
            if webhook {
                critical.insert("webhook_configs")
                warning.insert("webhook_configs")
            }
            #expect(receivers == ["critical": critical, "warning": warning], "combination \(combination)")
        }
    }

    @Test func composePinsImagesBindsLoopbackAndMountsExistingFiles() async throws {
        let parent = try MonitoringStack.temporaryDirectory("setup-compose")
        defer { try? FileManager.default.removeItem(at: parent) }
        let output = parent.appendingPathComponent("production")
        let result = try await MonitoringStack.setup(["--environment", "production", "--output-dir", output.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let compose =
            try Yams.load(yaml: String(contentsOf: output.appendingPathComponent("docker-compose.yml"), encoding: .utf8))
            as? [String: Any]
        let services = compose?["services"] as? [String: [String: Any]] ?? [:]
        #expect(Set(services.keys) == ["prometheus", "alertmanager", "node-exporter", "grafana"])
        let pinned = try Regex(#"^[a-z0-9./-]+:v?[0-9]+\.[0-9]+\.[0-9]+$"#)
        var listeners: [String: String] = [:]
        for (name, service) in services {
            let image = service["image"] as? String ?? ""
            #expect(image.wholeMatch(of: pinned) != nil, "\(name): image \(image) is not pinned to a version")
            #expect(service["ports"] == nil, "\(name) publishes ports; the stack uses the host network on 127.0.0.1")
            #expect(service["network_mode"] as? String == "host", "\(name): network_mode")
            for argument in service["command"] as? [String] ?? [] where argument.hasPrefix("--web.listen-address=") {
                listeners[name] = String(argument.dropFirst("--web.listen-address=".count))
            }
            for volume in service["volumes"] as? [String] ?? [] {
                let source = String(volume.split(separator: ":")[0])
                guard source.hasPrefix("./"), !source.hasPrefix("./data/") else { continue }
                #expect(
                    FileManager.default.fileExists(atPath: output.appendingPathComponent(String(source.dropFirst(2))).path),
                    "\(name) mounts \(source), which setup-monitoring.sh does not write"
                )
            }
        }
        #expect(listeners == ["prometheus": "127.0.0.1:9090", "alertmanager": "127.0.0.1:9093", "node-exporter": "127.0.0.1:9100"])
        let grafana = services["grafana"]?["environment"] as? [String: Any] ?? [:]
        #expect(grafana["GF_SERVER_HTTP_ADDR"] as? String == "127.0.0.1")
        #expect(grafana["GF_SERVER_HTTP_PORT"] as? String == "3000")
    }

    @Test func startNamesAPortThatIsTaken() async throws {
        let listener = try Listener()
        defer { listener.close() }
        let parent = try MonitoringStack.temporaryDirectory("setup-port")
        defer { try? FileManager.default.removeItem(at: parent) }
        let output = parent.appendingPathComponent("staging")
        let result = try await MonitoringStack.setup([
            "--environment", "staging", "--output-dir", output.path, "--prometheus-port", "\(listener.port)",
            "--alertmanager-port", "\(try Tool.freePort())", "--node-exporter-port", "\(try Tool.freePort())",
            "--grafana-port", "\(try Tool.freePort())",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let start = try await MonitoringStack.run(output.appendingPathComponent("start-monitoring.sh"), ["--native"])
        #expect(start.status == 1)
        #expect(start.stderr.contains("port \(listener.port) (prometheus) is already in use on 127.0.0.1"), "stderr: \(start.stderr)")
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("run").path)) ?? []
        #expect(pids.filter { $0.hasSuffix(".pid") }.isEmpty, "something was started: \(pids)")
    }

    static func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}

/// A TCP socket listening on 127.0.0.1 on a port the kernel picks, to make a port busy.
struct Listener {
    let socket: Int32
    let port: Int

    init() throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ClusterError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let socket = socket
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && listen(socket, 8) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard listening else {
            Glibc.close(socket)
            throw ClusterError("could not listen on a free port")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { Glibc.close(socket) }
}
