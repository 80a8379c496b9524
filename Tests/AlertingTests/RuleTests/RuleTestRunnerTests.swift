import Foundation
import TestHTTP
import Testing

@testable import Alerting

/// ``RuleTestRunner`` on broken test files: what it reports, and (where promtool is installed) that
/// promtool reports the same.
struct RuleTestRunnerTests {
    /// A folder with one rule file and the test files of a test.
    private struct Workspace {
        let directory: URL

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("alerting-runner-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try write(
                "rules.yml",
                """
                groups:
                  - name: g
                    rules:
                      - record: doubled
                        expr: x * 2
                      - alert: XHigh
                        expr: x > 1
                """
            )
        }

        @discardableResult
        func write(_ name: String, _ text: String) throws -> URL {
            let url = directory.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url
        }

        func remove() {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// Test files that fail for a reason other than a wrong expectation, each with the line our report
    /// must contain.
    static let brokenFiles: [(name: String, text: String, expected: String)] = [
        (
            "no-alertname.test.yml",
            """
            rule_files: [rules.yml]
            tests:
              - name: t
                input_series:
                  - series: x
                    values: '1 2'
                alert_rule_test:
                  - eval_time: 1m
            """,
            "an item under alert_rule_test misses required attribute alertname at eval_time 1m (in TestGroup t)"
        ),
        (
            "bad-expr.test.yml",
            """
            rule_files: [rules.yml]
            tests:
              - input_series:
                  - series: x
                    values: '1 2'
                promql_expr_test:
                  - expr: rate(x)
                    eval_time: 1m
            """,
            "    expr: \"rate(x)\", time: 1m, err: 1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"
        ),
        (
            "bad-labels.test.yml",
            """
            rule_files: [rules.yml]
            tests:
              - input_series:
                  - series: x
                    values: '1 2'
                promql_expr_test:
                  - expr: doubled
                    eval_time: 1m
                    exp_samples:
                      - labels: 'doubled{'
                        value: 4
            """,
            "    expr: \"doubled\", time: 1m, err: labels \"doubled{\": 1:9: parse error: unexpected end of input inside braces"
        ),
    ]

    @Test(arguments: brokenFiles.map(\.name))
    func brokenTestFilesAreReportedAsFailures(name: String) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let broken = try #require(Self.brokenFiles.first { $0.name == name })
        let report = try RuleTestRunner.run(testFile: workspace.write(broken.name, broken.text))
        #expect(!report.passed)
        #expect(report.description.contains(broken.expected), "\(report)")
    }

    @Test(ExternalTool.promtool.enabled, arguments: brokenFiles.map(\.name))
    func promtoolReportsBrokenTestFilesInTheSameWords(name: String) async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let broken = try #require(Self.brokenFiles.first { $0.name == name })
        let file = try workspace.write(broken.name, broken.text)
        let promtool = try await RuleFixtures.runPromtool(file)
        let ours = RuleFixtures.runOurs(file)
        #expect(promtool.status != 0)
        #expect(
            PromtoolDifferentialTests.normalized(promtool.output) == PromtoolDifferentialTests.normalized(ours.description),
            PromtoolDifferentialTests.difference(promtool.output, ours.description)
        )
    }

    @Test func aPassingFileReadsLikePromtoolsSuccess() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let file = try workspace.write(
            "ok.test.yml",
            """
            rule_files: [rules.yml]
            tests:
              - input_series:
                  - series: x
                    values: '1 2'
                alert_rule_test:
                  - eval_time: 1m
                    alertname: XHigh
                    exp_alerts: [{}]
                promql_expr_test:
                  - expr: doubled
                    eval_time: 1m
                    exp_samples:
                      - labels: doubled
                        value: 4
            """
        )
        let report = try RuleTestRunner.run(testFile: file)
        #expect(report.passed)
        #expect(report.checks == 2)
        #expect(report.description == "Unit Testing:  \(file.path)\n  SUCCESS\n")
    }

    @Test func ruleFilesAreFoundByGlobAndMissingOnesFailEveryTest() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let glob = try workspace.write(
            "glob.test.yml",
            """
            rule_files: ['rul?s.*']
            tests:
              - promql_expr_test:
                  - expr: vector(1)
                    eval_time: 0m
                    exp_samples:
                      - value: 1
            """
        )
        #expect(try RuleTestRunner.run(testFile: glob).passed)
        let missing = try workspace.write("missing.test.yml", "rule_files: [nope.yml]\ntests:\n  - name: a\n  - name: b\n")
        let report = try RuleTestRunner.run(testFile: missing)
        #expect(report.failures.map(\.testGroup) == ["a", "b"])
        #expect(report.failures.allSatisfy { $0.message.contains("nope.yml: cannot read the file") })
    }

    @Test func aMalformedTestFileIsRefusedWithEveryProblem() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let file = try workspace.write(
            "bad.test.yml",
            """
            rule_files: [rules.yml]
            evaluation_interval: soon
            tests:
              - name: t
                unknown: 1
                promql_expr_test:
                  - expr: x
                    exp_samples:
                      - value: lots
            """
        )
        do {
            _ = try RuleTestRunner.run(testFile: file)
            Issue.record("a malformed test file ran")
        } catch {
            #expect(
                error.problems == [
                    "\(file.path): 2:22: test file: field \"evaluation_interval\": not a valid duration string: \"soon\"",
                    "\(file.path): 5:5: test group: unknown field \"unknown\"",
                    "\(file.path): 9:13: exp_samples: value \"lots\" is not a number",
                ]
            )
        }
        #expect(throws: RuleFileError.self) { try RuleTestRunner.run(testFile: workspace.directory.appendingPathComponent("absent.yml")) }
    }

    @Test func aRepeatedGroupInTheEvaluationOrderIsAFailure() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let file = try workspace.write("order.test.yml", "rule_files: [rules.yml]\ngroup_eval_order: [g, g]\ntests:\n  - name: t\n")
        let report = try RuleTestRunner.run(testFile: file)
        #expect(report.failures.map(\.message) == ["group name repeated in evaluation order: g"])
    }
}
