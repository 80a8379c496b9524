import Foundation
import PerfReport
import Testing

/// The seed's report step as written: `generate-performance-report.sh --input ./performance-results
/// --output performance-report.json [--format json]`, a results directory in, the file used named.
@Suite(.timeLimit(.minutes(3)))
struct ReportInputCommandTests {
    static let script = ChildProcess.packageRoot.appendingPathComponent("scripts/generate-performance-report.sh").path

    static func runScript(_ arguments: [String]) async throws -> (code: Int32, stdout: String, stderr: String) {
        try await CompareCommandTests.runToFiles(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["bash", script] + arguments,
            environment: ["OLLAMAMAX_BINARY": ChildProcess.binary.path]
        )
    }

    @Test func theSeedsStepThreeReadsTheResultsDirectoryWithAndWithoutFormat() async throws {
        let directory = try CompareCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let results = directory.appendingPathComponent("performance-results")
        try FileManager.default.createDirectory(at: results.appendingPathComponent("current"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: results.appendingPathComponent("baseline"), withIntermediateDirectories: true)
        let current = try ReportCommandTests.write(
            median: 0.5,
            hour: 2,
            in: results.appendingPathComponent("current"),
            name: "performance-report.json"
        )
        _ = try ReportCommandTests.write(median: 0.4, hour: 3, in: results.appendingPathComponent("baseline"), name: "performance-report.json")
        let db = ["--db", directory.appendingPathComponent("none.sqlite").path]
        for format in [["--format", "json"], []] {
            let output = directory.appendingPathComponent("performance-report.json").path
            try? FileManager.default.removeItem(atPath: output)
            let result = try await Self.runScript(["--input", results.path, "--output", output] + format + db)
            #expect(result.code == 0, "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").first == "report: using \(current) (the directory's current/performance-report.json)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any]
            #expect(json?["current_source"] as? String == current && json?["kpis"] != nil)
        }
        let markdown = directory.appendingPathComponent("report.md").path
        let inferred = try await Self.runScript(["--input", results.path, "--output", markdown] + db)
        #expect(inferred.code == 0 && inferred.stderr.contains("report: wrote \(markdown) (markdown)"), "\(inferred.stderr)")
        #expect(try String(contentsOfFile: markdown, encoding: .utf8).hasPrefix("# Performance report"))
    }

    @Test func withoutCurrentTheNewestReportIsUsedAndNamed() async throws {
        let directory = try CompareCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let runs = directory.appendingPathComponent("runs")
        try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
        _ = try ReportCommandTests.write(median: 0.5, hour: 1, in: runs, name: "monday.json")
        let newest = try ReportCommandTests.write(median: 0.6, hour: 5, in: runs, name: "tuesday.json")
        try Data("{\"comparisons\": []}".utf8).write(to: directory.appendingPathComponent("comparison-report.json"))
        let result = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["report", "--input", directory.path, "--db", directory.appendingPathComponent("none.sqlite").path]
        )
        #expect(result.code == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "report: using \(newest) (the newest of 2 report(s) under \(directory.path), baseline/ folders left out; 1 other .json file(s) are not reports)"
            )
        )
        #expect(result.stdout.contains("\"current_source\" : \"\(newest)\""))
    }
}
