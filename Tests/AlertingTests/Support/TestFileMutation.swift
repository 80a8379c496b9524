import Testing
import Yams

/// One deliberate mistake in a promtool test file. A correct runner must fail every mutated file: this
/// keeps the fixtures (and our runner) from passing vacuously.
enum TestFileMutation: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// The first expected sample value of the first `promql_expr_test` that has one, plus one.
    case expectedValue
    /// The first expected label of the first expected alert gets another value.
    case expectedLabel
    /// The first `alert_rule_test` that expects alerts is moved to `eval_time: 0s`, before any fixture's
    /// alert fires.
    case evalTime
    /// The first expected alert is dropped.
    case droppedAlert

    var testDescription: String { rawValue }

    /// Why a fixture cannot be mutated this way.
    struct NotApplicable: Error, CustomStringConvertible {
        let description: String
    }

    /// The test file's YAML with this mistake; the rest of the file is kept as written.
    func apply(to yaml: String) throws -> String {
        guard var root = try Yams.compose(yaml: yaml), var tests = root["tests"]?.sequence else {
            throw NotApplicable(description: "no tests: list")
        }
        for index in tests.indices {
            var group = tests[index]
            let mutated: Bool
            switch self {
            case .expectedValue: mutated = Self.changeFirstSampleValue(&group)
            case .expectedLabel, .evalTime, .droppedAlert: mutated = changeFirstAlertTest(&group)
            }
            if mutated {
                tests[index] = group
                root["tests"] = .sequence(tests)
                return try Yams.serialize(node: root)
            }
        }
        throw NotApplicable(description: "nothing to apply \(rawValue) to")
    }

    private static func changeFirstSampleValue(_ group: inout Node) -> Bool {
        guard var cases = group["promql_expr_test"]?.sequence else { return false }
        for index in cases.indices {
            guard var samples = cases[index]["exp_samples"]?.sequence, var sample = samples.first else { continue }
            let old = sample["value"]?.string.flatMap(Double.init) ?? 0
            sample["value"] = Node(old.isFinite ? String(old + 1) : "1")
            samples[samples.startIndex] = sample
            cases[index]["exp_samples"] = .sequence(samples)
            group["promql_expr_test"] = .sequence(cases)
            return true
        }
        return false
    }

    private func changeFirstAlertTest(_ group: inout Node) -> Bool {
        guard var cases = group["alert_rule_test"]?.sequence else { return false }
        for index in cases.indices {
            guard var alerts = cases[index]["exp_alerts"]?.sequence, var alert = alerts.first else { continue }
            switch self {
            case .evalTime:
                cases[index]["eval_time"] = Node("0s")
            case .droppedAlert:
                alerts.removeFirst()
                cases[index]["exp_alerts"] = .sequence(alerts)
            default:
                guard var labels = alert["exp_labels"]?.mapping, let first = labels.first else { continue }
                labels[first.key] = Node((first.value.string ?? "") + "_mutated")
                alert["exp_labels"] = .mapping(labels)
                alerts[alerts.startIndex] = alert
                cases[index]["exp_alerts"] = .sequence(alerts)
            }
            group["alert_rule_test"] = .sequence(cases)
            return true
        }
        return false
    }
}
