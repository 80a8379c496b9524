import Histogram

/// Distribution of one latency over a run, in seconds.
///
/// `count`, `mean`, `min` and `max` are exact. Percentiles come from an HDR histogram of the
/// values rounded to whole microseconds, with 3 significant digits: each is the top of its
/// histogram bucket, so it may read up to 0.1% high (plus the µs rounding), never above `max`.
public struct LatencySummary: Sendable, Codable, Hashable {
    /// Number of values.
    public var count: Int
    /// Arithmetic mean.
    public var mean: Double
    /// Median.
    public var p50: Double
    /// 90th percentile.
    public var p90: Double
    /// 95th percentile.
    public var p95: Double
    /// 99th percentile.
    public var p99: Double
    /// 99.9th percentile.
    public var p999: Double
    /// Smallest value.
    public var min: Double
    /// Largest value.
    public var max: Double

    /// Summarises `values` (seconds; negatives count as 0); nil when there are none.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let clamped = values.map { Swift.max($0, 0) }
        var histogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
        for value in clamped {
            histogram.record(UInt64((value * 1e6).rounded()))
        }
        let maximum = clamped.max() ?? 0
        func seconds(_ p: Double) -> Double {
            Swift.min(Double(histogram.valueAtPercentile(p)) / 1e6, maximum)
        }
        count = clamped.count
        mean = clamped.reduce(0, +) / Double(clamped.count)
        p50 = seconds(50)
        p90 = seconds(90)
        p95 = seconds(95)
        p99 = seconds(99)
        p999 = seconds(99.9)
        min = clamped.min() ?? 0
        max = maximum
    }
}

/// The outcome of a load run: counts, rates, goodput and latency distributions.
///
/// Latencies other than scheduler lag cover successful requests only; ``itl`` pools every
/// inter-token gap of every successful request (so long answers weigh more, as in vLLM's ITL).
public struct LoadSummary: Sendable, Codable, Hashable {
    /// Wall-clock length of the run, seconds.
    public var elapsed: Double
    /// Requests sent.
    public var requests: Int
    /// Requests that completed without error.
    public var succeeded: Int
    /// Requests that failed.
    public var failed: Int
    /// Failures per ``ErrorKind`` raw value; kinds that did not occur are absent.
    public var errorsByKind: [String: Int]
    /// The first message the server gave for each ``ErrorKind`` raw value
    /// (``RequestResult/errorMessage``); nil when no failure came with one.
    public var errorMessages: [String: String]?
    /// Successful requests per second of ``elapsed``.
    public var requestThroughput: Double
    /// Output tokens of successful requests per second of ``elapsed``.
    public var outputTokensPerSecond: Double
    /// The SLO goodput was judged against, if any.
    public var slo: SLO?
    /// Fraction of all requests (failures included) that met ``slo``; nil without one.
    public var goodput: Double?
    /// Requests that met ``slo`` per second of ``elapsed``; nil without an SLO.
    public var goodputPerSecond: Double?
    /// Time to first token.
    public var ttft: LatencySummary?
    /// Inter-token gaps, all pooled.
    public var itl: LatencySummary?
    /// Time per output token after the first.
    public var tpot: LatencySummary?
    /// End-to-end time.
    public var e2e: LatencySummary?
    /// How late the client sent requests behind their intended times (all requests).
    public var schedulerLag: LatencySummary?

    /// Aggregates `results` over a run of `elapsed` seconds; rates are 0 when `elapsed ≤ 0`.
    public init(results: [RequestResult], elapsed: Double, slo: SLO? = nil) {
        let successes = results.filter(\.succeeded)
        func perSecond(_ count: Double) -> Double { elapsed > 0 ? count / elapsed : 0 }
        self.elapsed = elapsed
        requests = results.count
        succeeded = successes.count
        failed = results.count - successes.count
        var errors: [String: Int] = [:]
        for case let kind? in results.map(\.error) { errors[kind.rawValue, default: 0] += 1 }
        errorsByKind = errors
        var messages: [String: String] = [:]
        for result in results {
            if let kind = result.error, let message = result.errorMessage, messages[kind.rawValue] == nil {
                messages[kind.rawValue] = message
            }
        }
        errorMessages = messages.isEmpty ? nil : messages
        requestThroughput = perSecond(Double(successes.count))
        outputTokensPerSecond = perSecond(Double(successes.reduce(0) { $0 + ($1.outputTokens ?? 0) }))
        self.slo = slo
        if let slo {
            let met = results.filter { slo.isMet(by: $0) }.count
            goodput = results.isEmpty ? 0 : Double(met) / Double(results.count)
            goodputPerSecond = perSecond(Double(met))
        }
        ttft = LatencySummary(successes.compactMap(\.ttft))
        itl = LatencySummary(successes.flatMap(\.gaps))
        tpot = LatencySummary(successes.compactMap(\.timePerOutputToken))
        e2e = LatencySummary(successes.map(\.endToEnd))
        schedulerLag = LatencySummary(results.map(\.schedulerLag))
    }

    private enum CodingKeys: String, CodingKey {
        case elapsed, requests, succeeded, failed, slo, goodput, ttft, itl, tpot, e2e
        case errorsByKind = "errors_by_kind"
        case errorMessages = "error_messages"
        case requestThroughput = "request_throughput"
        case outputTokensPerSecond = "output_tokens_per_second"
        case goodputPerSecond = "goodput_per_second"
        case schedulerLag = "scheduler_lag"
    }
}
