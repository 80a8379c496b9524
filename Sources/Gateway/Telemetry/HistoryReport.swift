import Telemetry

/// The body of `GET /ollamamax/history`: sample times and one column per series; `null` where a
/// value is unknown (no requests in the interval, so no latency).
public struct HistoryReport: Sendable, Hashable, Codable {
    public var intervalSeconds: Double
    public var capacity: Int
    /// Unix seconds of each sample, oldest first.
    public var times: [Double]
    public var series: [String: [Double?]]

    enum CodingKeys: String, CodingKey {
        case intervalSeconds = "interval_seconds"
        case capacity, times, series
    }

    public init(_ history: MetricHistory, after: Double? = nil) {
        let points = history.points(after: after)
        intervalSeconds = history.intervalSeconds
        capacity = history.capacity
        times = points.map(\.time)
        var series: [String: [Double?]] = [:]
        for (index, name) in HistorySeries.allCases.enumerated() {
            series[name.rawValue] = points.map { point in
                index < point.values.count && point.values[index].isFinite ? point.values[index] : nil
            }
        }
        self.series = series
    }
}
