/// An alerting rule as written in a rule file: when `expression` returns series for `holdDuration`, an alert
/// fires per series, labelled with the series' labels, the rule's `labels` and `alertname`.
public struct AlertingRule: Sendable {
    /// The `alert:` name, which becomes the `alertname` label.
    public let name: String
    /// The `expr:`.
    public let expression: PromQLExpression
    /// The `for:` duration an alert stays pending before it fires.
    public let holdDuration: Duration
    /// The `keep_firing_for:` duration a firing alert keeps firing after its condition clears.
    public let keepFiringFor: Duration
    /// The `labels:` as written (values may be templates).
    public let labels: Labels
    /// The `annotations:` as written (values are templates).
    public let annotations: Labels
    let labelTemplates: [(name: String, template: TextTemplate)]
    let annotationTemplates: [(name: String, template: TextTemplate)]

    /// Creates an alerting rule, compiling its label and annotation templates.
    /// - Throws: ``RuleFileError`` naming the label or annotation whose template does not parse.
    public init(
        name: String,
        expression: PromQLExpression,
        holdDuration: Duration = .zero,
        keepFiringFor: Duration = .zero,
        labels: Labels = .empty,
        annotations: Labels = .empty
    ) throws(RuleFileError) {
        self.name = name
        self.expression = expression
        self.holdDuration = holdDuration
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
        var problems: [String] = []
        labelTemplates = AlertingRule.compile(labels, kind: "label", ruleName: name, problems: &problems)
        annotationTemplates = AlertingRule.compile(annotations, kind: "annotation", ruleName: name, problems: &problems)
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
    }

    /// The template problems of a rule's labels and annotations, one line each.
    static func templateProblems(name: String, labels: Labels, annotations: Labels) -> [String] {
        var problems: [String] = []
        _ = compile(labels, kind: "label", ruleName: name, problems: &problems)
        _ = compile(annotations, kind: "annotation", ruleName: name, problems: &problems)
        return problems
    }

    private static func compile(
        _ pairs: Labels,
        kind: String,
        ruleName: String,
        problems: inout [String]
    ) -> [(
        name: String, template: TextTemplate
    )] {
        var compiled: [(name: String, template: TextTemplate)] = []
        for pair in pairs {
            do {
                compiled.append((pair.name, try TextTemplate(pair.value, name: "__alert_" + ruleName)))
            } catch {
                problems.append("\(kind) \(GoQuote.quote(pair.name)): \(error)")
            }
        }
        return compiled
    }
}

/// A recording rule: stores the result of `expression` as new series named `name`.
public struct RecordingRule: Sendable {
    /// The `record:` metric name.
    public let name: String
    /// The `expr:`.
    public let expression: PromQLExpression
    /// The `labels:` added to (or replacing those of) every result series.
    public let labels: Labels

    /// Creates a recording rule.
    public init(name: String, expression: PromQLExpression, labels: Labels = .empty) {
        self.name = name
        self.expression = expression
        self.labels = labels
    }
}

/// One rule of a group.
public enum Rule: Sendable {
    /// An `alert:` rule.
    case alerting(AlertingRule)
    /// A `record:` rule.
    case recording(RecordingRule)

    /// The alert or record name.
    public var name: String {
        switch self {
        case .alerting(let rule): return rule.name
        case .recording(let rule): return rule.name
        }
    }

    /// The rule's expression.
    public var expression: PromQLExpression {
        switch self {
        case .alerting(let rule): return rule.expression
        case .recording(let rule): return rule.expression
        }
    }
}

/// A rule group: rules evaluated in order, every `interval`.
public struct RuleGroup: Sendable {
    /// The group name, unique within its file.
    public let name: String
    /// The file the group was loaded from (empty when built in code).
    public let file: String
    /// The group's `interval:`, or `nil` to use the engine's default.
    public let interval: Duration?
    /// The `limit:` on alerts or series per rule; 0 means none.
    public let limit: Int
    /// The rules in evaluation order.
    public let rules: [Rule]

    /// Creates a group.
    public init(name: String, file: String = "", interval: Duration? = nil, limit: Int = 0, rules: [Rule]) {
        self.name = name
        self.file = file
        self.interval = interval
        self.limit = limit
        self.rules = rules
    }
}
