import Testing

@testable import Alerting

/// Rule files are validated as `promtool check rules` validates them: every problem is reported, each
/// naming the file, the position, the group, the rule and what is wrong.
struct RuleFileLoaderTests {
    private func problems(_ yaml: String, file: String = "rules.yml") -> [String] {
        do {
            _ = try RuleFileLoader.parse(yaml, file: file)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func aValidFileLoadsEveryGroupAndRule() throws {
        let groups = try RuleFileLoader.parse(
            """
            groups:
              - name: api
                interval: 30s
                limit: 10
                rules:
                  - record: job:requests:rate5m
                    expr: sum by (job) (rate(requests_total[5m]))
                    labels:
                      team: platform
                  - alert: HighErrorRate
                    expr: job:errors:ratio > 0.05
                    for: 10m
                    keep_firing_for: 5m
                    labels:
                      severity: page
                    annotations:
                      summary: "{{ $labels.job }} fails"
              - name: empty
            """,
            file: "api.yml"
        )
        #expect(groups.map(\.name) == ["api", "empty"])
        #expect(groups[0].file == "api.yml")
        #expect(groups[0].interval == .seconds(30))
        #expect(groups[0].limit == 10)
        #expect(groups[1].interval == nil)
        #expect(groups[1].rules.isEmpty)
        guard case .recording(let recording) = groups[0].rules[0], case .alerting(let alert) = groups[0].rules[1] else {
            Issue.record("rules loaded as the wrong kinds: \(groups[0].rules.map(\.name))")
            return
        }
        #expect(recording.name == "job:requests:rate5m")
        #expect(recording.expression.description == "sum by (job) (rate(requests_total[5m]))")
        #expect(recording.labels == ["team": "platform"])
        #expect(alert.name == "HighErrorRate")
        #expect(alert.holdDuration == .seconds(600))
        #expect(alert.keepFiringFor == .seconds(300))
        #expect(alert.labels == ["severity": "page"])
        #expect(alert.annotations["summary"] == "{{ $labels.job }} fails")
        // An empty file, or one without groups, has no groups.
        #expect(try RuleFileLoader.parse("", file: "empty.yml").isEmpty)
        #expect(try RuleFileLoader.parse("groups: []", file: "none.yml").isEmpty)
    }

    /// A file with one mistake of every kind; the expected lines are what `promtool check rules` 2.42
    /// printed for the same file, except that for rules 4 and 5 promtool printed `19:17: 20:16:` and
    /// `0:0:` (artefacts of how it wraps errors) where the loader gives the one position meant.
    @Test func everyProblemIsReportedWithFileGroupRuleAndPosition() {
        let yaml = """
            groups:
              - name: api
                interval: 1m
                rules:
                  - alert: HighLatency
                    expr: rate(x[5m]) >
                    for: 5m
                  - alert: Templ
                    expr: up == 0
                    labels:
                      severity: '{{ .Labels.x'
                    annotations:
                      summary: '{{ nofunc $labels }}'
                  - record: 'bad name'
                    expr: up
                    annotations:
                      a: b
                    for: 1m
                  - record: ok
                    alert: both
                    expr: up
                  - alert: NoExpr
                  - alert: Unknown
                    expr: up
                  - alert: BadLabel
                    expr: up
                    labels:
                      'bad-label': x
              - name: api
                rules:
                  - record: fine
                    expr: up
              - name: ''
                rules: []
            """
        #expect(
            problems(yaml, file: "bad.yml") == [
                "bad.yml: 6:15: group \"api\", rule 1, \"HighLatency\": could not parse expression: 1:14: parse error: unexpected end of input",
                "bad.yml: group \"api\", rule 2, \"Templ\": label \"severity\": template: __alert_Templ:1: unclosed action",
                "bad.yml: group \"api\", rule 2, \"Templ\": annotation \"summary\": template: __alert_Templ:1: function \"nofunc\" not defined",
                "bad.yml: 14:17: group \"api\", rule 3, \"bad name\": invalid field 'annotations' in recording rule",
                "bad.yml: 14:17: group \"api\", rule 3, \"bad name\": invalid field 'for' in recording rule",
                "bad.yml: 14:17: group \"api\", rule 3, \"bad name\": invalid recording rule name: bad name",
                "bad.yml: 19:17: group \"api\", rule 4, \"both\": only one of 'record' and 'alert' must be set",
                "bad.yml: 22:9: group \"api\", rule 5, \"NoExpr\": field 'expr' must be set in rule",
                "bad.yml: group \"api\", rule 7, \"BadLabel\": invalid label name: bad-label",
                "bad.yml: 29:5: groupname: \"api\" is repeated in the same file",
                "bad.yml: 33:5: Groupname must not be empty",
            ]
        )
    }

    @Test func durationsAndUnknownFieldsAreCheckedToo() {
        let yaml = """
            groups:
              - name: api
                interval: 1x
                rules:
                  - alert: Slow
                    expr: up == 0
                    for: 5 minutes
                    keep_firing_for: xx
                    severity: page
            """
        #expect(
            problems(yaml) == [
                "rules.yml: 3:15: group \"api\": field \"interval\": not a valid duration string: \"1x\"",
                "rules.yml: 9:9: group \"api\", rule 1, \"Slow\": unknown field \"severity\"",
                "rules.yml: 7:14: group \"api\", rule 1, \"Slow\": field \"for\": not a valid duration string: \"5 minutes\"",
                "rules.yml: 8:26: group \"api\", rule 1, \"Slow\": field \"keep_firing_for\": not a valid duration string: \"xx\"",
            ]
        )
    }

    @Test func unsupportedPromQLIsRefusedWhenTheFileLoads() {
        let yaml = """
            groups:
              - name: api
                rules:
                  - record: x
                    expr: max_over_time(rate(y[5m])[1h:])
            """
        #expect(
            problems(yaml) == [
                "rules.yml: 5:15: group \"api\", rule 1, \"x\": unsupported expression: subquery `rate(y[5m])[1h:]` is not supported by the embedded evaluator"
            ]
        )
    }

    @Test func brokenYAMLNamesTheFile() {
        let found = problems("groups:\n  - name: a\n    rules:\n      - record: x\n      expr: up\n", file: "broken.yml")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("broken.yml: ") == true)
        #expect(problems("groups: 3", file: "x.yml") == ["x.yml: 1:9: field \"groups\" must be a list"])
        #expect(problems("nope: []", file: "x.yml") == ["x.yml: 1:1: unknown field \"nope\""])
    }

    @Test func aTemplateThatDoesNotParseIsAnErrorOfItsRule() throws {
        #expect(throws: RuleFileError.self) {
            try AlertingRule(name: "A", expression: PromQLExpression("up"), annotations: ["x": "{{ if }}"])
        }
        let rule = try AlertingRule(name: "A", expression: PromQLExpression("up"), labels: ["a": "plain"], annotations: ["x": "{{ $value }}"])
        #expect(rule.labels == ["a": "plain"])
    }
}
