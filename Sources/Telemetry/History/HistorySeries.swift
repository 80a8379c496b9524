import PerfStats

/// The series the in-memory history keeps, derived from two consecutive scrapes of the registry.
///
/// Rates and quantiles cover the interval between the scrapes (quantiles with Prometheus'
/// `histogram_quantile` over bucket increases), so each point says what happened in those
/// seconds. A value that cannot be known (no requests, so no latency) is NaN.
public enum HistorySeries: String, CaseIterable, Sendable, Codable {
    case requestsPerSecond = "requests_per_second"
    case serverErrorsPerSecond = "server_errors_per_second"
    case clientErrorsPerSecond = "client_errors_per_second"
    case errorRatio = "error_ratio"
    case latencyP50 = "latency_p50_seconds"
    case latencyP95 = "latency_p95_seconds"
    case latencyP99 = "latency_p99_seconds"
    case timeToFirstTokenP95 = "time_to_first_token_p95_seconds"
    case interTokenLatencyP95 = "inter_token_latency_p95_seconds"
    case outputTokensPerSecond = "output_tokens_per_second"
    case rejectionsPerSecond = "rejections_per_second"
    case inFlight = "in_flight"
    case queueDepth = "queue_depth"
    case healthyNodes = "healthy_nodes"
    case cpuUsage = "cpu_usage_ratio"
    case residentMemory = "resident_memory_bytes"
    case heapInUse = "heap_in_use_bytes"
    case openFDs = "open_fds"
    case threads = "threads"

    /// One point of every series from the scrape `current`, the one before it and the seconds between them.
    public static func derive(current: [ExpositionFamily], previous: [ExpositionFamily]?, seconds: Double) -> [Double] {
        let derivation = Derivation(current: current, previous: previous, seconds: seconds)
        return allCases.map(derivation.value)
    }
}

private struct Derivation {
    let current: [ExpositionFamily]
    let previous: [ExpositionFamily]?
    let seconds: Double

    func value(_ series: HistorySeries) -> Double {
        switch series {
        case .requestsPerSecond: rate("http_requests_total")
        case .serverErrorsPerSecond: rate("http_requests_total") { $0.labels["status"]?.hasPrefix("5") == true }
        case .clientErrorsPerSecond: rate("http_requests_total") { $0.labels["status"]?.hasPrefix("4") == true }
        case .errorRatio: ratio(rate("http_requests_total") { $0.labels["status"]?.hasPrefix("5") == true }, rate("http_requests_total"))
        case .latencyP50: quantile(0.5, "http_request_duration_seconds")
        case .latencyP95: quantile(0.95, "http_request_duration_seconds")
        case .latencyP99: quantile(0.99, "http_request_duration_seconds")
        case .timeToFirstTokenP95: quantile(0.95, "ollamamax_time_to_first_token_seconds")
        case .interTokenLatencyP95: quantile(0.95, "ollamamax_inter_token_latency_seconds")
        case .outputTokensPerSecond: rate("ollamamax_output_tokens_total")
        case .rejectionsPerSecond: rate("ollamamax_rejections_total")
        case .inFlight: current.sum("http_requests_in_flight")
        case .queueDepth: current.sum("ollamamax_queue_depth")
        case .healthyNodes: current.sum("ollamamax_node_state", where: ["state": "healthy"])
        case .cpuUsage: rate("process_cpu_seconds_total")
        case .residentMemory: current.value("process_resident_memory_bytes") ?? .nan
        case .heapInUse: current.value("process_heap_bytes", ["kind": "in_use"]) ?? .nan
        case .openFDs: current.value("process_open_fds") ?? .nan
        case .threads: current.value("process_threads") ?? .nan
        }
    }

    /// Increase per second of the samples named `name` that pass `filter`; NaN without a previous scrape.
    func rate(_ name: String, _ filter: (ExpositionSample) -> Bool = { _ in true }) -> Double {
        guard let previous, seconds > 0 else { return .nan }
        let now = total(current, name, filter)
        let before = total(previous, name, filter)
        // A counter that went down was reset (a restart): count from zero.
        return (now >= before ? now - before : now) / seconds
    }

    func total(_ families: [ExpositionFamily], _ name: String, _ filter: (ExpositionSample) -> Bool) -> Double {
        var sum = 0.0
        for family in families {
            for sample in family.samples where sample.name == name && filter(sample) { sum += sample.value }
        }
        return sum
    }

    func ratio(_ part: Double, _ whole: Double) -> Double {
        whole > 0 ? part / whole : .nan
    }

    /// The `q` quantile of a histogram family over the interval, all label sets merged.
    func quantile(_ q: Double, _ family: String) -> Double {
        let now = buckets(current, family)
        guard let previous else { return .nan }
        let delta = HistogramQuantile.delta(current: now, previous: buckets(previous, family))
        return HistogramQuantile.quantile(q, buckets: delta)
    }

    /// Cumulative buckets of `family`, summed over label sets, sorted by upper bound.
    func buckets(_ families: [ExpositionFamily], _ family: String) -> [(upperBound: Double, count: Double)] {
        var counts: [Double: Double] = [:]
        for sample in families.lazy.flatMap(\.samples) where sample.name == "\(family)_bucket" {
            guard let text = sample.labels["le"], let bound = Double(text.replacingPlusInf) else { continue }
            counts[bound, default: 0] += sample.value
        }
        return counts.keys.sorted().map { (upperBound: $0, count: counts[$0] ?? 0) }
    }
}

extension String {
    fileprivate var replacingPlusInf: String { self == "+Inf" ? "inf" : self }
}
