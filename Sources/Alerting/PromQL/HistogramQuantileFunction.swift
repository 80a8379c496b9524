import PerfStats

/// `histogram_quantile(φ, buckets)` over classic histograms: buckets are grouped by all labels but `le`,
/// and each group yields one quantile labelled without `__name__` and `le`.
enum HistogramQuantileFunction {
    static func evaluate(_ q: Double, _ input: [VectorSample], time: Int64) -> [VectorSample] {
        var order: [Labels] = []
        var groups: [Labels: (labels: Labels, buckets: [(upperBound: Double, count: Double)])] = [:]
        for sample in input {
            guard let bound = sample.labels["le"].flatMap(GoParse.float) else { continue }
            let key = sample.labels.removing("le")
            if groups[key] == nil {
                order.append(key)
                groups[key] = (key.droppingMetricName, [])
            }
            groups[key]?.buckets.append((upperBound: bound, count: sample.value))
        }
        return order.compactMap { key in
            guard let group = groups[key] else { return nil }
            return VectorSample(labels: group.labels, value: HistogramQuantile.quantile(q, buckets: group.buckets), timestampMs: time)
        }
    }
}

/// Go's `strconv.ParseFloat` for the forms that appear in label values and template arguments.
enum GoParse {
    static func float(_ text: String) -> Double? {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "inf", "infinity": return negative ? -.infinity : .infinity
        case "nan": return .nan
        default: break
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isHexDigit || ".xXpP+-_".contains($0)) }) else {
            return nil
        }
        if body.contains("_") { return nil }
        let lower = body.lowercased()
        if lower.hasPrefix("0x") && !lower.contains("p") { return nil }
        guard let value = Double(body) else { return nil }
        return negative ? -value : value
    }
}
