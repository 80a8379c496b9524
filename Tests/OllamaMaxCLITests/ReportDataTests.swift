import Foundation
import PerfReport
import Testing

/// Every KPI and chart of `report` and `charts` has data on the reports our own tools write:
/// one from `bench --quick` and one from `load` against a simulated node (issue 18, item 2).
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ReportDataTests {
    /// The KPIs of `report --format json` on `input`, as name → (status, evidence).
    static func kpis(input: String, in directory: URL) async throws -> [String: (status: String, evidence: String)] {
        let output = directory.appendingPathComponent("analysis.json").path
        let result = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["report", "--input", input, "--output", output, "--db", directory.appendingPathComponent("none.sqlite").path]
        )
        #expect(result.code == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any])
        #expect((json["distributions"] as? [Any])?.isEmpty == false, "no latency distribution")
        #expect((json["sample_series"] as? [Any])?.isEmpty == false, "no sample series")
        var kpis: [String: (status: String, evidence: String)] = [:]
        for kpi in json["kpis"] as? [[String: Any]] ?? [] {
            kpis[kpi["name"] as? String ?? "?"] = (kpi["status"] as? String ?? "?", kpi["evidence"] as? String ?? "?")
        }
        return kpis
    }

    /// The five SVGs `charts` draws from `input`, by stem.
    static func charts(input: String, in directory: URL) async throws -> [String: String] {
        let output = directory.appendingPathComponent("charts").path
        let result = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["charts", "--current", input, "--output", output, "--png", "never", "--db", directory.appendingPathComponent("none.sqlite").path]
        )
        #expect(result.code == 0, "\(result.stderr)")
        var svgs: [String: String] = [:]
        for name in ["performance_summary", "benchmark_comparison", "performance_trends", "resource_usage", "latency_distribution"] {
            svgs[name] = try String(contentsOfFile: "\(output)/\(name).svg", encoding: .utf8)
        }
        return svgs
    }

    @Test func aQuickBenchReportHasDataForEveryKPIAndEveryChart() async throws {
        let directory = try CompareCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("current/performance-report.json").path
        let bench = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["bench", "--quick", "--duration", "200ms", "--count", "2", "--timeout", "60s", "--output", path]
        )
        #expect(bench.code == 0, "bench failed:\n\(bench.stdout)\n\(bench.stderr)")
        let kpis = try await Self.kpis(input: directory.path, in: directory)
        #expect(kpis.count == 6)
        for (name, kpi) in kpis.sorted(by: { $0.key < $1.key }) {
            #expect(kpi.status != "no_data", "\(name): \(kpi.evidence)")
        }
        #expect(kpis["p95 latency"]?.evidence.contains("e2e_p95, median of 2 repetition(s)' p95") == true, "\(kpis["p95 latency"]?.evidence ?? "")")
        #expect(kpis["throughput"]?.evidence.hasPrefix("the gateway's capacity") == true, "\(kpis["throughput"]?.evidence ?? "")")
        let svgs = try await Self.charts(input: path, in: directory)
        #expect(svgs["performance_summary"]?.contains("NO DATA") == false)
        #expect(svgs["latency_distribution"]?.contains("class=\"series current\"") == true)
        #expect(svgs["performance_trends"]?.contains("sample-series") == true)
        #expect(svgs["benchmark_comparison"]?.contains("data-benchmark=\"throughput/nodes=1/threads=2\"") == true)
        let resources = try #require(svgs["resource_usage"])
        #expect(!resources.contains("no cpu readings") && !resources.contains("no memory readings") && !resources.contains("no network readings"))
    }

    /// `load` through the gateway samples the gateway's own /metrics, so a load report has data
    /// for every KPI (CPU, memory and threads from the timeline) and every chart.
    @Test func aLoadReportThroughTheGatewayHasDataForEveryKPIAndEveryChart() async throws {
        let gateway = try ChildProcess(ChildProcess.binary, ["start", "--simulate", "1", "--listen", "127.0.0.1:0"])
        try gateway.start()
        defer { gateway.stop() }
        let line = try await gateway.waitForLine(containing: "gateway listening on")
        let port = try #require(line.split(separator: ":")[2].split(separator: " ").first.map(String.init))
        let directory = try CompareCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("current/performance-report.json").path
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("current"), withIntermediateDirectories: true)
        let load = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            [
                "load", "--url", "http://127.0.0.1:\(port)", "--model", "llama3.2", "--concurrency", "2", "--requests", "12", "--warmup", "1",
                "--output-tokens", "4", "--sample-interval", "200ms", "--output", path,
            ]
        )
        #expect(load.code == 0, "load failed:\n\(load.stdout)\n\(load.stderr)")
        #expect(load.stdout.hasPrefix("resources: sampling http://127.0.0.1:\(port)/metrics every 200ms\n"), "\(load.stdout)")
        let report = try PerformanceReport.load(path: path)
        #expect(report.metadata.labels?["timeline_source"] == "http://127.0.0.1:\(port)/metrics")
        #expect(report.metadata.labels?["timeline_on_host"] == "true")
        let kpis = try await Self.kpis(input: directory.path, in: directory)
        #expect(kpis.count == 6)
        for (name, kpi) in kpis.sorted(by: { $0.key < $1.key }) {
            #expect(kpi.status == "pass" || kpi.status == "fail", "\(name): \(kpi.evidence)")
        }
        #expect(kpis["p95 latency"]?.evidence.hasSuffix("e2e, p95 of 12 request(s)") == true, "\(kpis["p95 latency"]?.evidence ?? "")")
        #expect(kpis["CPU"]?.evidence.hasPrefix("mean of ") == true, "\(kpis["CPU"]?.evidence ?? "")")
        let svgs = try await Self.charts(input: path, in: directory)
        #expect(svgs["latency_distribution"]?.contains("class=\"series current\"") == true)
        #expect(svgs["performance_trends"]?.contains("sample-series") == true)
        #expect(svgs["performance_summary"]?.contains("NO DATA") == false)
        let resources = try #require(svgs["resource_usage"])
        #expect(!resources.contains("no cpu readings") && !resources.contains("no memory readings") && !resources.contains("no network readings"))
    }
}
