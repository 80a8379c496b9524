import Foundation
import PerfReport
import Testing

/// `ollama-distributed compare` as CI runs it: exit codes, formats, atomic output.
@Suite(.timeLimit(.minutes(3)))
struct CompareCommandTests {
    static let steady: [Double] = [100, 101, 99, 100, 102, 98, 100, 101, 99, 100]

    /// Writes a report with one benchmark whose times are `samples`; returns its path.
    static func write(_ samples: [Double], in directory: URL, name: String) throws -> String {
        let report = PerformanceReport(
            metadata: Metadata(createdAt: "2026-11-29T00:00:00Z"),
            benchmarks: [
                Benchmark(name: "Gateway/generate", metrics: [Metric(name: "time", unit: "ns", direction: .lowerIsBetter, samples: samples)])
            ]
        )
        let path = directory.appendingPathComponent(name).path
        try report.write(to: path)
        return path
    }

    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("compare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func run(_ arguments: [String]) async throws -> (code: Int32, stdout: String, stderr: String) {
        try await runToFiles(ChildProcess.binary, ["compare"] + arguments)
    }

    /// Runs a program with its output going straight to files (no pipe), so everything it wrote
    /// is there once it has exited.
    static func runToFiles(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String] = [:]
    ) async throws -> (
        code: Int32, stdout: String, stderr: String
    ) {
        let directory = try Self.directory()
        let stdoutURL = directory.appendingPathComponent("stdout")
        let stderrURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        let code: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return (
            code, (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
            (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        )
    }

    @Test func noRegressionExitsZeroAndARegressionExitsOne() async throws {
        let directory = try Self.directory()
        let baseline = try Self.write(Self.steady, in: directory, name: "baseline.json")
        let same = try Self.write(Self.steady.map { $0 + 0.5 }, in: directory, name: "same.json")
        let slower = try Self.write(Self.steady.map { $0 * 1.3 }, in: directory, name: "slower.json")
        let ok = try await Self.run(["--baseline", baseline, "--current", same, "--color", "never"])
        #expect(ok.code == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("0 regressions"))
        let bad = try await Self.run(["--baseline", baseline, "--current", slower, "--color", "never"])
        #expect(bad.code == 1)
        #expect(bad.stdout.contains("REGRESSION"))
        // A threshold above the change lets it pass.
        let lenient = try await Self.run(["--baseline", baseline, "--current", slower, "--threshold", "40"])
        #expect(lenient.code == 0)
    }

    @Test func jsonOutputKeepsTheOriginalFields() async throws {
        let directory = try Self.directory()
        let baseline = try Self.write(Self.steady, in: directory, name: "baseline.json")
        let slower = try Self.write(Self.steady.map { $0 * 1.3 }, in: directory, name: "slower.json")
        let output = directory.appendingPathComponent("comparison.json").path
        let result = try await Self.run(["--baseline", baseline, "--current", slower, "--output", output, "--format", "json"])
        #expect(result.code == 1)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any]
        for key in ["metadata", "summary", "regressions", "improvements", "detailed_comparisons"] {
            #expect(json?[key] != nil, "missing \(key)")
        }
        #expect((json?["summary"] as? [String: Any])?["regression_detected"] as? Bool == true)
    }

    @Test func badInputExitsTwoAndWritesNothing() async throws {
        let directory = try Self.directory()
        let baseline = try Self.write(Self.steady, in: directory, name: "baseline.json")
        let truncated = directory.appendingPathComponent("truncated.json").path
        try Data(#"{"schema_version": 1, "benchmarks": ["#.utf8).write(to: URL(fileURLWithPath: truncated))
        let output = directory.appendingPathComponent("out.json").path
        let result = try await Self.run(["--baseline", baseline, "--current", truncated, "--output", output])
        #expect(result.code == 2)
        #expect(result.stderr.contains("truncated.json"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let missing = try await Self.run(["--baseline", baseline, "--current", directory.appendingPathComponent("nope.json").path])
        #expect(missing.code == 2)
        #expect(missing.stderr.contains("nope.json"))
        let usage = try await Self.run(["--baseline", baseline])
        #expect(usage.code == 2)
        let badThreshold = try await Self.run(["--baseline", baseline, "--current", baseline, "--metric-threshold", "allocations"])
        #expect(badThreshold.code == 2)
        #expect(badThreshold.stderr.contains("--metric-threshold: \"allocations\" is not NAME=NUMBER"))
    }

    @Test func theSeedScriptWrapsTheCommand() async throws {
        let directory = try Self.directory()
        let baseline = try Self.write(Self.steady, in: directory, name: "baseline.json")
        let slower = try Self.write(Self.steady.map { $0 * 1.3 }, in: directory, name: "slower.json")
        let output = directory.appendingPathComponent("comparison.json").path
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/compare-performance.sh")
            .standardizedFileURL
        let result = try await Self.runToFiles(
            URL(fileURLWithPath: "/bin/bash"),
            [script.path, "--current", slower, "--baseline", baseline, "--threshold", "10", "--output", output],
            environment: ["OLLAMAMAX_BINARY": ChildProcess.binary.path]
        )
        #expect(result.code == 1, "\(result.stderr)")
        #expect(result.stdout.contains("REGRESSION"))
        #expect(FileManager.default.fileExists(atPath: output))
    }
}

/// `ollama-distributed convert`: a report out in the formats other tools read, and back.
@Suite(.timeLimit(.minutes(3)))
struct ConvertCommandTests {
    @Test func aReportRoundTripsThroughGoBenchmarkText() async throws {
        let directory = try CompareCommandTests.directory()
        let report = try CompareCommandTests.write(CompareCommandTests.steady, in: directory, name: "report.json")
        let goText = directory.appendingPathComponent("bench.txt").path
        let toGo = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["convert", "--input", report, "--to", "go", "--output", goText])
        #expect(toGo.code == 0, "\(toGo.stderr)")
        let text = try String(contentsOfFile: goText, encoding: .utf8)
        #expect(text.contains("BenchmarkGateway/generate"))
        let back = try PerformanceReport.load(path: goText)
        #expect(back.benchmarks.first?.metrics.first?.samples == CompareCommandTests.steady)
        let bmf = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["convert", "--input", report, "--to", "bmf"])
        #expect(bmf.code == 0)
        let json = try JSONSerialization.jsonObject(with: Data(bmf.stdout.utf8)) as? [String: Any]
        #expect(json?.keys.contains("Gateway/generate") == true, "\(bmf.stdout)")
    }

    @Test func badInputExitsTwo() async throws {
        let result = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["convert", "--input", "/nonexistent/x.json"])
        #expect(result.code == 2)
        #expect(result.stderr.contains("/nonexistent/x.json"))
    }
}
