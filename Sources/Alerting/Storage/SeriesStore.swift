import Synchronization

/// An in-memory time-series store that the gateway appends scrapes into and the evaluator reads.
///
/// Each series keeps its samples in two contiguous arrays (timestamps, values); windows are found by
/// binary search and handed out as slices, and series are indexed by metric name so a select does not
/// scan every series. Samples older than `retention` (measured from the newest appended sample, not a
/// clock) are dropped. A series missing from a scrape of the same target gets a stale marker, so it
/// leaves instant vectors at once, as in Prometheus.
public final class SeriesStore: SeriesSource {
    /// Why an append was refused.
    public enum AppendOutcome: Sendable, Hashable {
        /// The sample was stored (or was an exact duplicate of the newest one).
        case stored
        /// Older than the series' newest sample: Prometheus refuses out-of-order samples.
        case outOfOrder
        /// Same time as the series' newest sample but another value.
        case duplicateTimestamp
        /// Older than the retention window.
        case tooOld
    }

    private let state: Mutex<SeriesStoreState>

    /// Creates an empty store.
    /// - Parameter retention: how much history to keep, measured back from the newest sample appended.
    public init(retention: Duration = .seconds(3600)) {
        let milliseconds = retention.components.seconds * 1000 + retention.components.attoseconds / 1_000_000_000_000_000
        state = Mutex(SeriesStoreState(retentionMs: max(1, milliseconds)))
    }

    /// Appends one sample.
    @discardableResult
    public func append(labels: Labels, timestampMs: Int64, value: Double) -> AppendOutcome {
        state.withLock { $0.append(labels: labels, timestampMs: timestampMs, value: value) }
    }

    /// Appends one scrape of `target` taken at `timestampMs`; series that the previous scrape of the same
    /// target had and this one lacks get a stale marker.
    /// - Returns: how many samples were refused (out of order, duplicate timestamp, too old).
    @discardableResult
    public func appendScrape(_ samples: [(labels: Labels, value: Double)], timestampMs: Int64, target: String = "") -> Int {
        state.withLock { $0.appendScrape(samples, timestampMs: timestampMs, target: target) }
    }

    /// Appends a stale marker for `labels` at `timestampMs`, ending the series now.
    public func markStale(labels: Labels, timestampMs: Int64) {
        state.withLock { _ = $0.append(labels: labels, timestampMs: timestampMs, value: StaleMarker.value) }
    }

    /// The series whose labels satisfy every matcher, with their samples in `from...through`.
    public func select(_ matchers: [LabelMatcher], from: Int64, through: Int64) -> [SeriesSamples] {
        state.withLock { $0.select(matchers, from: from, through: through) }
    }

    /// The number of series held.
    public var seriesCount: Int {
        state.withLock { $0.seriesCount }
    }

    /// The number of samples held, stale markers included.
    public var sampleCount: Int {
        state.withLock { $0.sampleCount }
    }

    /// The time of the oldest sample held (ms since the epoch), or nil when the store is empty.
    public var oldestTimestampMs: Int64? {
        state.withLock { $0.oldestTimestamp }
    }

    /// Drops every sample older than `timestampMs` and every series left empty.
    public func removeSamples(before timestampMs: Int64) {
        state.withLock { $0.truncate(before: timestampMs) }
    }
}
