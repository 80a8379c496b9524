/// One element of an instant vector: a series' labels and its value at the evaluation time.
public struct VectorSample: Sendable, Hashable {
    /// The labels (with `__name__` unless an operation dropped it).
    public var labels: Labels
    /// The value.
    public var value: Double
    /// The time of the underlying sample, which only `timestamp()` reads; other results carry the
    /// evaluation time.
    var timestampMs: Int64

    /// Creates a vector element.
    public init(labels: Labels, value: Double) {
        self.labels = labels
        self.value = value
        timestampMs = 0
    }

    init(labels: Labels, value: Double, timestampMs: Int64) {
        self.labels = labels
        self.value = value
        self.timestampMs = timestampMs
    }

    public static func == (lhs: VectorSample, rhs: VectorSample) -> Bool {
        lhs.labels == rhs.labels && lhs.value.bitPattern == rhs.value.bitPattern
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(labels)
        hasher.combine(value.bitPattern)
    }
}

/// One series of a range vector: its labels and the samples inside the range (stale markers removed).
public struct RangeSeries: Sendable {
    /// The series' labels.
    public let labels: Labels
    /// Sample times in milliseconds, ascending.
    public let timestamps: ArraySlice<Int64>
    /// Sample values, parallel to `timestamps`.
    public let values: ArraySlice<Double>
}

/// The result of an instant query.
public enum QueryResult: Sendable {
    /// A single number.
    case scalar(Double)
    /// An instant vector.
    case vector([VectorSample])
    /// A range vector (only when the whole query is a range selector).
    case matrix([RangeSeries])
    /// A string literal.
    case string(String)

    /// The result as a rule sees it: a vector, with a scalar turned into one sample without labels.
    /// - Throws: ``PromQLError`` for a range vector or string result, which no rule can use.
    public func ruleVector() throws(PromQLError) -> [VectorSample] {
        switch self {
        case .vector(let samples): return samples
        case .scalar(let value): return [VectorSample(labels: .empty, value: value)]
        case .matrix, .string: throw .evaluation("rule result is not a vector or scalar")
        }
    }
}
