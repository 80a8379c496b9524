import Foundation
import PerfReport
import Glibc
import LocalCluster
import NIOHTTP1
import OllamaAPI
import Telemetry
import TestHTTP
import Testing

@testable import Gateway

/// The real Prometheus tools against the gateway: `promtool check metrics` on a live `/metrics`
/// body, and a Prometheus server scraping the gateway whose query API must return exactly the
/// traffic that was sent. `scripts/test.sh` installs Debian's `prometheus` package.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct PrometheusScrapeTests {
    @Test(ExternalTool.promtool.enabled) func promtoolFindsNothingInALiveScrape() async throws {
        try await withCluster([fastNode(), fastNode()], configure: { $0.monitoring.enabled = true }) { client, _ in
            _ = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"hi"}"#)
            _ = try await client.post("/v1/chat/completions", #"{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}"#)
            _ = try await client.post("/api/generate", #"{"model":"missing","prompt":"hi"}"#)
            _ = try await client.get("/api/tags")
            let body = try await client.get("/metrics").text
            let result = try await Tool.run("promtool", ["check", "metrics"], input: body)
            #expect(result.status == 0, "promtool: \(result.output)")
            #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "", "promtool: \(result.output)")
        }
    }

    @Test(ExternalTool.promtool.enabled) func promtoolAcceptsEscapedLabelValues() async throws {
        let metrics = Metrics(detailed: true)
        for model in ["naïve \"quoted\"", "back\\slash", "new\nline", "🦙 llama", "{braces}=,"] {
            metrics.family(MetricCatalog.outputTokens).increment(by: 3, "node \"a\"", model)
            metrics.family(MetricCatalog.timeToFirstToken).observe(0.3, "node \"a\"", model)
        }
        let body = String(decoding: metrics.render(), as: UTF8.self)
        let result = try await Tool.run("promtool", ["check", "metrics"], input: body)
        #expect(result.status == 0, "promtool: \(result.output)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "", "promtool: \(result.output)")
        #expect(try Exposition.parse(body).value("ollamamax_output_tokens_total", ["model": "new\nline"]) == 3)
    }

    @Test(ExternalTool.prometheus.enabled) func prometheusScrapesExactlyTheTrafficSent() async throws {
        try await withCluster([fastNode()], configure: { $0.monitoring.enabled = true }) { client, cluster in
            var output = 0
            for index in 0..<7 {
                let lines = try await client.post(
                    "/api/generate",
                    #"{"model":"llama3.2","prompt":"p\#(index)","options":{"num_predict":\#(3 + index)}}"#
                ).lines()
                output += lines.last?["eval_count"]?.intValue ?? 0
            }
            for _ in 0..<3 { _ = try await client.get("/api/tags") }
            let target = cluster.gatewayURL.replacingOccurrences(of: "http://", with: "")
            try await PrometheusServer.with(scraping: target) { prometheus in
                try await prometheus.expect(#"sum(http_requests_total{route="/api/generate",status="200"})"#, equals: 7)
                try await prometheus.expect(#"sum(http_requests_total{route="/api/tags",method="GET"})"#, equals: 3)
                try await prometheus.expect(#"sum(ollamamax_output_tokens_total{model="llama3.2:latest"})"#, equals: Double(output))
                try await prometheus.expect(#"sum(ollamamax_time_to_first_token_seconds_count)"#, equals: 7)
                try await prometheus.expect(#"ollamamax_node_state{node="sim-0",state="healthy"}"#, equals: 1)
                try await prometheus.expect(#"up{job="ollamamax"}"#, equals: 1)
            }
        }
    }
}

/// A Prometheus server on loopback, scraping one target every second, for one test.
struct PrometheusServer {
    let client: TestClient

    static func with(scraping target: String, _ body: (PrometheusServer) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: ollamamax
                static_configs:
                  - targets: ["\(target)"]

            """
        try Data(config.utf8).write(to: directory.appendingPathComponent("prometheus.yml"))
        let port = try Tool.freePort()
        let process = try Tool.start(
            "prometheus",
            [
                "--config.file=\(directory.path)/prometheus.yml", "--storage.tsdb.path=\(directory.path)/data",
                "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ],
            log: directory.appendingPathComponent("prometheus.log")
        )
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let server = PrometheusServer(client: TestClient(port: port))
        try await server.waitUntilReady(log: directory.appendingPathComponent("prometheus.log"))
        try await body(server)
    }

    func waitUntilReady(log: URL) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let answer = try? await client.get("/-/ready"), answer.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ClusterError("Prometheus did not become ready: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    /// Queries until the single result equals `value` (Prometheus scrapes every second), or fails
    /// after 30 s with the last answer.
    func expect(_ query: String, equals value: Double) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        var last = ""
        while ContinuousClock.now < deadline {
            let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
            let answer = try await client.get("/api/v1/query?query=\(encoded)")
            last = answer.text
            let result = try answer.json()["data"]?.objectValue?["result"]?.arrayValue ?? []
            if result.count == 1, let text = result[0].objectValue?["value"]?.arrayValue?.last?.stringValue,
                Double(text) == value
            {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("Prometheus never answered \(value) for \(query); last answer: \(last)")
    }
}

/// Runs the Prometheus tools; a missing tool is a test failure that says how to install it.
enum Tool {
    static func path(_ name: String) throws -> String {
        for directory in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw ClusterError("\(name) is not installed: run scripts/test.sh, or apt-get install -y prometheus")
    }

    /// Runs `name` to its end on a thread of its own (``offThePool(_:)``).
    static func run(_ name: String, _ arguments: [String], input: String) async throws -> (status: Int32, output: String) {
        let executable = try path(name)
        return try await offThePool { try runNow(executable, arguments, input: input) }
    }

    private static func runNow(_ executable: String, _ arguments: [String], input: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = try stdout.fileHandleForReading.readToEndRetryingInterrupts()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    static func start(_ name: String, _ arguments: [String], log: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path(name))
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// A TCP port free on 127.0.0.1 right now (the kernel picks it).
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ClusterError("socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw ClusterError("could not bind a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
