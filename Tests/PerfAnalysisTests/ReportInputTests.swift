import Foundation
import PerfAnalysis
import PerfReport
import Testing

/// Which report a results directory stands for (`report --input DIR`, the seed's Getting Started step 3).
struct ReportInputTests {
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes a one-benchmark report created at `hour` o'clock to `relative` under `root`.
    @discardableResult
    static func report(_ relative: String, hour: Int, in root: URL) throws -> String {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let report = PerformanceReport(
            metadata: Metadata(createdAt: String(format: "2026-12-01T%02d:00:00Z", hour)),
            benchmarks: [Benchmark(name: "b", metrics: [Fixture.metric("e2e", "s", [0.1, 0.2])])]
        )
        try report.write(to: url.path)
        return url.path
    }

    @Test func aFileIsItselfAndCurrentIsPreferredInADirectory() throws {
        let root = try Self.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        let newer = try Self.report("runs/late.json", hour: 20, in: root)
        #expect(try ReportInput.resolve(newer) == ReportInput.Resolution(path: newer, note: nil))
        let current = try Self.report("current/performance-report.json", hour: 1, in: root)
        let resolved = try ReportInput.resolve(root.path)
        #expect(resolved.path == current)
        #expect(resolved.note == "using \(current) (the directory's current/performance-report.json)")
    }

    @Test func withoutCurrentTheNewestReportOutsideBaselineIsUsed() throws {
        let root = try Self.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.report("baseline/performance-report.json", hour: 23, in: root)
        try Self.report("runs/a.json", hour: 9, in: root)
        let newest = try Self.report("runs/b.json", hour: 10, in: root)
        try Self.report("runs/older.json", hour: 8, in: root)
        try Data("{\"analysis_version\": 1}".utf8).write(to: root.appendingPathComponent("runs/analysis.json"))
        try Data("not json".utf8).write(to: root.appendingPathComponent("notes.json"))
        let resolved = try ReportInput.resolve(root.path + "/")
        #expect(
            resolved.path.hasSuffix("/runs/b.json")
                && URL(fileURLWithPath: resolved.path).standardizedFileURL.path == URL(fileURLWithPath: newest).standardizedFileURL.path
        )
        #expect(
            resolved.note?.hasSuffix(
                "(the newest of 3 report(s) under \(root.path)/, baseline/ folders left out; 2 other .json file(s) are not reports)"
            ) == true
        )
    }

    @Test func aBaselineAloneIsUsedAndSaidSo() throws {
        let root = try Self.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.report("baseline/performance-report.json", hour: 23, in: root)
        let resolved = try ReportInput.resolve(root.path)
        #expect(resolved.path.hasSuffix("/baseline/performance-report.json"))
        #expect(resolved.note?.contains("only baseline/ folders under \(root.path) hold a report") == true)
    }

    @Test func aDirectoryWithoutReportsAndAMissingPathAreErrorsThatSayWhatToDo() throws {
        let root = try Self.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("{}".utf8).write(to: root.appendingPathComponent("other.json"))
        #expect {
            try ReportInput.resolve(root.path)
        } throws: { error in
            (error as? AnalysisError)?.description
                == "\(root.path): no PerformanceReport JSON in this directory (1 .json file(s) read, none a report with benchmarks); give a report file, or a directory with current/performance-report.json (`ollama-distributed bench` or `load` writes one)"
        }
        let missing = root.appendingPathComponent("absent").path
        #expect {
            try ReportInput.resolve(missing)
        } throws: { error in
            (error as? AnalysisError)?.description
                == "\(missing): no such file or directory; give a report file, or a results directory that holds one"
        }
    }
}
