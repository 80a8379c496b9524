/// One metric of one benchmark over the runs in history, with its change points.
public struct TrendSeries: Sendable, Hashable, Codable {
    public var benchmark: String
    public var metric: String
    public var unit: String
    /// The runs in time order.
    public var points: [TrendPoint]
    /// Where the medians shifted (E-divisive, see `Stats.changePoints`).
    public var changes: [TrendChange]

    /// Creates a trend from its runs and change points.
    public init(benchmark: String, metric: String, unit: String, points: [TrendPoint], changes: [TrendChange]) {
        self.benchmark = benchmark
        self.metric = metric
        self.unit = unit
        self.points = points
        self.changes = changes
    }
}

/// One run's value of a trend.
public struct TrendPoint: Sendable, Hashable, Codable {
    /// Full commit hash, or `unknown`.
    public var commit: String
    public var branch: String
    /// ISO-8601 time of the run.
    public var time: String
    public var median: Double

    /// Creates one run's point.
    public init(commit: String, branch: String, time: String, median: Double) {
        self.commit = commit
        self.branch = branch
        self.time = time
        self.median = median
    }
}

/// A shift in a trend: the first run after it, and the medians either side.
public struct TrendChange: Sendable, Hashable, Codable {
    /// Index into ``TrendSeries/points`` of the first run after the shift.
    public var index: Int
    public var commit: String
    public var medianBefore: Double
    public var medianAfter: Double
    public var pValue: Double

    /// Creates a change point of a trend.
    public init(index: Int, commit: String, medianBefore: Double, medianAfter: Double, pValue: Double) {
        self.index = index
        self.commit = commit
        self.medianBefore = medianBefore
        self.medianAfter = medianAfter
        self.pValue = pValue
    }

    enum CodingKeys: String, CodingKey {
        case index, commit
        case medianBefore = "median_before"
        case medianAfter = "median_after"
        case pValue = "p_value"
    }
}
