import Foundation
import TestHTTP
import Testing

/// `alerts check` and `alerts test` on the shipped rules, on broken copies, and `start` refusing
/// a rule file the embedded evaluator cannot run.
@Suite(.timeLimit(.minutes(3)))
struct AlertsCommandTests {
    static let rules = ChildProcess.packageRoot.appendingPathComponent("monitoring/templates/rules/ollamamax-alerts.yml")
    static let tests = ChildProcess.packageRoot.appendingPathComponent("monitoring/templates/rules/tests/ollamamax-alerts.test.yml")

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func theShippedRulesCheckAndTheirTestsPass() async throws {
        let check = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["alerts", "check", Self.rules.path])
        #expect(check.code == 0, "\(check.stderr)")
        #expect(check.stdout.contains("SUCCESS: 3 groups, 17 rules"), "\(check.stdout)")
        let test = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["alerts", "test", Self.tests.path])
        #expect(test.code == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.contains("SUCCESS"), "\(test.stdout)")
    }

    @Test func aWrongExpectationFailsTheTestsWithExit1() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The shipped test file with one expected annotation changed, next to a copy of the rules.
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.rules, to: directory.appendingPathComponent("ollamamax-alerts.yml"))
        let original = try String(contentsOf: Self.tests, encoding: .utf8)
        let mutated = original.replacingOccurrences(of: "is 880ms above the same 10 minutes", with: "is 990ms above the same 10 minutes")
        #expect(mutated != original)
        let file = directory.appendingPathComponent("tests/mutated.test.yml")
        try mutated.write(to: file, atomically: true, encoding: .utf8)
        let test = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["alerts", "test", file.path])
        #expect(test.code == 1, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.contains("FAILED"), "\(test.stdout)")
        #expect(test.stdout.contains("PerformanceRegression"), "\(test.stdout)")
    }

    @Test func anUnsupportedConstructIsNamedByCheckAndRefusedByStart() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("rules.yml")
        try """
        groups:
          - name: g
            rules:
              - alert: SubqueryRule
                expr: max_over_time(rate(http_requests_total[1m])[5m:1m]) > 1
        """.write(to: file, atomically: true, encoding: .utf8)
        let check = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["alerts", "check", file.path])
        #expect(check.code == 1, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("SubqueryRule"), "\(check.stdout)")
        #expect(check.stdout.lowercased().contains("subquer"), "\(check.stdout)")

        let start = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["start", "--simulate", "1", "--listen", "127.0.0.1:0", "--alert-rules", file.path]
        )
        #expect(start.code == 2, "\(start.stderr)")
        #expect(start.stderr.contains(file.path) && start.stderr.contains("SubqueryRule"), "\(start.stderr)")

        let missing = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["alerts", "check", directory.appendingPathComponent("none.yml").path]
        )
        #expect(missing.code == 2)
        #expect(missing.stderr.contains("no such readable file"), "\(missing.stderr)")
    }
}
