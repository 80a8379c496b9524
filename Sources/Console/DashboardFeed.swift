import Alerting
import Foundation
import Synchronization

/// The panels' data for the dashboard's event stream, evaluated over the series store: a whole
/// window when a page connects, one point per panel series at each sample.
public struct DashboardFeed: Sendable {
    public let panels: [DashboardPanel]
    public let store: SeriesStore
    /// Seconds between samples (the gateway's scrape interval).
    public let interval: Double
    /// Seconds of history a page is sent when it connects.
    public let window: Double
    public let monitoring: Bool
    /// The last `sample` event, so the open pages share one evaluation of the panels per sample.
    private let latestSample = LastEvaluation<ServerSentEvent>()
    /// The last window sent, so pages that connect in the same step share its evaluation.
    private let latestRange = LastEvaluation<[ServerSentEvent]>()

    /// Seconds between the points of the window a page gets when it connects: the interval, or
    /// coarser, so the window has at most 360 points (a chart is about 400 pixels wide). Evaluating
    /// an hour at 1 s once took 0.4 s of CPU per page.
    public var rangeStep: Double { max(interval, window / 360) }

    public init(store: SeriesStore, interval: Double, window: Double, monitoring: Bool) {
        panels = DashboardPanel.all(monitoring: monitoring)
        self.store = store
        self.interval = interval
        self.window = window
        self.monitoring = monitoring
    }

    /// One series of a panel at one time.
    public struct Value: Sendable, Encodable, Hashable {
        public var name: String
        public var labels: [String: String]
        public var value: Double?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(labels, forKey: .labels)
            try container.encode(value.flatMap { $0.isFinite ? $0 : nil }, forKey: .value)
        }

        enum CodingKeys: String, CodingKey { case name, labels, value }
    }

    /// Every panel's series at `time` (Unix seconds); a query that fails gives no series.
    public func values(at time: Double) -> [String: [Value]] {
        let evaluator = PromQLEvaluator(source: store)
        let milliseconds = Int64((time * 1000).rounded())
        var result: [String: [Value]] = [:]
        for panel in panels {
            var values: [Value] = []
            for query in panel.queries {
                guard let samples = try? evaluator.evaluate(query.expression, at: milliseconds).ruleVector() else { continue }
                for sample in samples {
                    values.append(
                        Value(
                            name: panel.name(of: sample.labels, query: query),
                            labels: sample.labels.removing("__name__").dictionary,
                            value: sample.value
                        )
                    )
                }
            }
            result[panel.id] = values.sorted { $0.name < $1.name }
        }
        return result
    }

    /// The `panels` event: what the page draws, in order.
    public func panelsEvent() -> ServerSentEvent {
        struct Panel: Encodable {
            var id: String
            var title: String
            var unit: String
            var note: String?
        }
        struct Body: Encodable {
            var interval_seconds: Double
            var range_step_seconds: Double
            var window_seconds: Double
            var monitoring: Bool
            var panels: [Panel]
        }
        let body = Body(
            interval_seconds: interval,
            range_step_seconds: rangeStep,
            window_seconds: window,
            monitoring: monitoring,
            panels: panels.map { Panel(id: $0.id, title: $0.title, unit: $0.unit, note: $0.note) }
        )
        return ServerSentEvent(event: "panels", json: body)
    }

    /// The `range` events for a page that connects at `now`: each panel's series over the window
    /// (or since the oldest sample held, when that is later), one point per ``rangeStep`` on the
    /// step's multiples up to `now`, nil where a series had no value.
    public func rangeEvents(now: Double) -> [ServerSentEvent] {
        let step = rangeStep
        let last = (now / step).rounded(.down) * step
        let oldest = store.oldestTimestampMs.map { (Double($0) / 1000 / step).rounded(.down) * step } ?? last
        let first = max(last - window, min(oldest, last))
        return latestRange.value(at: last) {
            rangeEvents(times: (0...Int(((last - first) / step).rounded())).map { first + Double($0) * step })
        }
    }

    private func rangeEvents(times: [Double]) -> [ServerSentEvent] {
        struct Series: Encodable {
            var name: String
            var labels: [String: String]
            var points: [[Double?]]
        }
        struct Body: Encodable {
            var panel: String
            var series: [Series]
        }
        var series: [String: [String: Series]] = [:]
        for (index, time) in times.enumerated() {
            for (panel, values) in self.values(at: time) {
                for value in values {
                    var entry = series[panel]?[value.name] ?? Series(name: value.name, labels: value.labels, points: [])
                    // Earlier steps without this series are gaps.
                    while entry.points.count < index { entry.points.append([times[entry.points.count], nil]) }
                    entry.points.append([time, value.value.flatMap { $0.isFinite ? $0 : nil }])
                    series[panel, default: [:]][value.name] = entry
                }
            }
        }
        return panels.map { panel in
            let list = (series[panel.id] ?? [:]).values.sorted { $0.name < $1.name }
            return ServerSentEvent(event: "range", json: Body(panel: panel.id, series: list))
        }
    }

    /// The `sample` event at `time`, evaluated once for all the pages that ask for the same time.
    public func sampleEvent(at time: Double) -> ServerSentEvent {
        struct Body: Encodable {
            var time: Double
            var panels: [String: [Value]]
        }
        return latestSample.value(at: time) { ServerSentEvent(event: "sample", json: Body(time: time, panels: values(at: time))) }
    }
}

/// The newest evaluation and the time it is for. The pages that ask for the same time wait for
/// the first one's evaluation instead of repeating it.
final class LastEvaluation<Value: Sendable>: Sendable {
    private let last = Mutex<(time: Double, value: Value)?>(nil)

    func value(at time: Double, make: () -> Value) -> Value {
        last.withLock { last in
            if let last, last.time == time { return last.value }
            let value = make()
            last = (time, value)
            return value
        }
    }
}
