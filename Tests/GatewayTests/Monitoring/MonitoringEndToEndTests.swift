import Foundation
import Gateway
import Hummingbird
import LocalCluster
import Logging
import NIOCore
import NodeSimulator
import OllamaAPI
import ServiceLifecycle
import Synchronization
import TestHTTP
import Testing

/// The rendered stack for real: a gateway over simulated nodes, the native Prometheus,
/// Alertmanager and node_exporter started by start-monitoring.sh from setup-monitoring.sh's
/// files (`--test-timing`: 1 s intervals, `for: 0s`), and a webhook receiver in the test. A node
/// starts failing: NodeDown must reach the webhook with its exact labels, then resolve once the
/// node answers again. Every dashboard query runs against that Prometheus, and Alertmanager's NodeDown
/// inhibition is checked on its API.
@Suite(.serialized, .timeLimit(.minutes(4)), ExternalTool.prometheus.enabled)
struct MonitoringEndToEndTests {
    @Test func nodeDownReachesTheWebhookAndResolves() async throws {
        let inbox = Inbox()
        try await withFlakyNode { flaky in
            try await withWebhookReceiver(inbox) { webhookPort in
                try await withCluster(
                    [fastNode()],
                    configure: { configuration in
                        configuration.nodes.append(NodeEndpoint(id: "sim-flaky", url: flaky.url))
                        configuration.probeInterval = .seconds(0.25)
                        configuration.health.failuresToUnhealthy = 1
                        configuration.health.successesToHealthy = 1
                        configuration.monitoring.enabled = true
                    }
                ) { client, cluster in
                    let target = cluster.gatewayURL.replacingOccurrences(of: "http://", with: "")
                    try await withNativeStack(gateway: target, webhook: "http://127.0.0.1:\(webhookPort)/alerts") { stack in
                        try await Self.run(client: client, stack: stack, target: target, flaky: flaky, inbox: inbox)
                    }
                }
            }
        }
    }

    static func run(client: TestClient, stack: NativeStack, target: String, flaky: FlakyNode, inbox: Inbox) async throws {
        let prometheus = PrometheusServer(client: TestClient(port: stack.prometheusPort))
        try await prometheus.expect(#"up{job="ollamamax"}"#, equals: 1)
        try await prometheus.expect(#"up{job="node"}"#, equals: 1)
        try await prometheus.expect(#"ollamamax_node_state{node="sim-flaky",state="healthy"}"#, equals: 1)
        for index in 0..<4 {
            _ = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"p\#(index)","options":{"num_predict":4}}"#)
        }
        #expect(await inbox.alerts(named: "NodeDown", node: "sim-flaky").isEmpty, "NodeDown before any fault")

        // The fault: every request to the node fails with 503, its health probes included.
        flaky.setFailing(true)
        let expectedLabels = [
            "alertname": "NodeDown", "severity": "critical", "job": "ollamamax", "instance": target, "node": "sim-flaky",
            "environment": "staging",
        ]
        let firing = try await inbox.waitFor("a firing NodeDown for sim-flaky") { inbox in
            await inbox.notifications.first { notification in
                notification.status == "firing" && notification.alerts.contains { $0.labels["alertname"] == "NodeDown" }
            }
        }
        #expect(firing.receiver == "critical")
        let alert = try #require(firing.alerts.first { $0.labels["alertname"] == "NodeDown" })
        #expect(alert.labels == expectedLabels)
        #expect(alert.status == "firing")
        #expect(alert.annotations["summary"] == "Node sim-flaky is unhealthy")
        #expect(alert.annotations["runbook"]?.hasPrefix("ollama-distributed status shows the node's last probe error.") == true)

        // The repair: the node answers again.
        flaky.setFailing(false)
        let resolved = try await inbox.waitFor("a resolved NodeDown for sim-flaky") { inbox in
            await inbox.notifications.first { notification in
                notification.status == "resolved" && notification.alerts.contains { $0.labels["alertname"] == "NodeDown" }
            }
        }
        let resolvedAlert = try #require(resolved.alerts.first { $0.labels["alertname"] == "NodeDown" })
        #expect(resolvedAlert.labels == expectedLabels)
        #expect(resolvedAlert.status == "resolved")

        // Every dashboard query parses and runs on this Prometheus.
        var answered = 0
        for (panel, expr) in try MonitoringStack.dashboardQueries() {
            let query = MonitoringStack.instantQuery(expr).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? expr
            let answer = try await prometheus.client.get("/api/v1/query?query=\(query)")
            let json = try answer.json()
            #expect(json["status"]?.stringValue == "success", "panel \(panel): \(expr) → \(answer.text)")
            if let result = json["data"]?.objectValue?["result"]?.arrayValue, !result.isEmpty { answered += 1 }
        }
        #expect(answered >= 10, "only \(answered) dashboard queries returned data")

        try await Self.checkInhibition(alertmanager: TestClient(port: stack.alertmanagerPort))
    }

    /// NodeDown silences NodeSlowFirstToken of the same instance and node, not of another node.
    static func checkInhibition(alertmanager: TestClient) async throws {
        func alert(_ name: String, node: String, severity: String) -> String {
            #"{"labels":{"alertname":"\#(name)","instance":"inhibition-check:1","node":"\#(node)","severity":"\#(severity)"},"annotations":{}}"#
        }
        let posted = try await alertmanager.post(
            "/api/v2/alerts",
            "[\(alert("NodeDown", node: "n9", severity: "critical")),\(alert("NodeSlowFirstToken", node: "n9", severity: "warning")),\(alert("NodeSlowFirstToken", node: "n8", severity: "warning"))]"
        )
        #expect(posted.status == 200, "POST /api/v2/alerts: \(posted.text)")
        let filter = #"instance="inhibition-check:1""#.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let deadline = ContinuousClock.now + .seconds(30)
        var last = ""
        while ContinuousClock.now < deadline {
            let answer = try await alertmanager.get("/api/v2/alerts?filter=\(filter)")
            last = answer.text
            let alerts = try JSONDecoder().decode([AlertmanagerAlert].self, from: Data(answer.body))
            let slowN9 = alerts.first { $0.labels["alertname"] == "NodeSlowFirstToken" && $0.labels["node"] == "n9" }
            let slowN8 = alerts.first { $0.labels["alertname"] == "NodeSlowFirstToken" && $0.labels["node"] == "n8" }
            if alerts.count == 3, slowN9?.status.state == "suppressed", slowN8?.status.state == "active" {
                #expect(slowN9?.status.inhibitedBy.count == 1)
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("Alertmanager never inhibited NodeSlowFirstToken{node=\"n9\"} alone; last answer: \(last)")
    }
}

/// An alert as Alertmanager's API v2 lists it.
struct AlertmanagerAlert: Decodable {
    struct Status: Decodable {
        let state: String
        let inhibitedBy: [String]
    }
    let labels: [String: String]
    let status: Status
}

/// One webhook notification from Alertmanager (payload version 4).
struct WebhookNotification: Decodable, Sendable {
    struct Alert: Decodable, Sendable {
        let status: String
        let labels: [String: String]
        let annotations: [String: String]
    }
    let receiver: String
    let status: String
    let version: String
    let alerts: [Alert]
}

/// What the webhook receiver was sent, in order.
actor Inbox {
    private(set) var notifications: [WebhookNotification] = []
    private(set) var undecodable: [String] = []
    /// The bodies POSTed to `/slack` and `/pagerduty`, by path, in order.
    private(set) var posts: [String: [String]] = [:]

    func add(_ body: [UInt8], at path: String) {
        posts[path, default: []].append(String(decoding: body, as: UTF8.self))
    }

    func add(_ body: [UInt8]) {
        if let notification = try? JSONDecoder().decode(WebhookNotification.self, from: Data(body)) {
            notifications.append(notification)
        } else {
            undecodable.append(String(decoding: body, as: UTF8.self))
        }
    }

    func alerts(named name: String, node: String) -> [WebhookNotification.Alert] {
        notifications.flatMap(\.alerts).filter { $0.labels["alertname"] == name && $0.labels["node"] == node }
    }

    /// Polls `find` until it returns a notification; fails after 60 s with what did arrive.
    nonisolated func waitFor(
        _ what: String,
        _ find: @Sendable (Inbox) async -> WebhookNotification?
    ) async throws -> WebhookNotification {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let found = await find(self) { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
        let seen = await notifications.map { "\($0.status) \($0.alerts.map { $0.labels["alertname"] ?? "?" })" }
        let bad = await undecodable
        throw ClusterError("timed out waiting for \(what); received: \(seen), undecodable: \(bad)")
    }
}

/// Runs `body` with an HTTP server on 127.0.0.1 that files every POST to /alerts in `inbox`, and
/// keeps the bodies POSTed to /slack and /pagerduty as they came.
func withWebhookReceiver<T: Sendable>(_ inbox: Inbox, _ body: @Sendable (Int) async throws -> T) async throws -> T {
    var logger = Logger(label: "test.webhook")
    logger.logLevel = .critical
    let router = Router()
    router.post("/alerts") { request, _ -> HTTPResponse.Status in
        let buffer = try await request.body.collect(upTo: 1 << 20)
        await inbox.add(Array(buffer.readableBytesView))
        return .ok
    }
    for path in ["/slack", "/pagerduty"] {
        router.post(RouterPath(path)) { request, _ -> HTTPResponse.Status in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            await inbox.add(Array(buffer.readableBytesView), at: path)
            return path == "/pagerduty" ? .accepted : .ok
        }
    }
    let (ports, sink) = AsyncStream<Int>.makeStream()
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in sink.yield(channel.localAddress?.port ?? 0) },
        logger: logger
    )
    let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            defer { sink.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw ClusterError("the webhook receiver did not start") }
        let result: T
        do {
            result = try await body(port)
        } catch {
            // Wait for the servers to end before leaving: cancelling them with a connection not
            // yet served traps in NIO (apple/swift-nio#3481).
            await group.triggerGracefulShutdown()
            while await tasks.nextResult() != nil {}
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
    }
}

/// A simulated node behind a switch: while `failing` is off, a front on its own port relays
/// every GET to the simulator (the gateway's probes: /api/version, /api/tags, /api/ps); while it
/// is on, the front answers 503 to everything, as a node whose server breaks. The node holds
/// only qwen3:4b, which the test never asks for, so no inference request is routed to it.
final class FlakyNode: Sendable {
    private let state = Mutex<(failing: Bool, simulator: String)>((false, ""))
    let url: String

    init(url: String) {
        self.url = url
    }

    func setFailing(_ failing: Bool) {
        state.withLock { $0.failing = failing }
    }

    fileprivate func setSimulator(_ url: String) {
        state.withLock { $0.simulator = url }
    }

    fileprivate func relay(_ path: String) async throws -> Response {
        let (failing, simulator) = state.withLock { ($0.failing, $0.simulator) }
        if failing || simulator.isEmpty {
            return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "injected fault")))
        }
        let answer = try await TestClient(base: simulator).get(path)
        var headers = HTTPFields()
        headers[.contentType] = answer.contentType ?? "application/json"
        return Response(
            status: .init(code: answer.status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: answer.body))
        )
    }
}

/// Runs `body` with a ``FlakyNode`` on 127.0.0.1, then stops it.
func withFlakyNode<T: Sendable>(_ body: @Sendable (FlakyNode) async throws -> T) async throws -> T {
    var logger = Logger(label: "test.flaky-node")
    logger.logLevel = .critical
    var configuration = fastNode(models: ["qwen3:4b"])
    configuration.host = "127.0.0.1"
    configuration.port = 0
    configuration.name = "sim-flaky"
    let simulator = NodeSimulator(configuration: configuration, logger: logger)
    let frontPort = try Tool.freePort()
    let flaky = FlakyNode(url: "http://127.0.0.1:\(frontPort)")
    let router = Router()
    router.get("**") { request, _ in try await flaky.relay(request.uri.description) }
    let front = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: frontPort)),
        logger: logger
    )
    let (ports, sink) = AsyncStream<Int>.makeStream()
    let group = ServiceGroup(
        configuration: .init(services: [simulator.makeApplication { port in sink.yield(port) }, front], logger: logger)
    )
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            defer { sink.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw ClusterError("the flaky node's simulator did not start") }
        flaky.setSimulator("http://127.0.0.1:\(port)")
        try await eventually(within: 10, "the flaky node's front answers") {
            (try? await TestClient(base: flaky.url).get("/api/version").status) == 200
        }
        let result: T
        do {
            result = try await body(flaky)
        } catch {
            // Wait for the servers to end before leaving: cancelling them with a connection not
            // yet served traps in NIO (apple/swift-nio#3481).
            await group.triggerGracefulShutdown()
            while await tasks.nextResult() != nil {}
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
    }
}

/// The ports of a stack start-monitoring.sh started.
struct NativeStack: Sendable {
    let directory: URL
    let prometheusPort: Int
    let alertmanagerPort: Int
}

/// Renders the stack with `--test-timing` into a temporary directory, starts it natively, runs
/// `body`, and always stops it again.
func withNativeStack<T: Sendable>(
    gateway: String,
    webhook: String,
    _ body: @Sendable (NativeStack) async throws -> T
) async throws -> T {
    let parent = try MonitoringStack.temporaryDirectory("monitoring-e2e")
    defer { try? FileManager.default.removeItem(at: parent) }
    let directory = parent.appendingPathComponent("staging")
    let stack = NativeStack(directory: directory, prometheusPort: try Tool.freePort(), alertmanagerPort: try Tool.freePort())
    let setup = try await MonitoringStack.setup([
        "--environment", "staging", "--output-dir", directory.path, "--test-timing", "--webhook", webhook,
        "--gateway", gateway, "--prometheus-port", "\(stack.prometheusPort)",
        "--alertmanager-port", "\(stack.alertmanagerPort)", "--node-exporter-port", "\(try Tool.freePort())",
        "--grafana-port", "\(try Tool.freePort())",
    ])
    guard setup.status == 0 else { throw ClusterError("setup-monitoring.sh failed: \(setup.stderr)") }
    let start = try await MonitoringStack.run(directory.appendingPathComponent("start-monitoring.sh"), ["--native"])
    let stop = { _ = try? await MonitoringStack.run(directory.appendingPathComponent("stop-monitoring.sh"), []) }
    guard start.status == 0 else {
        await stop()
        throw ClusterError("start-monitoring.sh failed: \(start.stdout)\(start.stderr)")
    }
    #expect(start.stdout.contains("Grafana is not started"), "start-monitoring.sh: \(start.stdout)")
    do {
        let result = try await body(stack)
        await stop()
        return result
    } catch {
        await stop()
        throw ClusterError("\(error)\n\(logTails(directory.appendingPathComponent("logs")))")
    }
}

/// The last lines of every log the native stack wrote, so a failure explains itself.
func logTails(_ logs: URL, lines: Int = 30) -> String {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: logs.path).sorted()) ?? []
    return names.map { name in
        let text = (try? String(contentsOf: logs.appendingPathComponent(name), encoding: .utf8)) ?? "(unreadable)"
        return "--- \(name), last \(lines) lines ---\n" + text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }.joined(separator: "\n")
}
