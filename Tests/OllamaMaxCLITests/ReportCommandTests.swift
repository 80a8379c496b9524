import Foundation
import PerfReport
import TestHTTP
import Testing

/// `report`, `charts` and `history` as people and CI run them: outputs, exit codes, bad input.
@Suite(.timeLimit(.minutes(3)))
struct ReportCommandTests {
    static func run(_ arguments: [String]) async throws -> (code: Int32, stdout: String, stderr: String) {
        try await CompareCommandTests.runToFiles(ChildProcess.binary, arguments)
    }

    /// A run of `Gateway/chat` with 10 e2e samples around `median` seconds, at `hour` o'clock.
    static func write(
        median: Double,
        hour: Int = 0,
        commit: String = String(repeating: "a", count: 40),
        in directory: URL,
        name: String
    ) throws -> String {
        let report = PerformanceReport(
            metadata: Metadata(
                createdAt: String(format: "2026-11-29T%02d:00:00Z", hour),
                git: GitInfo(commit: commit, branch: "main"),
                host: HostInfo(hostname: "ci", os: "Debian", cpuModel: "Xeon", cores: 2, memoryBytes: 8 << 30)
            ),
            benchmarks: [
                Benchmark(
                    name: "Gateway/chat",
                    metrics: [
                        Metric(name: "e2e", unit: "s", direction: .lowerIsBetter, samples: (0..<10).map { median * (1 + Double($0) * 0.001) })
                    ]
                )
            ],
            timeline: [TimelinePoint(t: 0, values: ["cpu": 0.5]), TimelinePoint(t: 1, values: ["cpu": 0.7])]
        )
        let path = directory.appendingPathComponent(name).path
        try report.write(to: path)
        return path
    }

    @Test func reportReadsADirectoryAndWritesEachFormat() async throws {
        let directory = try CompareCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Self.write(median: 0.5, in: directory, name: "performance-report.json")
        let baseline = try Self.write(median: 0.4, in: directory, name: "baseline.json")
        for format in ["json", "markdown", "html"] {
            let output = directory.appendingPathComponent("report.\(format)").path
            let result = try await Self.run([
                "report", "--input", directory.path, "--baseline", baseline, "--output", output,
                "--format", format, "--db", directory.appendingPathComponent("none.sqlite").path,
            ])
            #expect(result.code == 0, "\(result.stderr)")
            let text = try String(contentsOfFile: output, encoding: .utf8)
            switch format {
            case "json": #expect(text.contains("\"regression_analysis\"") && text.contains("\"verdict\" : \"regression\""))
            case "markdown": #expect(text.contains("| Gateway/chat | e2e |") && text.contains("REGRESSION"))
            default: #expect(text.hasPrefix("<!DOCTYPE html>") && text.contains("<svg"))
            }
        }
    }

    @Test func emptyReportAndMissingInputExitTwo() async throws {
        let directory = try CompareCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = directory.appendingPathComponent("empty.json").path
        try PerformanceReport(metadata: Metadata(createdAt: "2026-11-29T00:00:00Z"), benchmarks: []).write(to: empty)
        let result = try await Self.run(["report", "--input", empty])
        #expect(result.code == 2 && result.stderr.contains("\(empty): the report has no benchmarks"))
        let missing = try await Self.run(["report", "--input", directory.path])
        #expect(
            missing.code == 2
                && missing.stderr.contains(
                    "error: \(directory.path): no PerformanceReport JSON in this directory (1 .json file(s) read, none a report with benchmarks)"
                )
        )
    }

    @Test(ExternalTool.rsvgConvert.enabled) func chartsWriteSVGAndPNGAndRefuseAnUnwritableDirectory() async throws {
        let directory = try CompareCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let current = try Self.write(median: 0.5, in: directory, name: "current.json")
        let out = directory.appendingPathComponent("charts").path
        let result = try await Self.run([
            "charts", "--current", current, "--output", out, "--png", "always",
            "--db", directory.appendingPathComponent("none.sqlite").path,
        ])
        #expect(result.code == 0, "\(result.stderr)")
        for name in ["benchmark_comparison", "performance_trends", "resource_usage", "performance_summary", "latency_distribution"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(name).svg") && FileManager.default.fileExists(atPath: "\(out)/\(name).png"))
        }
        let blocker = directory.appendingPathComponent("file").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let refused = try await Self.run(["charts", "--current", current, "--output", blocker + "/charts"])
        #expect(refused.code == 2 && refused.stderr.contains("--output \(blocker)/charts: cannot create the directory"))
        // Without rsvg-convert on PATH: SVGs still written, a clear warning, exit 0 (or 3 with --png always).
        let noTool = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["charts", "--current", current, "--output", out + "2"],
            environment: ["PATH": "/nonexistent"]
        )
        #expect(noTool.code == 0 && noTool.stderr.contains("rsvg-convert not found"))
        let required = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["charts", "--current", current, "--output", out + "3", "--png", "always"],
            environment: ["PATH": "/nonexistent"]
        )
        #expect(required.code == 3)
    }

    /// The seed's commands, as it writes them: `python3 ./scripts/generate-performance-charts.py` and
    /// `./scripts/generate-performance-report.sh --input --output --format json`.
    @Test(ExternalTool.python3.enabled) func theSeedsScriptNamesRunTheSwiftCommands() async throws {
        let directory = try CompareCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let results = directory.appendingPathComponent("current")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        let current = try Self.write(median: 0.5, in: results, name: "performance-report.json")
        let baseline = try Self.write(median: 0.4, in: directory, name: "baseline.json")
        let scripts = ChildProcess.packageRoot.appendingPathComponent("scripts")
        let binary = ["OLLAMAMAX_BINARY": ChildProcess.binary.path]
        let env = URL(fileURLWithPath: "/usr/bin/env")
        let charts = directory.appendingPathComponent("charts").path
        let drawn = try await CompareCommandTests.runToFiles(
            env,
            [
                "python3", scripts.appendingPathComponent("generate-performance-charts.py").path, "--current", current,
                "--baseline", baseline, "--output", charts, "--png", "never",
            ],
            environment: binary
        )
        #expect(drawn.code == 0, "\(drawn.stderr)")
        #expect(FileManager.default.fileExists(atPath: charts + "/benchmark_comparison.svg"))
        let refused = try await CompareCommandTests.runToFiles(
            env,
            ["python3", scripts.appendingPathComponent("generate-performance-charts.py").path, "--bogus"],
            environment: binary
        )
        #expect(refused.code == 2 && refused.stderr.contains("unknown argument '--bogus'"))
        let output = directory.appendingPathComponent("performance-report.json").path
        let reported = try await CompareCommandTests.runToFiles(
            env,
            [
                "bash", scripts.appendingPathComponent("generate-performance-report.sh").path, "--input", results.path + "/",
                "--output", output, "--format", "json",
            ],
            environment: binary
        )
        #expect(reported.code == 0, "\(reported.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any]
        #expect(json?["recommendations"] != nil && json?["kpis"] != nil)
    }

    @Test func historyAddListTrendAndBadDatabases() async throws {
        let directory = try CompareCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("h/history.sqlite").path
        var reports: [String] = []
        for i in 0..<12 {
            let commit = String(format: "%040d", i)
            reports.append(try Self.write(median: i < 6 ? 0.5 : 0.8, hour: i, commit: commit, in: directory, name: "r\(i).json"))
        }
        let added = try await Self.run(["history", "add", "--db", db] + reports)
        #expect(added.code == 0 && added.stdout.split(separator: "\n").count == 12, "\(added.stderr)")
        let again = try await Self.run(["history", "add", "--db", db, reports[0]])
        #expect(again.code == 5 && again.stderr.contains("already in"))
        let list = try await Self.run(["history", "list", "--db", db])
        #expect(list.code == 0 && list.stdout.contains("r11.json"))
        let trend = try await Self.run(["history", "trend", "Gateway/chat", "--db", db])
        #expect(trend.code == 0)
        #expect(trend.stdout.contains("change point at commit \(String(format: "%040d", 6)): median 0.5022 → 0.8036 s (+60.0%)"))
        let missing = try await Self.run(["history", "trend", "Nope", "--db", db])
        #expect(missing.code == 4 && missing.stderr.contains("benchmark \"Nope\" is not in the history"))
        let nothing = try await Self.run(["history", "list", "--db", directory.appendingPathComponent("absent.sqlite").path])
        #expect(nothing.code == 3 && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("absent.sqlite").path))
        let corrupt = directory.appendingPathComponent("corrupt.sqlite").path
        try Data("this is not a database, it is a text file\n".utf8).write(to: URL(fileURLWithPath: corrupt))
        let bad = try await Self.run(["history", "add", "--db", corrupt, reports[0]])
        #expect(bad.code == 3 && bad.stderr.contains("not a SQLite database"))
        #expect(try String(contentsOfFile: corrupt, encoding: .utf8) == "this is not a database, it is a text file\n")
    }
}
