/// Settings shared by every group an engine evaluates.
public struct RuleEngineConfiguration: Sendable {
    /// Labels every template sees as `$externalLabels` (as in Prometheus' `global.external_labels`).
    public var externalLabels: Labels
    /// What templates see as `$externalURL`.
    public var externalURL: String
    /// How far instant selectors look back.
    public var lookbackDelta: Duration
    /// Group interval for groups without `interval:`.
    public var defaultInterval: Duration
    /// Whether alerting rules record `ALERTS` and `ALERTS_FOR_STATE` series into the store.
    public var writesAlertSeries: Bool
    /// Whether the template functions `externalURL` and `pathPrefix` see ``externalURL``. promtool 2.42
    /// leaves its rule manager without one, so in its unit tests they fail; the test runner clears this.
    var templateFunctionsSeeExternalURL = true

    /// Creates a configuration.
    /// - Parameters:
    ///   - externalLabels: labels templates see as `$externalLabels`.
    ///   - externalURL: what templates see as `$externalURL`.
    ///   - lookbackDelta: how far instant selectors look back (5 minutes in Prometheus).
    ///   - defaultInterval: the evaluation interval of groups without `interval:` (1 minute in Prometheus).
    ///   - writesAlertSeries: whether to record `ALERTS` and `ALERTS_FOR_STATE`.
    public init(
        externalLabels: Labels = .empty,
        externalURL: String = "",
        lookbackDelta: Duration = .seconds(300),
        defaultInterval: Duration = .seconds(60),
        writesAlertSeries: Bool = true
    ) {
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.lookbackDelta = lookbackDelta
        self.defaultInterval = defaultInterval
        self.writesAlertSeries = writesAlertSeries
    }
}

/// Evaluates one rule group against a store, keeping alert state between evaluations, as Prometheus'
/// `Group.Eval`: rules run in order, recording rules write their results (so later rules see them), series
/// a rule no longer returns get a stale marker, and a failing rule keeps its previous state.
public struct RuleGroupEvaluator: Sendable {
    /// The group definition.
    public let group: RuleGroup
    /// The effective interval (the group's own, or the engine default).
    public let interval: Duration
    private var alertStates: [Int: AlertingRuleState] = [:]
    private var previousSeries: [Int: Set<Labels>] = [:]
    private var health: [Int: (RuleHealth, String?)] = [:]
    /// The last evaluation's outcome, if any.
    public private(set) var lastEvaluation: RuleGroupEvaluation?

    /// Creates an evaluator for `group`.
    public init(group: RuleGroup, defaultInterval: Duration = .seconds(60)) {
        self.group = group
        interval = group.interval ?? defaultInterval
    }

    /// Evaluates every rule at `timestampMs`, reading from and writing to `store`.
    @discardableResult
    public mutating func evaluate(
        at timestampMs: Int64,
        store: SeriesStore,
        configuration: RuleEngineConfiguration = RuleEngineConfiguration()
    ) -> RuleGroupEvaluation {
        let evaluator = PromQLEvaluator(source: store, lookbackDelta: configuration.lookbackDelta)
        var results: [RuleEvaluation] = []
        for (index, rule) in group.rules.enumerated() {
            let outcome: Result<[VectorSample], RuleEvaluationError>
            switch rule {
            case .alerting(let alerting):
                outcome = evaluateAlerting(alerting, index: index, at: timestampMs, evaluator: evaluator, configuration: configuration)
            case .recording(let recording):
                outcome = evaluateRecording(recording, at: timestampMs, evaluator: evaluator)
            }
            var written = 0
            switch outcome {
            case .failure(let failure):
                health[index] = (.err, failure.message)
            case .success(let samples):
                health[index] = (.ok, nil)
                written = write(samples, rule: index, at: timestampMs, store: store)
            }
            let state = alertStates[index]
            let (ruleHealth, lastError) = health[index] ?? (.unknown, nil)
            let isAlerting: Bool
            if case .alerting = rule { isAlerting = true } else { isAlerting = false }
            results.append(
                RuleEvaluation(
                    name: rule.name,
                    kind: isAlerting ? .alerting : .recording,
                    health: ruleHealth,
                    lastError: lastError,
                    alerts: state?.sortedAlerts ?? [],
                    state: state?.state ?? .inactive,
                    samplesWritten: written,
                    timestampMs: timestampMs,
                    evaluationDuration: nil
                )
            )
        }
        let evaluation = RuleGroupEvaluation(group: group.name, file: group.file, timestampMs: timestampMs, rules: results)
        lastEvaluation = evaluation
        return evaluation
    }

    /// Stores measured durations in the last evaluation (the core reads no clock).
    public mutating func setEvaluationDurations(group duration: Duration?, rules: [Duration?]) {
        guard var evaluation = lastEvaluation else { return }
        evaluation.evaluationDuration = duration
        for (index, ruleDuration) in rules.enumerated() where index < evaluation.rules.count {
            evaluation.rules[index].evaluationDuration = ruleDuration
        }
        lastEvaluation = evaluation
    }

    private mutating func evaluateAlerting(
        _ rule: AlertingRule,
        index: Int,
        at time: Int64,
        evaluator: PromQLEvaluator,
        configuration: RuleEngineConfiguration
    ) -> Result<[VectorSample], RuleEvaluationError> {
        let result: [VectorSample]
        do {
            result = try evaluator.evaluate(rule.expression, at: time).ruleVector()
        } catch {
            return .failure(RuleEvaluationError(error.description))
        }
        let external = configuration.externalLabels.dictionary
        let url = configuration.externalURL
        let environment = TemplateEnvironment(
            query: { query throws(PromQLError) in try evaluator.evaluate(query, at: time).ruleVector() },
            externalURL: configuration.templateFunctionsSeeExternalURL ? url : nil
        )
        var state = alertStates[index] ?? AlertingRuleState()
        defer { alertStates[index] = state }
        do {
            let samples = try state.update(
                rule: rule,
                result: result,
                at: time,
                limit: group.limit,
                templateData: {
                    AlertTemplateData(labels: $0.labels.dictionary, externalLabels: external, externalURL: url, sampleValue: $0.value)
                },
                environment: environment
            )
            return .success(configuration.writesAlertSeries ? samples : [])
        } catch {
            return .failure(error)
        }
    }

    private func evaluateRecording(
        _ rule: RecordingRule,
        at time: Int64,
        evaluator: PromQLEvaluator
    ) -> Result<
        [VectorSample], RuleEvaluationError
    > {
        let result: [VectorSample]
        do {
            result = try evaluator.evaluate(rule.expression, at: time).ruleVector()
        } catch {
            return .failure(RuleEvaluationError(error.description))
        }
        var seen = Set<Labels>()
        var samples: [VectorSample] = []
        for sample in result {
            var labels = sample.labels.setting(Labels.metricName, to: rule.name)
            for pair in rule.labels { labels = labels.setting(pair.name, to: pair.value) }
            if !seen.insert(labels).inserted {
                return .failure(RuleEvaluationError("vector contains metrics with the same labelset after applying rule labels"))
            }
            samples.append(VectorSample(labels: labels, value: sample.value, timestampMs: time))
        }
        if group.limit > 0 && samples.count > group.limit {
            return .failure(RuleEvaluationError("exceeded limit of \(group.limit) with \(samples.count) series"))
        }
        return .success(samples)
    }

    /// Appends a rule's output and stale markers for the series it returned last time but not now.
    private mutating func write(_ samples: [VectorSample], rule index: Int, at time: Int64, store: SeriesStore) -> Int {
        var returned = Set<Labels>()
        var written = 0
        for sample in samples {
            switch store.append(labels: sample.labels, timestampMs: time, value: sample.value) {
            case .stored:
                returned.insert(sample.labels)
                written += 1
            case .outOfOrder:
                health[index] = (.err, "out of order sample")
            case .duplicateTimestamp:
                health[index] = (.err, "duplicate sample for timestamp")
            case .tooOld:
                health[index] = (.err, "too old sample")
            }
        }
        for labels in previousSeries[index, default: []] where !returned.contains(labels) {
            store.markStale(labels: labels, timestampMs: time)
        }
        previousSeries[index] = returned
        return written
    }
}
