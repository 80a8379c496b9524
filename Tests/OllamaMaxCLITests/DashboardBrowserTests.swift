import Foundation
import TestHTTP
import Testing

/// `/dashboard` in headless Chromium (scripts/dashboard-check.py through Playwright) against a
/// gateway process with a rule file: the page loads without console errors, its numbers match
/// `/metrics`, an update after traffic changes the request rate, and a firing alert shows.
/// Screenshots (light and dark) stay in .build/test-artifacts.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct DashboardBrowserTests {
    static let rules = """
        groups:
          - name: traffic
            interval: 1s
            rules:
              - alert: TrafficSeen
                expr: sum(rate(http_requests_total{route="/api/generate"}[1m])) > 0
                labels: {severity: warning}
                annotations: {summary: "{{ $value | humanize }} requests/s"}
        """

    static let config = """
        monitoring:
          enabled: true
          sample_interval: 1s
        alerting:
          rule_files: [rules.yml]
        """

    @Test(ExternalTool.chromium.enabled, ExternalTool.playwright.enabled)
    func thePageShowsLiveNumbersAndAFiringAlert() async throws {
        let python = try ExternalTool.playwright.path()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.rules.write(to: directory.appendingPathComponent("rules.yml"), atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("gateway.yaml")
        try Self.config.write(to: config, atomically: true, encoding: .utf8)
        let artifacts = ChildProcess.packageRoot.appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)

        let gateway = try ChildProcess(
            ChildProcess.binary,
            ["start", "--simulate", "1", "--listen", "127.0.0.1:0", "--config", config.path],
            environment: ["OLLAMAMAX_NODES": ""]
        )
        try gateway.start()
        defer { gateway.stop() }
        let line = try await gateway.waitForLine(containing: "listening on")
        let port = try #require(line.split(separator: ":")[2].split(separator: " ").first.map(String.init))
        let url = "http://127.0.0.1:\(port)"
        let client = TestClient(base: url)

        // Traffic while the page is open: the request rate rises above 0 and the alert fires.
        let traffic = Task {
            for _ in 0..<600 where !Task.isCancelled {
                _ = try? await client.post("/api/generate", #"{"model":"llama3.2","prompt":"hi","stream":false,"options":{"num_predict":2}}"#)
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        defer { traffic.cancel() }
        let light = artifacts.appendingPathComponent("dashboard-light.png")
        let check = try await CompareCommandTests.runToFiles(
            python,
            [
                ChildProcess.packageRoot.appendingPathComponent("scripts/dashboard-check.py").path, "\(url)/dashboard",
                "--wait-events", "2", "--until-stat", "requests_per_second", "--above", "0", "--until-alert", "TrafficSeen",
                "--screenshot", light.path, "--json", "--timeout", "90",
            ]
        )
        #expect(check.code == 0, "\(check.stdout)\(check.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any], "\(check.stdout)")
        #expect((report["console_errors"] as? [Any])?.isEmpty == true, "\(report["console_errors"] ?? "")")
        #expect((report["alerts"] as? [String: String])?["TrafficSeen"] == "firing", "\(report["alerts"] ?? "")")
        let stats = try #require(report["stats"] as? [String: Any?])
        #expect((stats["requests_per_second"] as? String).flatMap(Double.init).map { $0 > 0 } == true, "\(stats)")
        let panels = try #require(report["panels"] as? [String: Any])
        let requests = try #require((panels["requests"] as? [String: Any])?["series"] as? [String: Any?])
        #expect(requests["/api/generate"] != nil, "\(requests)")

        // The page's node count and healthy nodes are those /metrics reports.
        let metrics = try await client.get("/metrics").text
        let healthy = metrics.split(separator: "\n").filter { $0.hasPrefix("ollamamax_node_state{") && $0.contains(#"state="healthy""#) }
        let healthyCount = healthy.compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0, +)
        #expect((stats["healthy_nodes"] as? String).flatMap(Double.init) == healthyCount, "\(stats) vs \(healthy)")
        #expect(stats["nodes"] as? String == "1", "\(stats)")
        #expect(FileManager.default.fileExists(atPath: light.path))

        let dark = try await CompareCommandTests.runToFiles(
            python,
            [
                ChildProcess.packageRoot.appendingPathComponent("scripts/dashboard-check.py").path, "\(url)/dashboard",
                "--dark", "--wait-events", "1", "--screenshot", artifacts.appendingPathComponent("dashboard-dark.png").path, "--timeout", "60",
            ]
        )
        #expect(dark.code == 0, "\(dark.stdout)\(dark.stderr)")
    }
}
