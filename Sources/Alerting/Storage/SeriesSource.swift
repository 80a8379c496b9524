/// The samples of one series inside a time window, as the evaluator reads them.
///
/// `timestamps` and `values` are parallel slices in time order; they share storage with the store,
/// so reading a window copies nothing. Stale markers (``StaleMarker``) are included as stored.
public struct SeriesSamples: Sendable {
    /// The series' labels, including `__name__`.
    public let labels: Labels
    /// Sample times in milliseconds since the Unix epoch, ascending.
    public let timestamps: ArraySlice<Int64>
    /// Sample values, parallel to `timestamps`.
    public let values: ArraySlice<Double>

    /// Creates a window of samples.
    public init(labels: Labels, timestamps: ArraySlice<Int64>, values: ArraySlice<Double>) {
        self.labels = labels
        self.timestamps = timestamps
        self.values = values
    }
}

/// Where the PromQL evaluator reads series from.
public protocol SeriesSource: Sendable {
    /// The series whose labels satisfy every matcher, with their samples in `from...through`
    /// (milliseconds, both ends inclusive), sorted by labels (Prometheus' `labels.Compare`).
    ///
    /// Series without samples in the window may be returned with empty slices or left out.
    func select(_ matchers: [LabelMatcher], from: Int64, through: Int64) -> [SeriesSamples]
}

/// Prometheus' stale marker: a NaN with a fixed bit pattern that ends a series at once, instead of
/// letting it linger for the 5-minute lookback.
public enum StaleMarker {
    /// The bit pattern of Prometheus' `StaleNaN`.
    public static let bitPattern: UInt64 = 0x7ff0_0000_0000_0002
    /// The stale marker as a value.
    public static let value = Double(bitPattern: bitPattern)

    /// Whether `value` is the stale marker (ordinary NaNs are not).
    @inline(__always)
    public static func isStale(_ value: Double) -> Bool {
        value.bitPattern == bitPattern
    }
}
