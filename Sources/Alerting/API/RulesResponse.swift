/// The body of Prometheus' `GET /api/v1/rules`:
/// `{"status":"success","data":{"groups":[{name, file, rules, interval, limit, evaluationTime, lastEvaluation}]}}`.
public struct RulesResponse: Encodable, Sendable {
    /// Which rules to list, as the endpoint's `type` parameter.
    public enum Filter: String, Sendable {
        /// Alerting and recording rules.
        case all
        /// `type=alert`.
        case alert
        /// `type=record`.
        case record
    }

    /// Always `success`.
    public let status = "success"
    /// The groups.
    public let data: GroupList

    /// The `data` object.
    public struct GroupList: Encodable, Sendable {
        /// One entry per group.
        public let groups: [APIRuleGroup]
    }

    /// Renders the engine's groups with their last evaluations.
    public init(engine: RuleEngine, filter: Filter = .all) {
        self.init(groups: engine.groups, filter: filter)
    }

    /// Renders groups with their last evaluations.
    public init(groups: [RuleGroupEvaluator], filter: Filter = .all) {
        data = GroupList(groups: groups.map { APIRuleGroup($0, filter: filter) })
    }
}

/// One rule group in `/api/v1/rules`.
public struct APIRuleGroup: Encodable, Sendable {
    /// The group name.
    public let name: String
    /// The rule file.
    public let file: String
    /// Alerting and recording rules in the group's order.
    public let rules: [APIRule]
    /// The interval in seconds.
    public let interval: Double
    /// The group's `limit` (0: none).
    public let limit: Int
    /// Seconds the last evaluation took (0 until the caller reports a measurement).
    public let evaluationTime: Double
    /// When the group was last evaluated, RFC 3339 (`0001-01-01T00:00:00Z` before the first time).
    public let lastEvaluation: String

    init(_ evaluator: RuleGroupEvaluator, filter: RulesResponse.Filter) {
        let group = evaluator.group
        let last = evaluator.lastEvaluation
        name = group.name
        file = group.file
        interval = APITime.seconds(evaluator.interval)
        limit = group.limit
        evaluationTime = last?.evaluationDuration.map(APITime.seconds) ?? 0
        lastEvaluation = last.map { GoTime.rfc3339(milliseconds: $0.timestampMs) } ?? APITime.zero
        rules = group.rules.enumerated().compactMap { index, rule in
            let outcome = last.flatMap { index < $0.rules.count ? $0.rules[index] : nil }
            switch rule {
            case .alerting(let alerting):
                return filter == .record ? nil : .alerting(APIAlertingRule(alerting, outcome))
            case .recording(let recording):
                return filter == .alert ? nil : .recording(APIRecordingRule(recording, outcome))
            }
        }
    }
}

/// A rule in `/api/v1/rules`: `"type":"alerting"` or `"type":"recording"`.
public enum APIRule: Encodable, Sendable {
    /// An alerting rule.
    case alerting(APIAlertingRule)
    /// A recording rule.
    case recording(APIRecordingRule)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .alerting(let rule): try rule.encode(to: encoder)
        case .recording(let rule): try rule.encode(to: encoder)
        }
    }
}

/// An alerting rule in `/api/v1/rules`.
public struct APIAlertingRule: Encodable, Sendable {
    /// Highest state of the rule's alerts: `inactive`, `pending` or `firing`.
    public let state: String
    /// The alert or record name.
    public let name: String
    /// The expression in Prometheus' canonical form.
    public let query: String
    /// The `for:` duration in seconds.
    public let duration: Double
    /// The `keep_firing_for:` duration in seconds.
    public let keepFiringFor: Double
    /// The rule's labels as written.
    public let labels: Labels
    /// The rule's annotations as written.
    public let annotations: Labels
    /// Pending and firing alerts.
    public let alerts: [APIAlert]
    /// `ok`, `err` or `unknown`.
    public let health: String
    /// Why the last evaluation failed, left out when it did not.
    public let lastError: String?
    /// Seconds the last evaluation took, as reported by the caller (0 until then).
    public let evaluationTime: Double
    /// When the rule was last evaluated, RFC 3339.
    public let lastEvaluation: String
    /// Always `alerting`.
    public let type = "alerting"

    init(_ rule: AlertingRule, _ outcome: RuleEvaluation?) {
        state = (outcome?.state ?? .inactive).rawValue
        name = rule.name
        query = rule.expression.description
        duration = APITime.seconds(rule.holdDuration)
        keepFiringFor = APITime.seconds(rule.keepFiringFor)
        labels = rule.labels
        annotations = rule.annotations
        alerts = (outcome?.activeAlerts ?? []).map(APIAlert.init)
        health = (outcome?.health ?? .unknown).rawValue
        lastError = outcome?.lastError
        evaluationTime = outcome?.evaluationDuration.map(APITime.seconds) ?? 0
        lastEvaluation = outcome.map { GoTime.rfc3339(milliseconds: $0.timestampMs) } ?? APITime.zero
    }

    private enum CodingKeys: String, CodingKey {
        case state, name, query, duration, keepFiringFor, labels, annotations, alerts, health, lastError, evaluationTime
        case lastEvaluation, type
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state, forKey: .state)
        try container.encode(name, forKey: .name)
        try container.encode(query, forKey: .query)
        try container.encode(duration, forKey: .duration)
        try container.encode(keepFiringFor, forKey: .keepFiringFor)
        try container.encode(labels, forKey: .labels)
        try container.encode(annotations, forKey: .annotations)
        try container.encode(alerts, forKey: .alerts)
        try container.encode(health, forKey: .health)
        try container.encodeIfPresent(lastError, forKey: .lastError)
        try container.encode(evaluationTime, forKey: .evaluationTime)
        try container.encode(lastEvaluation, forKey: .lastEvaluation)
        try container.encode(type, forKey: .type)
    }
}

/// A recording rule in `/api/v1/rules`.
public struct APIRecordingRule: Encodable, Sendable {
    /// The alert or record name.
    public let name: String
    /// The expression in Prometheus' canonical form.
    public let query: String
    /// The rule's labels as written.
    public let labels: Labels
    /// `ok`, `err` or `unknown`.
    public let health: String
    /// Why the last evaluation failed, left out when it did not.
    public let lastError: String?
    /// Seconds the last evaluation took, as reported by the caller (0 until then).
    public let evaluationTime: Double
    /// When the rule was last evaluated, RFC 3339.
    public let lastEvaluation: String
    /// Always `recording`.
    public let type = "recording"

    init(_ rule: RecordingRule, _ outcome: RuleEvaluation?) {
        name = rule.name
        query = rule.expression.description
        labels = rule.labels
        health = (outcome?.health ?? .unknown).rawValue
        lastError = outcome?.lastError
        evaluationTime = outcome?.evaluationDuration.map(APITime.seconds) ?? 0
        lastEvaluation = outcome.map { GoTime.rfc3339(milliseconds: $0.timestampMs) } ?? APITime.zero
    }

    private enum CodingKeys: String, CodingKey {
        case name, query, labels, health, lastError, evaluationTime, lastEvaluation, type
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(query, forKey: .query)
        if !labels.isEmpty { try container.encode(labels, forKey: .labels) }
        try container.encode(health, forKey: .health)
        try container.encodeIfPresent(lastError, forKey: .lastError)
        try container.encode(evaluationTime, forKey: .evaluationTime)
        try container.encode(lastEvaluation, forKey: .lastEvaluation)
        try container.encode(type, forKey: .type)
    }
}

/// Time values as Prometheus' API writes them.
enum APITime {
    /// Go's zero `time.Time` in JSON.
    static let zero = "0001-01-01T00:00:00Z"

    /// A duration in seconds, as a float.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
