/// One sample line of a Prometheus text exposition: `name{labels} value`.
///
/// Timestamps are accepted by the parser but not kept: the gateway never emits them and
/// nothing downstream reads them.
public struct ExpositionSample: Sendable, Hashable {
    /// The sample's own name, e.g. `http_requests_total` or `latency_seconds_bucket`.
    public var name: String
    /// Label pairs with escapes already resolved (`\n` is a real newline here).
    public var labels: [String: String]
    /// The value; may be NaN or ±Inf.
    public var value: Double

    /// Creates a sample.
    public init(name: String, labels: [String: String] = [:], value: Double) {
        self.name = name
        self.labels = labels
        self.value = value
    }
}

/// A metric family: the samples that share one TYPE/HELP block.
///
/// For histograms and summaries the family is named after the base name and holds the
/// `_bucket`, `_sum` and `_count` samples too.
public struct ExpositionFamily: Sendable, Hashable {
    /// The family name (the base name for histograms and summaries).
    public var name: String
    /// `counter`, `gauge`, `histogram`, `summary` or `untyped`.
    public var type: String
    /// The HELP text with escapes resolved, or nil when there was no HELP line.
    public var help: String?
    /// Samples in the order they appeared.
    public var samples: [ExpositionSample]

    /// Creates a family.
    public init(name: String, type: String, help: String? = nil, samples: [ExpositionSample] = []) {
        self.name = name
        self.type = type
        self.help = help
        self.samples = samples
    }
}

/// A syntax error in an exposition body, naming the line and what is wrong with it.
public struct ExpositionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// The offending line, shortened to keep messages readable.
    public var text: String
    /// What is wrong, e.g. `invalid escape sequence '\q' in label value`.
    public var message: String

    /// Creates an error; `text` is truncated to 120 characters.
    public init(line: Int, text: String, message: String) {
        self.line = line
        self.text = text.count > 120 ? String(text.prefix(120)) + "…" : text
        self.message = message
    }

    /// `line 3: <message>: <line text>`.
    public var description: String {
        "line \(line): \(message): \(text)"
    }
}
