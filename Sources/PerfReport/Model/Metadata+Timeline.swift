extension Metadata {
    /// Label saying where the report's timeline comes from, when it is not the measuring process
    /// itself: `load` writes the scraped URL (`http://127.0.0.1:8080/metrics`) or why it has no
    /// timeline (`none: no target serves /metrics with process metrics`).
    public static let timelineSourceLabel = "timeline_source"
    /// Label that is `false` when the timeline measures a process on another machine than
    /// ``host``, so its CPU and memory must not be judged against this host's cores and RAM.
    public static let timelineOnHostLabel = "timeline_on_host"

    /// ``timelineSourceLabel``'s value, if the report has one.
    public var timelineSource: String? { labels?[Self.timelineSourceLabel] }

    /// Whether the timeline's readings come from a process on ``host`` (true unless the report
    /// says otherwise with ``timelineOnHostLabel``).
    public var timelineIsOnHost: Bool { labels?[Self.timelineOnHostLabel] != "false" }
}
