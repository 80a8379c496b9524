import Foundation
import Yams

/// Loads Prometheus rule files (`groups: - name, interval, limit, rules: - alert|record, expr, for,
/// keep_firing_for, labels, annotations`) and validates them as `promtool check rules` does, reporting
/// every problem with its file, position, group and rule.
public enum RuleFileLoader {
    /// Reads and validates the rule file at `url`.
    public static func load(contentsOf url: URL) throws(RuleFileError) -> [RuleGroup] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw RuleFileError(problems: ["\(url.path): cannot read the file: \(error.localizedDescription)"])
        }
        return try parse(text, file: url.path)
    }

    /// Validates rule-file YAML; `file` names the source in messages and in each group's `file`.
    public static func parse(_ yaml: String, file: String) throws(RuleFileError) -> [RuleGroup] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw RuleFileError(problems: ["\(file): \(error)"])
        }
        guard let root else { return [] }
        var top = YAMLFields(root, allowed: ["groups"], context: "")
        var groups: [RuleGroup] = []
        var problems: [String] = []
        var names = Set<String>()
        for groupNode in top.list("groups") {
            let (group, groupProblems) = parseGroup(groupNode, file: file, seenNames: &names)
            problems += groupProblems
            if let group { groups.append(group) }
        }
        problems = top.problems.map { $0.formatted() } + problems
        if !problems.isEmpty {
            throw RuleFileError(problems: problems.map { "\(file): \($0)" })
        }
        return groups
    }

    private static func parseGroup(_ node: Node, file: String, seenNames: inout Set<String>) -> (RuleGroup?, [String]) {
        var fields = YAMLFields(node, allowed: ["name", "interval", "limit", "rules"], context: "")
        let name = fields.string("name") ?? ""
        var problems: [String] = []
        if name.isEmpty {
            problems.append("\(node.location): Groupname must not be empty")
        } else if !seenNames.insert(name).inserted {
            problems.append("\(node.location): groupname: \(GoQuote.quote(name)) is repeated in the same file")
        }
        let interval = fields.duration("interval")
        let limit = fields.integer("limit") ?? 0
        var rules: [Rule] = []
        for (index, ruleNode) in fields.list("rules").enumerated() {
            switch parseRule(ruleNode) {
            case .success(let rule):
                rules.append(rule)
            case .failure(let failure):
                let context = "group \(GoQuote.quote(name)), rule \(index + 1), \(GoQuote.quote(failure.name)): "
                problems += failure.problems.map { $0.formatted(prefix: context) }
            }
        }
        let groupContext = name.isEmpty ? "" : "group \(GoQuote.quote(name)): "
        problems = fields.problems.map { $0.formatted(prefix: groupContext) } + problems
        guard problems.isEmpty else { return (nil, problems) }
        let group = RuleGroup(
            name: name,
            file: file,
            interval: interval.flatMap { $0 == 0 ? nil : .milliseconds($0) },
            limit: limit,
            rules: rules
        )
        return (group, [])
    }

    private struct RuleFailure: Error {
        var name: String
        var problems: [YAMLProblem]
    }

    private static func parseRule(_ node: Node) -> Result<Rule, RuleFailure> {
        var fields = YAMLFields(
            node,
            allowed: ["alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"],
            context: ""
        )
        let alert = fields.string("alert") ?? ""
        let record = fields.string("record") ?? ""
        let expr = fields.string("expr") ?? ""
        let holdMs = fields.duration("for") ?? 0
        let keepFiringMs = fields.duration("keep_firing_for") ?? 0
        let labels = fields.stringMap("labels")
        let annotations = fields.stringMap("annotations")
        // Positions point at the field concerned, as promtool's do.
        let recordAt = fields.values["record"]?.location ?? node.location
        let exprAt = fields.values["expr"]?.location ?? node.location
        var problems = fields.problems
        func problem(_ location: String, _ message: String) {
            problems.append(YAMLProblem(location: location, message: message))
        }
        if !alert.isEmpty && !record.isEmpty { problem(recordAt, "only one of 'record' and 'alert' must be set") }
        if alert.isEmpty && record.isEmpty { problem(recordAt, "one of 'record' or 'alert' must be set") }
        var expression: PromQLExpression?
        if expr.isEmpty {
            problem(exprAt, "field 'expr' must be set in rule")
        } else {
            do {
                expression = try PromQLExpression(expr)
            } catch {
                let prefix = error.kind == .unsupported ? "unsupported expression" : "could not parse expression"
                problem(exprAt, "\(prefix): \(error)")
            }
        }
        if !record.isEmpty {
            if !annotations.isEmpty { problem(recordAt, "invalid field 'annotations' in recording rule") }
            if holdMs != 0 { problem(recordAt, "invalid field 'for' in recording rule") }
            if keepFiringMs != 0 { problem(recordAt, "invalid field 'keep_firing_for' in recording rule") }
            if !LabelName.isValidMetricName(record) { problem(recordAt, "invalid recording rule name: \(record)") }
        }
        for (name, _) in labels where !LabelName.isValid(name) || name == Labels.metricName {
            problem("", "invalid label name: \(name)")
        }
        for (name, _) in annotations where !LabelName.isValid(name) {
            problem("", "invalid annotation name: \(name)")
        }
        let name = alert.isEmpty ? record : alert
        let labelSet = Labels(Dictionary(labels, uniquingKeysWith: { _, last in last }))
        // Annotations keep empty values, as Prometheus' rule annotations do.
        let annotationSet = Labels(allowingEmptyValues: Dictionary(annotations, uniquingKeysWith: { _, last in last }))
        var rule: Rule?
        if !alert.isEmpty {
            if let expression {
                do {
                    rule = .alerting(
                        try AlertingRule(
                            name: alert,
                            expression: expression,
                            holdDuration: .milliseconds(holdMs),
                            keepFiringFor: .milliseconds(keepFiringMs),
                            labels: labelSet,
                            annotations: annotationSet
                        )
                    )
                } catch {
                    problems += error.problems.map { YAMLProblem(location: "", message: $0) }
                }
            } else {
                for message in AlertingRule.templateProblems(name: alert, labels: labelSet, annotations: annotationSet) {
                    problem("", message)
                }
            }
        } else if let expression {
            rule = .recording(RecordingRule(name: record, expression: expression, labels: labelSet))
        }
        if problems.isEmpty, let rule { return .success(rule) }
        return .failure(RuleFailure(name: name, problems: problems))
    }
}
