extension Evaluation {
    func evaluateCall(_ call: FunctionCall) throws(PromQLError) -> Value {
        let name = call.function.name
        if let matrixIndex = call.arguments.firstIndex(where: { $0.unwrapped.type == .matrix }) {
            return .vector(try unique(evaluateRangeCall(call, matrixIndex: matrixIndex)))
        }
        switch name {
        case "time": return .scalar(Double(time) / 1000)
        case "pi": return .scalar(Double.pi)
        case "scalar":
            let input = try vector(call.arguments[0])
            return .scalar(input.count == 1 ? input[0].value : .nan)
        default:
            return .vector(try unique(evaluateVectorCall(call)))
        }
    }

    /// Functions of a range vector (`rate(x[5m])`, `quantile_over_time(0.9, x[5m])`, …): one output per
    /// series that has enough samples; the metric name is dropped except by `last_over_time`.
    private func evaluateRangeCall(_ call: FunctionCall, matrixIndex: Int) throws(PromQLError) -> [VectorSample] {
        guard case .matrixSelector(let matrix) = call.arguments[matrixIndex].unwrapped else {
            throw .unsupported("subquery `\(call.arguments[matrixIndex])` is not supported by the embedded evaluator")
        }
        var scalars: [Double] = []
        for (index, argument) in call.arguments.enumerated() where index != matrixIndex {
            scalars.append(try scalar(argument))
        }
        let name = call.function.name
        let series = rangeVector(matrix)
        if name == "absent_over_time" {
            if !series.isEmpty { return [] }
            return [VectorSample(labels: AbsentLabels.of(call.arguments[0]), value: 1, timestampMs: time)]
        }
        let context = RangeContext(
            time: time,
            rangeStart: time - matrix.rangeMs - matrix.selector.offsetMs,
            rangeEnd: time - matrix.selector.offsetMs,
            rangeMs: matrix.rangeMs
        )
        var result: [VectorSample] = []
        result.reserveCapacity(series.count)
        for element in series {
            guard
                let value = try RangeFunctions.apply(
                    name,
                    timestamps: element.timestamps,
                    values: element.values,
                    scalars: scalars,
                    context: context
                )
            else { continue }
            let labels = name == "last_over_time" ? element.labels : element.labels.droppingMetricName
            result.append(VectorSample(labels: labels, value: value, timestampMs: time))
        }
        return result
    }

    /// Functions of instant vectors, scalars and strings.
    private func evaluateVectorCall(_ call: FunctionCall) throws(PromQLError) -> [VectorSample] {
        let name = call.function.name
        let arguments = call.arguments
        switch name {
        case "vector":
            return [VectorSample(labels: .empty, value: try scalar(arguments[0]), timestampMs: time)]
        case "absent":
            if try !vector(arguments[0]).isEmpty { return [] }
            return [VectorSample(labels: AbsentLabels.of(arguments[0]), value: 1, timestampMs: time)]
        case "timestamp":
            if case .vectorSelector(let selector) = arguments[0].unwrapped {
                return instantVector(selector).map {
                    VectorSample(labels: $0.labels.droppingMetricName, value: Double($0.timestampMs) / 1000, timestampMs: time)
                }
            }
            return try vector(arguments[0]).map {
                VectorSample(labels: $0.labels.droppingMetricName, value: Double(time) / 1000, timestampMs: time)
            }
        case "histogram_quantile":
            let q = try scalar(arguments[0])
            return HistogramQuantileFunction.evaluate(q, try vector(arguments[1]), time: time)
        case "label_replace":
            return try LabelFunctions.replace(
                try vector(arguments[0]),
                destination: try string(arguments[1]),
                replacement: try string(arguments[2]),
                source: try string(arguments[3]),
                regex: try string(arguments[4])
            )
        case "label_join":
            var sources: [String] = []
            for argument in arguments.dropFirst(3) { sources.append(try string(argument)) }
            return try LabelFunctions.join(
                try vector(arguments[0]),
                destination: try string(arguments[1]),
                separator: try string(arguments[2]),
                sources: sources
            )
        case "sort":
            // Ascending, NaN last (Prometheus reverses a descending sort that puts NaN first).
            return try vector(arguments[0]).sorted { $1.value.isNaN ? !$0.value.isNaN : $0.value < $1.value }
        case "sort_desc":
            return try vector(arguments[0]).sorted { $1.value.isNaN ? !$0.value.isNaN : $0.value > $1.value }
        case "clamp":
            let input = try vector(arguments[0])
            let low = try scalar(arguments[1])
            let high = try scalar(arguments[2])
            if high < low { return [] }
            return mapValues(input) { GoMath.max(low, GoMath.min(high, $0)) }
        case "clamp_max":
            let input = try vector(arguments[0])
            let high = try scalar(arguments[1])
            return mapValues(input) { GoMath.min(high, $0) }
        case "clamp_min":
            let input = try vector(arguments[0])
            let low = try scalar(arguments[1])
            return mapValues(input) { GoMath.max(low, $0) }
        case "round":
            let input = try vector(arguments[0])
            let nearest = arguments.count > 1 ? try scalar(arguments[1]) : 1
            let inverse = 1.0 / nearest
            return mapValues(input) { ($0 * inverse + 0.5).rounded(.down) / inverse }
        default:
            if let dateFunction = DateFunctions.named(name) {
                if arguments.isEmpty {
                    return [VectorSample(labels: .empty, value: dateFunction(time / 1000), timestampMs: time)]
                }
                return mapValues(try vector(arguments[0])) { dateFunction(GoMath.int64($0)) }
            }
            guard let function = MathFunctions.named(name) else {
                throw .unsupported("function \(name) is not supported by the embedded evaluator")
            }
            return mapValues(try vector(arguments[0]), function)
        }
    }

    /// Applies `transform` to each value and drops the metric name, as Prometheus' simple functions do.
    private func mapValues(_ input: [VectorSample], _ transform: (Double) -> Double) -> [VectorSample] {
        input.map { VectorSample(labels: $0.labels.droppingMetricName, value: transform($0.value), timestampMs: time) }
    }
}

/// The labels `absent()` and `absent_over_time()` give their single output: every label fixed by exactly one
/// `=` matcher in a selector argument.
enum AbsentLabels {
    static func of(_ argument: Expr) -> Labels {
        let matchers: [LabelMatcher]
        switch argument.unwrapped {
        case .vectorSelector(let selector): matchers = selector.matchers
        case .matrixSelector(let matrix): matchers = matrix.selector.matchers
        default: return .empty
        }
        var labels = Labels.empty
        var seen = Set<String>()
        for matcher in matchers where matcher.name != Labels.metricName {
            if matcher.kind == .equal && !seen.contains(matcher.name) {
                labels = labels.setting(matcher.name, to: matcher.value)
                seen.insert(matcher.name)
            } else {
                labels = labels.removing(matcher.name)
            }
        }
        return labels
    }
}
