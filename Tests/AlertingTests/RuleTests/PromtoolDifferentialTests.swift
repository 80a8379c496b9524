import Foundation
import TestHTTP
import Testing

@testable import Alerting

/// The fixtures' promtool unit tests run by the real `promtool test rules` (the oracle) and by
/// ``RuleTestRunner``: both must pass every fixture, print the same report, and both must fail every
/// mutated copy (a changed expected value or label, a moved `eval_time`, a dropped alert).
///
/// Serialized: a promtool process at a time, so the suite does not add dozens of processes to the
/// load the rest of the tests run under.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct PromtoolDifferentialTests {
    static let mutatedCases: [(String, TestFileMutation)] = RuleFixtures.testFiles.flatMap { file in
        TestFileMutation.allCases.map { (file, $0) }
    }

    @Test func thereAreEnoughFixturesToCoverTheRuleFeatures() throws {
        #expect(RuleFixtures.testFiles.count >= 7, "test files: \(RuleFixtures.testFiles)")
        let directory = try #require(RuleFixtures.directory)
        var text = ""
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".rules.yml") {
            text += try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        }
        for feature in [
            "record:", "alert:", "for:", "keep_firing_for:", "humanize", "printf", "rate(", "increase(", "resets(",
            "histogram_quantile(", "group_left", "ignoring(", "unless", "absent(", "absent_over_time(",
        ] {
            #expect(text.contains(feature), "no fixture rule uses \(feature)")
        }
    }

    @Test(arguments: RuleFixtures.testFiles)
    func ourRunnerPassesEveryFixture(file: String) throws {
        let directory = try RuleFixtures.copy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = RuleFixtures.runOurs(directory.appendingPathComponent(file))
        #expect(report.passed, "\(report)")
        #expect(report.checks >= 2, "\(file) ran \(report.checks) checks")
    }

    @Test(arguments: mutatedCases)
    func ourRunnerFailsEveryMutatedFixture(file: String, mutation: TestFileMutation) throws {
        let directory = try RuleFixtures.copy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let mutated = try write(mutation, of: file, in: directory)
        let report = RuleFixtures.runOurs(mutated)
        #expect(!report.passed, "\(mutation) of \(file) passed:\n\(report)")
        #expect(report.failures.count == 1, "\(mutation) of \(file) should break exactly one check:\n\(report)")
    }

    @Test(ExternalTool.promtool.enabled, arguments: RuleFixtures.testFiles)
    func promtoolAndOurRunnerBothPassAndPrintTheSameReport(file: String) async throws {
        let directory = try RuleFixtures.copy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent(file)
        let promtool = try await RuleFixtures.runPromtool(url)
        let ours = RuleFixtures.runOurs(url)
        #expect(promtool.status == 0, "promtool test rules \(file):\n\(promtool.output)")
        #expect(ours.passed, "\(ours)")
        #expect(Self.normalized(promtool.output) == Self.normalized(ours.description), Self.difference(promtool.output, ours.description))
    }

    @Test(ExternalTool.promtool.enabled, arguments: mutatedCases)
    func promtoolAndOurRunnerBothFailEveryMutatedFixture(file: String, mutation: TestFileMutation) async throws {
        let directory = try RuleFixtures.copy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let mutated = try write(mutation, of: file, in: directory)
        let promtool = try await RuleFixtures.runPromtool(mutated)
        let ours = RuleFixtures.runOurs(mutated)
        #expect(promtool.status != 0, "promtool passed \(mutation) of \(file):\n\(promtool.output)")
        #expect(!ours.passed, "our runner passed \(mutation) of \(file)")
        // Same failure, in the same words.
        #expect(Self.normalized(promtool.output) == Self.normalized(ours.description), Self.difference(promtool.output, ours.description))
    }

    /// The rules the project ships (monitoring/templates/rules) and their promtool tests: both
    /// runners pass them with the same report.
    @Test(ExternalTool.promtool.enabled)
    func theShippedRulesPassBothRunnersWithTheSameReport() async throws {
        let shipped = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("monitoring/templates/rules")
        let test = shipped.appendingPathComponent("tests/ollamamax-alerts.test.yml")
        let promtool = try await RuleFixtures.runPromtool(test)
        let ours = RuleFixtures.runOurs(test)
        #expect(promtool.status == 0, "promtool test rules:\n\(promtool.output)")
        #expect(ours.passed, "\(ours)")
        #expect(ours.checks >= 30, "the shipped tests ran \(ours.checks) checks")
        #expect(Self.normalized(promtool.output) == Self.normalized(ours.description), Self.difference(promtool.output, ours.description))
    }

    /// Writes the mutated copy of `file` next to the original (so its `rule_files` still resolve).
    private func write(_ mutation: TestFileMutation, of file: String, in directory: URL) throws -> URL {
        let original = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        let target = directory.appendingPathComponent("mutated-\(mutation.rawValue)-\(file)")
        try mutation.apply(to: original).write(to: target, atomically: true, encoding: .utf8)
        return target
    }

    /// The lines where promtool's report and ours differ, for the failure message.
    static func difference(_ promtool: String, _ ours: String) -> Comment {
        let left = normalized(promtool).split(separator: "\n", omittingEmptySubsequences: false)
        let right = normalized(ours).split(separator: "\n", omittingEmptySubsequences: false)
        var text = ""
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? String(left[index]) : "<none>"
            let b = index < right.count ? String(right[index]) : "<none>"
            if a != b { text += "line \(index + 1):\n  promtool: \(a)\n  ours:     \(b)\n" }
        }
        return Comment(rawValue: text)
    }

    /// A report with the file's folder left out and trailing blank lines trimmed: promtool names the
    /// file as given on its command line, our runner by its full path.
    static func normalized(_ report: String) -> String {
        var lines = report.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("Unit Testing:") else { return String(line) }
            let path = line.dropFirst("Unit Testing:".count).trimmingCharacters(in: .whitespaces)
            return "Unit Testing:  " + URL(fileURLWithPath: path).lastPathComponent
        }
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
