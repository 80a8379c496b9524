import Foundation

/// One `tests:` entry of a promtool test file, run as promtool runs it.
struct RuleTestGroupRun {
    let test: RuleTestFile.TestGroup
    let evaluationIntervalMs: Int64
    private(set) var checks = 0

    init(test: RuleTestFile.TestGroup, evaluationIntervalMs: Int64) {
        self.test = test
        self.evaluationIntervalMs = evaluationIntervalMs
    }

    private var namePrefix: String {
        test.name.isEmpty ? "" : "    name: \(test.name),\n"
    }

    private func failure(_ message: String) -> RuleTestFailure {
        RuleTestFailure(testGroup: test.name, message: message)
    }

    mutating func run(groups loaded: [RuleGroup], groupOrder: [String]) -> [RuleTestFailure] {
        let intervalMs = test.intervalMs.flatMap { $0 == 0 ? nil : $0 } ?? evaluationIntervalMs
        var pending: [(labels: Labels, samples: ArraySlice<(Int64, Double)>)] = []
        do {
            pending = try inputSeries(intervalMs: intervalMs)
        } catch {
            return [failure(error.description)]
        }
        let rank = Dictionary(groupOrder.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let groups = loaded.enumerated().sorted { (rank[$0.element.name] ?? 0, $0.offset) < (rank[$1.element.name] ?? 0, $1.offset) }
            .map(\.element)
        var evaluators = groups.map { RuleGroupEvaluator(group: $0) }
        for test in test.alertTests where test.alertname.isEmpty {
            let suffix = self.test.name.isEmpty ? "" : " (in TestGroup \(self.test.name))"
            return [
                failure(
                    "an item under alert_rule_test misses required attribute alertname at eval_time \(PromDuration.format(milliseconds: test.evalTimeMs))\(suffix)"
                )
            ]
        }
        var configuration = RuleEngineConfiguration(
            externalLabels: Labels(test.externalLabels),
            externalURL: test.externalURL,
            writesAlertSeries: true
        )
        configuration.templateFunctionsSeeExternalURL = false
        let maxTime = (test.alertTests.map(\.evalTimeMs) + test.expressionTests.map(\.evalTimeMs)).max() ?? 0
        let store = SeriesStore(retention: .seconds(Int64.max / 4_000_000))
        let alertTimes = Array(Set(test.alertTests.map(\.evalTimeMs))).sorted()
        var nextAlertTime = 0
        var failures: [RuleTestFailure] = []
        var time: Int64 = 0
        while time <= maxTime {
            for index in pending.indices {
                while let (stamp, value) = pending[index].samples.first, stamp <= time {
                    store.append(labels: pending[index].labels, timestampMs: stamp, value: value)
                    pending[index].samples.removeFirst()
                }
            }
            var evaluationErrors: [RuleTestFailure] = []
            for index in evaluators.indices {
                let evaluation = evaluators[index].evaluate(at: time, store: store, configuration: configuration)
                for rule in evaluation.rules {
                    if let error = rule.lastError {
                        evaluationErrors.append(
                            failure("    rule: \(rule.name), time: \(GoDuration.format(milliseconds: time)), err: \(error)")
                        )
                    }
                }
            }
            if !evaluationErrors.isEmpty { return failures + evaluationErrors }
            while nextAlertTime < alertTimes.count, time <= alertTimes[nextAlertTime],
                alertTimes[nextAlertTime] < time + evaluationIntervalMs
            {
                failures += compareAlerts(at: alertTimes[nextAlertTime], evaluators: evaluators)
                nextAlertTime += 1
            }
            time += evaluationIntervalMs
        }
        failures += compareExpressions(store: store)
        return failures
    }

    /// Input series expanded into samples at 0, interval, 2·interval…; a repeated series replaces the earlier one.
    private func inputSeries(intervalMs: Int64) throws(PromQLError) -> [(labels: Labels, samples: ArraySlice<(Int64, Double)>)] {
        var order: [Labels] = []
        var samples: [Labels: [(Int64, Double)]] = [:]
        for input in test.inputSeries {
            let labels = try SeriesNotation.labels(input.series)
            var points: [(Int64, Double)] = []
            for (slot, value) in try SeriesNotation.values(input.values).enumerated() {
                if case .number(let number) = value { points.append((Int64(slot) * intervalMs, number)) }
            }
            if samples[labels] == nil { order.append(labels) }
            samples[labels] = points
        }
        return order.map { ($0, (samples[$0] ?? [])[...]) }
    }

    private mutating func compareAlerts(at evalTime: Int64, evaluators: [RuleGroupEvaluator]) -> [RuleTestFailure] {
        var failures: [RuleTestFailure] = []
        for alertTest in test.alertTests where alertTest.evalTimeMs == evalTime {
            checks += 1
            var got: [AlertComparison] = []
            for evaluator in evaluators {
                for rule in evaluator.lastEvaluation?.rules ?? [] where rule.kind == .alerting && rule.name == alertTest.alertname {
                    got += rule.firingAlerts.map { AlertComparison(labels: $0.labels, annotations: $0.annotations) }
                }
            }
            var expected = alertTest.expectedAlerts.map { alert in
                var labels = alert.labels
                labels["alertname"] = alertTest.alertname
                return AlertComparison(labels: Labels(allowingEmptyValues: labels), annotations: Labels(allowingEmptyValues: alert.annotations))
            }
            got.sort()
            expected.sort()
            if got != expected {
                failures.append(
                    failure(
                        "\(namePrefix)    alertname: \(alertTest.alertname), time: \(PromDuration.format(milliseconds: evalTime)), \n        exp:\(AlertComparison.describe(expected)), \n        got:\(AlertComparison.describe(got))"
                    )
                )
            }
        }
        return failures
    }

    private mutating func compareExpressions(store: SeriesStore) -> [RuleTestFailure] {
        var failures: [RuleTestFailure] = []
        let evaluator = PromQLEvaluator(source: store)
        for expressionTest in test.expressionTests {
            checks += 1
            let time = PromDuration.format(milliseconds: expressionTest.evalTimeMs)
            let quoted = GoQuote.quote(expressionTest.expression)
            var got: [(labels: Labels, value: Double)]
            do {
                got = try evaluator.evaluate(expressionTest.expression, at: expressionTest.evalTimeMs).ruleVector().map {
                    ($0.labels, $0.value)
                }
            } catch {
                failures.append(failure("    expr: \(quoted), time: \(time), err: \(error)"))
                continue
            }
            var expected: [(labels: Labels, value: Double)] = []
            var parseFailed = false
            for sample in expressionTest.expectedSamples {
                do {
                    expected.append((try SeriesNotation.labels(sample.labels.isEmpty ? "{}" : sample.labels), sample.value))
                } catch {
                    failures.append(failure("    expr: \(quoted), time: \(time), err: labels \(GoQuote.quote(sample.labels)): \(error)"))
                    parseFailed = true
                    break
                }
            }
            if parseFailed { continue }
            got.sort { $0.labels < $1.labels }
            expected.sort { $0.labels < $1.labels }
            let same =
                got.count == expected.count
                && zip(got, expected).allSatisfy { $0.labels == $1.labels && $0.value == $1.value }
            if !same {
                failures.append(
                    failure(
                        "    expr: \(quoted), time: \(time),\n        exp: \(describe(expected))\n        got: \(describe(got))"
                    )
                )
            }
        }
        return failures
    }

    private func describe(_ samples: [(labels: Labels, value: Double)]) -> String {
        if samples.isEmpty { return "nil" }
        return samples.map { "\($0.labels) \(GoFloat.format($0.value, "E"))" }.joined(separator: ", ")
    }
}

/// An alert as promtool compares it: labels and annotations only.
struct AlertComparison: Comparable {
    var labels: Labels
    var annotations: Labels

    static func < (lhs: AlertComparison, rhs: AlertComparison) -> Bool {
        let order = Labels.compare(lhs.labels, rhs.labels)
        if order != 0 { return order < 0 }
        return Labels.compare(lhs.annotations, rhs.annotations) < 0
    }

    static func describe(_ alerts: [AlertComparison]) -> String {
        if alerts.isEmpty { return "[]" }
        let indent = "            "
        var text = "[\n"
        for (index, alert) in alerts.enumerated() {
            if index > 0 { text += ",\n" }
            text += "\(indent)\(index):\n\(indent)  Labels:\(alert.labels)\n\(indent)  Annotations:\(alert.annotations)"
        }
        return text + "\n\(indent)]"
    }
}

/// Go's `time.Duration.String()` for whole milliseconds: `0s`, `500ms`, `1m30s`, `2h0m0s`.
enum GoDuration {
    static func format(milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        let sign = milliseconds < 0 ? "-" : ""
        let total = abs(milliseconds)
        if total < 1000 { return "\(sign)\(total)ms" }
        let hours = total / 3_600_000
        let minutes = total / 60_000 % 60
        let seconds = total / 1000 % 60
        let fraction = total % 1000
        let secondText = "\(seconds)" + GoTime.fraction(fraction, digits: 3)
        if hours > 0 { return "\(sign)\(hours)h\(minutes)m\(secondText)s" }
        if minutes > 0 { return "\(sign)\(minutes)m\(secondText)s" }
        return "\(sign)\(secondText)s"
    }
}
