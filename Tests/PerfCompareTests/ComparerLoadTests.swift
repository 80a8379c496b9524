import Foundation
import PerfCompare
import PerfReport
import Testing

/// `Comparer.load`: both reports read at once, each error naming its file; option problems typed.
struct ComparerLoadTests {
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("comparer-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func bothReportsAreReadInTheirRoles() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let baseline = ComparerTests.report([("B", [ComparerTests.time(ComparerTests.steady)])])
        let current = ComparerTests.report([("C", [ComparerTests.time(ComparerTests.steady)])])
        try baseline.write(to: directory.appendingPathComponent("base.json").path)
        try current.write(to: directory.appendingPathComponent("now.json").path)
        let loaded = try Comparer.load(
            baseline: directory.appendingPathComponent("base.json").path,
            current: directory.appendingPathComponent("now.json").path
        )
        #expect(loaded.baseline.benchmarks.map(\.name) == ["B"])
        #expect(loaded.current.benchmarks.map(\.name) == ["C"])
    }

    @Test func aMissingReportIsAReportErrorNamingIt() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = directory.appendingPathComponent("base.json").path
        try ComparerTests.report([("B", [ComparerTests.time(ComparerTests.steady)])]).write(to: base)
        let missing = directory.appendingPathComponent("missing.json").path
        #expect {
            _ = try Comparer.load(baseline: base, current: missing)
        } throws: { error in
            (error as? ReportError)?.description.hasPrefix(missing) == true
        }
    }

    @Test func optionProblemsNameTheSettingAndNeverAFlag() {
        var options = ComparisonOptions(threshold: .nan, alpha: 0)
        options.benchmarkThresholds = ["Gateway/chat": -0.5]
        let problems = options.problems()
        #expect(problems.map(\.setting) == [.threshold, .alpha, .benchmarkThreshold("Gateway/chat")])
        #expect(problems.allSatisfy { !$0.description.contains("--") })
        #expect(ComparisonOptions().problems().isEmpty)
    }
}
