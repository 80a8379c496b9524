import Foundation

/// Evaluates rule groups, each on its own interval, against one store: the gateway's alerting core.
///
/// Pure apart from the store: time is passed in, and measured durations are handed back by the caller
/// (``setEvaluationDurations(group:file:group:rules:)``).
public struct RuleEngine: Sendable {
    /// Where series are read and recording results written.
    public let store: SeriesStore
    /// Settings shared by all groups.
    public var configuration: RuleEngineConfiguration
    /// The groups, in the order they are evaluated.
    public private(set) var groups: [RuleGroupEvaluator]

    /// Creates an engine for `groups`.
    /// - Parameters:
    ///   - groups: rule groups, evaluated in this order when several are due together.
    ///   - store: the series store rules read and write.
    ///   - configuration: external labels, URL, lookback, default interval.
    public init(groups: [RuleGroup], store: SeriesStore, configuration: RuleEngineConfiguration = RuleEngineConfiguration()) {
        self.store = store
        self.configuration = configuration
        self.groups = groups.map { RuleGroupEvaluator(group: $0, defaultInterval: configuration.defaultInterval) }
    }

    /// Loads rule files (validated as `promtool check rules` does) into an engine.
    /// - Throws: ``RuleFileError`` with every problem of every file.
    public static func load(
        ruleFiles: [URL],
        store: SeriesStore,
        configuration: RuleEngineConfiguration = RuleEngineConfiguration()
    ) throws(RuleFileError) -> RuleEngine {
        var groups: [RuleGroup] = []
        var problems: [String] = []
        for file in ruleFiles {
            do {
                groups += try RuleFileLoader.load(contentsOf: file)
            } catch {
                problems += error.problems
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        return RuleEngine(groups: groups, store: store, configuration: configuration)
    }

    /// Evaluates every group once at `timestampMs`, in order.
    @discardableResult
    public mutating func evaluateAll(at timestampMs: Int64) -> [RuleGroupEvaluation] {
        groups.indices.map { groups[$0].evaluate(at: timestampMs, store: store, configuration: configuration) }
    }

    /// Evaluates the groups whose interval has passed since their last evaluation (every group the first
    /// time), in order; returns their outcomes.
    @discardableResult
    public mutating func evaluateDue(at timestampMs: Int64) -> [RuleGroupEvaluation] {
        var results: [RuleGroupEvaluation] = []
        for index in groups.indices where isDue(groups[index], at: timestampMs) {
            results.append(groups[index].evaluate(at: timestampMs, store: store, configuration: configuration))
        }
        return results
    }

    /// When the next group falls due (ms since the epoch), or `nil` before the first evaluation.
    public var nextEvaluationMs: Int64? {
        groups.compactMap { group in
            group.lastEvaluation.map { $0.timestampMs + PromDuration.milliseconds(of: group.interval) }
        }.min()
    }

    private func isDue(_ group: RuleGroupEvaluator, at timestampMs: Int64) -> Bool {
        guard let last = group.lastEvaluation else { return true }
        return timestampMs >= last.timestampMs + PromDuration.milliseconds(of: group.interval)
    }

    /// Pending and firing alerts of every alerting rule, as `/api/v1/alerts` lists them.
    public var activeAlerts: [Alert] {
        groups.flatMap { $0.lastEvaluation?.rules.flatMap(\.activeAlerts) ?? [] }
    }

    /// Stores measured durations for the last evaluation of the group named `name` in `file`.
    public mutating func setEvaluationDurations(group name: String, file: String, group duration: Duration?, rules: [Duration?]) {
        for index in groups.indices where groups[index].group.name == name && groups[index].group.file == file {
            groups[index].setEvaluationDurations(group: duration, rules: rules)
        }
    }
}
