import Foundation
import Yams

/// A promtool unit-test file (`promtool test rules`), read strictly: unknown fields are errors.
struct RuleTestFile {
    struct InputSeries {
        var series: String
        var values: String
    }

    struct ExpectedAlert {
        var labels: [String: String]
        var annotations: [String: String]
    }

    struct AlertTest {
        var evalTimeMs: Int64
        var alertname: String
        var expectedAlerts: [ExpectedAlert]
    }

    struct ExpectedSample {
        var labels: String
        var value: Double
    }

    struct ExpressionTest {
        var expression: String
        var evalTimeMs: Int64
        var expectedSamples: [ExpectedSample]
    }

    struct TestGroup {
        var name: String
        var intervalMs: Int64?
        var inputSeries: [InputSeries]
        var alertTests: [AlertTest]
        var expressionTests: [ExpressionTest]
        var externalLabels: [String: String]
        var externalURL: String
    }

    var ruleFiles: [String]
    var evaluationIntervalMs: Int64
    var groupEvaluationOrder: [String]
    var tests: [TestGroup]

    static func parse(_ yaml: String, file: String) throws(RuleFileError) -> RuleTestFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw RuleFileError(problems: ["\(file): \(error)"])
        }
        guard let root else { throw RuleFileError(problems: ["\(file): the file is empty"]) }
        var fields = YAMLFields(
            root,
            allowed: ["rule_files", "evaluation_interval", "group_eval_order", "tests"],
            context: "test file: "
        )
        let ruleFiles = fields.list("rule_files").compactMap(\.scalarText)
        let interval = fields.duration("evaluation_interval") ?? 0
        let order = fields.list("group_eval_order").compactMap(\.scalarText)
        var testProblems: [String] = []
        var tests: [TestGroup] = []
        for node in fields.list("tests") {
            let (test, problems) = parseTestGroup(node)
            testProblems += problems
            if let test { tests.append(test) }
        }
        let problems = fields.problems.map { $0.formatted() } + testProblems
        if !problems.isEmpty { throw RuleFileError(problems: problems.map { "\(file): \($0)" }) }
        return RuleTestFile(
            ruleFiles: ruleFiles,
            evaluationIntervalMs: interval == 0 ? 60_000 : interval,
            groupEvaluationOrder: order,
            tests: tests
        )
    }

    private static func parseTestGroup(_ node: Node) -> (TestGroup?, [String]) {
        let (group, problems) = parseTestGroupFields(node)
        return (group, problems.map { $0.formatted() })
    }

    private static func parseTestGroupFields(_ node: Node) -> (TestGroup?, [YAMLProblem]) {
        var fields = YAMLFields(
            node,
            allowed: ["interval", "input_series", "alert_rule_test", "promql_expr_test", "external_labels", "external_url", "name"],
            context: "test group: "
        )
        let name = fields.string("name") ?? ""
        let interval = fields.duration("interval")
        var inputs: [InputSeries] = []
        for item in fields.list("input_series") {
            var series = YAMLFields(item, allowed: ["series", "values"], context: "input_series: ")
            inputs.append(InputSeries(series: series.string("series") ?? "", values: series.string("values") ?? ""))
            for problem in series.problems { fields.problem(problem) }
        }
        var alertTests: [AlertTest] = []
        for item in fields.list("alert_rule_test") {
            var test = YAMLFields(item, allowed: ["eval_time", "alertname", "exp_alerts"], context: "alert_rule_test: ")
            var expected: [ExpectedAlert] = []
            for alertNode in test.list("exp_alerts") {
                var alert = YAMLFields(alertNode, allowed: ["exp_labels", "exp_annotations"], context: "exp_alerts: ")
                expected.append(
                    ExpectedAlert(
                        labels: Dictionary(alert.stringMap("exp_labels").map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
                        annotations: Dictionary(alert.stringMap("exp_annotations").map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
                    )
                )
                for problem in alert.problems { test.problem(problem) }
            }
            alertTests.append(
                AlertTest(evalTimeMs: test.duration("eval_time") ?? 0, alertname: test.string("alertname") ?? "", expectedAlerts: expected)
            )
            for problem in test.problems { fields.problem(problem) }
        }
        var expressionTests: [ExpressionTest] = []
        for item in fields.list("promql_expr_test") {
            var test = YAMLFields(item, allowed: ["expr", "eval_time", "exp_samples"], context: "promql_expr_test: ")
            var samples: [ExpectedSample] = []
            for sampleNode in test.list("exp_samples") {
                var sample = YAMLFields(sampleNode, allowed: ["labels", "value"], context: "exp_samples: ")
                let valueText = sample.string("value") ?? "0"
                if let value = YAMLNumber.parse(valueText) {
                    samples.append(ExpectedSample(labels: sample.string("labels") ?? "", value: value))
                } else {
                    sample.problem(
                        YAMLProblem(location: sampleNode.location, message: "exp_samples: value \(GoQuote.quote(valueText)) is not a number")
                    )
                }
                for problem in sample.problems { test.problem(problem) }
            }
            expressionTests.append(
                ExpressionTest(expression: test.string("expr") ?? "", evalTimeMs: test.duration("eval_time") ?? 0, expectedSamples: samples)
            )
            for problem in test.problems { fields.problem(problem) }
        }
        let external = Dictionary(fields.stringMap("external_labels").map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        let url = fields.string("external_url") ?? ""
        guard fields.problems.isEmpty else { return (nil, fields.problems) }
        return (
            TestGroup(
                name: name,
                intervalMs: interval,
                inputSeries: inputs,
                alertTests: alertTests,
                expressionTests: expressionTests,
                externalLabels: external,
                externalURL: url
            ),
            []
        )
    }
}

/// YAML 1.1 numbers as Go's YAML decoder reads them into a float64 (`1.5`, `1e3`, `.inf`, `-.inf`, `.nan`).
enum YAMLNumber {
    static func parse(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        let cleaned = text.replacingOccurrences(of: "_", with: "")
        if let integer = Int64(cleaned) { return Double(integer) }
        if cleaned.hasPrefix("0x"), let hex = Int64(cleaned.dropFirst(2), radix: 16) { return Double(hex) }
        // YAML's float syntax only: `NaN`, `inf` and `Infinity` are strings to Go's YAML (promtool
        // refuses them), though Swift's Double would read them.
        guard cleaned.allSatisfy({ "0123456789.+-eE".contains($0) }) else { return nil }
        return Double(cleaned)
    }
}
