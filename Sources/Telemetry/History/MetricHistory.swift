import Synchronization

/// The in-memory history: one point of every ``HistorySeries`` per sample, newest last, bounded.
///
/// Memory is `capacity × (1 + series count) × 8` bytes plus array overhead: the default 720
/// points of 19 series (one hour at 5 s) hold about 115 KiB.
public final class MetricHistory: Sendable {
    /// One sample: when it was taken (Unix seconds) and a value per series, in ``HistorySeries/allCases`` order.
    public struct Point: Sendable, Hashable {
        public var time: Double
        public var values: [Double]

        public init(time: Double, values: [Double]) {
            self.time = time
            self.values = values
        }

        /// The value of `series`, NaN if unknown.
        public func value(_ series: HistorySeries) -> Double {
            guard let index = HistorySeries.allCases.firstIndex(of: series), index < values.count else { return .nan }
            return values[index]
        }
    }

    public let capacity: Int
    /// Seconds between samples, for readers that plot the series.
    public let intervalSeconds: Double
    private let points: Mutex<RingBuffer<Point>>

    public init(capacity: Int, intervalSeconds: Double) {
        self.capacity = max(1, capacity)
        self.intervalSeconds = intervalSeconds
        points = Mutex(RingBuffer(capacity: capacity))
    }

    public func append(_ point: Point) {
        points.withLock { $0.append(point) }
    }

    /// The points taken after `time` (all when `nil`), oldest first.
    public func points(after time: Double? = nil) -> [Point] {
        let all = points.withLock { $0.elements }
        guard let time else { return all }
        return all.filter { $0.time > time }
    }

    /// The newest point.
    public var last: Point? {
        points.withLock { $0.last }
    }
}
