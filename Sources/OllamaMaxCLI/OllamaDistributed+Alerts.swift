import Alerting
import ArgumentParser
import Foundation

extension OllamaDistributed {
    /// `alerts`: check rule files and run promtool-format unit tests with the gateway's own evaluator.
    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check Prometheus rule files and run their unit tests with the embedded evaluator.",
            subcommands: [Check.self, Test.self]
        )

        /// `alerts check FILE...`: what `promtool check rules` checks, plus every construct the
        /// embedded evaluator does not support.
        struct Check: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check rule files as promtool check rules does, and that the embedded evaluator supports every expression.",
                discussion:
                    "Exit 0 when every file is valid, 1 when one has problems (each named with its file, group and rule), 2 for a file that cannot be read."
            )

            @Argument(help: "Rule-group YAML files.")
            var files: [String]

            func run() async throws {
                guard !files.isEmpty else { throw CLIError.invalidInput("alerts check: give one or more rule files") }
                var failed = false
                for file in files {
                    guard FileManager.default.isReadableFile(atPath: file) else {
                        throw CLIError.invalidInput("alerts check: \(file): no such readable file")
                    }
                    do {
                        let groups = try RuleFileLoader.load(contentsOf: URL(fileURLWithPath: file))
                        let rules = groups.reduce(0) { $0 + $1.rules.count }
                        print("\(file): SUCCESS: \(groups.count) groups, \(rules) rules")
                    } catch {
                        failed = true
                        print("\(file): FAILED:\n" + error.problems.map { "  \($0)" }.joined(separator: "\n"))
                    }
                }
                if failed { throw CLIError.failure("alerts check: some rule files have problems (above)", code: 1) }
            }
        }

        /// `alerts test FILE...`: promtool's unit-test files run with the embedded evaluator.
        struct Test: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Run promtool-format rule unit tests (rule_files, input_series, alert_rule_test, promql_expr_test).",
                discussion:
                    "The same files `promtool test rules` runs. Exit 0 when all pass, 1 when one fails (each failure printed), 2 for a file that cannot be read or parsed."
            )

            @Argument(help: "promtool unit-test YAML files.")
            var files: [String]

            func run() async throws {
                guard !files.isEmpty else { throw CLIError.invalidInput("alerts test: give one or more unit-test files") }
                var failed = false
                for file in files {
                    guard FileManager.default.isReadableFile(atPath: file) else {
                        throw CLIError.invalidInput("alerts test: \(file): no such readable file")
                    }
                    let report: RuleTestReport
                    do {
                        report = try RuleTestRunner.run(testFile: URL(fileURLWithPath: file))
                    } catch {
                        throw CLIError.invalidInput("alerts test: \(file):\n" + error.problems.map { "  \($0)" }.joined(separator: "\n"))
                    }
                    print(report.description)
                    if !report.passed { failed = true }
                }
                if failed { throw CLIError.failure("alerts test: some tests failed (above)", code: 1) }
            }
        }
    }
}
