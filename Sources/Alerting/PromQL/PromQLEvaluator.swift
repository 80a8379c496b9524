/// Evaluates PromQL instant queries against a ``SeriesSource`` with Prometheus 2.42's semantics.
///
/// Time is always passed in: the evaluator reads no clock. Instant selectors look back `lookbackDelta`
/// (inclusive) for the newest sample and treat a stale marker as the end of the series; range selectors
/// are closed windows `[t - range, t]`, as in Prometheus 2.x.
public struct PromQLEvaluator: Sendable {
    /// Where series are read from.
    public var source: any SeriesSource
    /// How far an instant selector looks back for a sample (Prometheus' default is 5 minutes).
    public var lookbackDelta: Duration

    /// Creates an evaluator.
    /// - Parameters:
    ///   - source: the series to query.
    ///   - lookbackDelta: how far instant selectors look back; 5 minutes as in Prometheus.
    public init(source: any SeriesSource, lookbackDelta: Duration = .seconds(300)) {
        self.source = source
        self.lookbackDelta = lookbackDelta
    }

    /// Evaluates `expression` at `timestampMs` (milliseconds since the Unix epoch).
    public func evaluate(_ expression: PromQLExpression, at timestampMs: Int64) throws(PromQLError) -> QueryResult {
        let evaluation = Evaluation(
            source: source,
            time: timestampMs,
            lookbackMs: PromDuration.milliseconds(of: lookbackDelta)
        )
        switch try evaluation.evaluate(expression.root) {
        case .scalar(let value): return .scalar(value)
        case .vector(let samples): return .vector(samples)
        case .matrix(let series): return .matrix(series)
        case .string(let text): return .string(text)
        }
    }

    /// Parses and evaluates `query` at `timestampMs`.
    public func evaluate(_ query: String, at timestampMs: Int64) throws(PromQLError) -> QueryResult {
        try evaluate(PromQLExpression(query), at: timestampMs)
    }
}

/// One instant evaluation: the recursive walk over the expression tree at a fixed time.
struct Evaluation {
    enum Value {
        case scalar(Double)
        case vector([VectorSample])
        case matrix([RangeSeries])
        case string(String)
    }

    let source: any SeriesSource
    let time: Int64
    let lookbackMs: Int64

    func evaluate(_ expression: Expr) throws(PromQLError) -> Value {
        switch expression {
        case .number(let value, _):
            return .scalar(value)
        case .string(let text, _):
            return .string(text)
        case .parenthesized(let inner, _):
            return try evaluate(inner)
        case .negation(let inner, _):
            switch try evaluate(inner) {
            case .scalar(let value):
                return .scalar(-value)
            case .vector(let samples):
                let negated = samples.map {
                    VectorSample(labels: $0.labels.droppingMetricName, value: -$0.value, timestampMs: time)
                }
                return .vector(try unique(negated))
            default:
                throw .evaluation("unary minus applied to a \(inner.type.rawValue)")
            }
        case .vectorSelector(let selector):
            return .vector(instantVector(selector))
        case .matrixSelector(let matrix):
            return .matrix(rangeVector(matrix))
        case .subquery:
            throw .unsupported("subquery `\(expression)` is not supported by the embedded evaluator")
        case .call(let call):
            return try evaluateCall(call)
        case .aggregation(let aggregation):
            return .vector(try unique(evaluateAggregation(aggregation)))
        case .binary(let binary):
            return try evaluateBinary(binary)
        }
    }

    func scalar(_ expression: Expr) throws(PromQLError) -> Double {
        guard case .scalar(let value) = try evaluate(expression) else {
            throw .evaluation("expected a scalar from `\(expression)`")
        }
        return value
    }

    func vector(_ expression: Expr) throws(PromQLError) -> [VectorSample] {
        guard case .vector(let samples) = try evaluate(expression) else {
            throw .evaluation("expected an instant vector from `\(expression)`")
        }
        return samples
    }

    func string(_ expression: Expr) throws(PromQLError) -> String {
        guard case .string(let text) = try evaluate(expression) else {
            throw .evaluation("expected a string from `\(expression)`")
        }
        return text
    }

    /// Prometheus refuses any intermediate vector with two elements of the same labels.
    func unique(_ samples: [VectorSample]) throws(PromQLError) -> [VectorSample] {
        if samples.count < 2 { return samples }
        var seen = Set<Labels>(minimumCapacity: samples.count)
        for sample in samples where !seen.insert(sample.labels).inserted {
            throw .evaluation("vector cannot contain metrics with the same labelset")
        }
        return samples
    }

    /// The newest sample of each series in `[t - offset - lookback, t - offset]`, unless it is a stale marker.
    func instantVector(_ selector: VectorSelector) -> [VectorSample] {
        let reference = time - selector.offsetMs
        let windows = source.select(selector.matchers, from: reference - lookbackMs, through: reference)
        var result: [VectorSample] = []
        result.reserveCapacity(windows.count)
        for window in windows {
            guard let last = window.values.last, let stamp = window.timestamps.last else { continue }
            if StaleMarker.isStale(last) { continue }
            result.append(VectorSample(labels: window.labels, value: last, timestampMs: stamp))
        }
        return result
    }

    /// The samples of each series in the closed window `[t - offset - range, t - offset]`, stale markers
    /// removed; series left without samples are dropped.
    func rangeVector(_ matrix: MatrixSelector) -> [RangeSeries] {
        let end = time - matrix.selector.offsetMs
        let windows = source.select(matrix.selector.matchers, from: end - matrix.rangeMs, through: end)
        var result: [RangeSeries] = []
        result.reserveCapacity(windows.count)
        for window in windows {
            if !window.values.contains(where: StaleMarker.isStale) {
                if !window.values.isEmpty {
                    result.append(RangeSeries(labels: window.labels, timestamps: window.timestamps, values: window.values))
                }
                continue
            }
            var timestamps: [Int64] = []
            var values: [Double] = []
            for (stamp, value) in zip(window.timestamps, window.values) where !StaleMarker.isStale(value) {
                timestamps.append(stamp)
                values.append(value)
            }
            if !values.isEmpty {
                result.append(RangeSeries(labels: window.labels, timestamps: timestamps[...], values: values[...]))
            }
        }
        return result
    }
}
