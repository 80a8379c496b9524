/// The end of a soak: what happened to the requests, the gateway's memory, and the goals.
/// Pure: ``init(duration:streams:killInterval:clientTimeout:counts:samples:nodeKills:interrupted:)``
/// judges values, so tests pin the goals without running anything.
public struct SoakSummary: Sendable, Equatable, Codable {
    /// Requests by outcome; `started` is the sum of the others.
    public struct Requests: Sendable, Equatable, Codable {
        public var started: Int
        public var completed: Int
        public var cleanErrors: Int
        public var hangs: Int
        public var resets: Int
        public var interrupted: Int
    }

    /// One reading of the gateway's resident memory.
    public struct RSSSample: Sendable, Equatable, Codable {
        /// Seconds since the clients started.
        public var seconds: Double
        /// `VmRSS` of /proc/PID/status, in bytes.
        public var bytes: Int

        /// A sample at `seconds` of `bytes`.
        public init(seconds: Double, bytes: Int) {
            self.seconds = seconds
            self.bytes = bytes
        }
    }

    /// The soak's goals; `rssFlat` is `nil` when a window had no sample (a run too short to judge).
    public struct Goals: Sendable, Equatable, Codable {
        /// The last window's mean RSS within 10% of the second window's.
        public var rssFlat: Bool?
        /// No client gave up waiting for a byte.
        public var noHangs: Bool
        /// Every streamed line was a JSON object.
        public var noMalformedLines: Bool
    }

    public var durationSeconds: Double
    public var streams: Int
    public var killIntervalSeconds: Double
    public var clientTimeoutSeconds: Double
    public var requests: Requests
    public var malformedLines: Int
    public var nodeKills: Int
    /// The RSS windows' length: a minute, or a third of a shorter run.
    public var rssWindowSeconds: Double
    public var rssSecondWindowMeanBytes: Double?
    public var rssLastWindowMeanBytes: Double?
    /// `last / second - 1`.
    public var rssChange: Double?
    public var rssSamples: [RSSSample]
    public var cleanErrorReasons: [String: Int]
    public var resetReasons: [String: Int]
    /// Whether Ctrl-C (or a failed child) ended the soak early.
    public var interrupted: Bool
    public var goals: Goals
    /// Every goal held and the soak ran to its end.
    public var passed: Bool

    /// Largest relative change between the second and the last window's mean RSS that counts as flat.
    public static let rssTolerance = 0.10

    /// Judges a finished soak.
    public init(
        duration: Duration,
        streams: Int,
        killInterval: Duration,
        clientTimeout: Duration,
        counts: SoakCounts,
        samples: [RSSSample],
        nodeKills: Int,
        interrupted: Bool
    ) {
        durationSeconds = duration.inSeconds
        self.streams = streams
        killIntervalSeconds = killInterval.inSeconds
        clientTimeoutSeconds = clientTimeout.inSeconds
        requests = Requests(
            started: counts.started,
            completed: counts[.completed],
            cleanErrors: counts[.cleanError],
            hangs: counts[.hang],
            resets: counts[.reset],
            interrupted: counts[.interrupted]
        )
        malformedLines = counts.malformedLines
        self.nodeKills = nodeKills
        rssSamples = samples
        cleanErrorReasons = counts.cleanErrorReasons
        resetReasons = counts.resetReasons
        self.interrupted = interrupted
        let total = duration.inSeconds
        let window = min(60, total / 3)
        rssWindowSeconds = window
        rssSecondWindowMeanBytes = Self.mean(samples.filter { $0.seconds >= window && $0.seconds < 2 * window })
        rssLastWindowMeanBytes = Self.mean(samples.filter { $0.seconds >= total - window && $0.seconds <= total })
        var rssFlat: Bool?
        if let second = rssSecondWindowMeanBytes, let last = rssLastWindowMeanBytes, second > 0 {
            rssChange = last / second - 1
            rssFlat = abs(last / second - 1) <= Self.rssTolerance
        }
        goals = Goals(rssFlat: rssFlat, noHangs: counts[.hang] == 0, noMalformedLines: counts.malformedLines == 0)
        passed = !interrupted && goals.rssFlat != false && goals.noHangs && goals.noMalformedLines
    }

    private static func mean(_ samples: [RSSSample]) -> Double? {
        samples.isEmpty ? nil : Double(samples.reduce(0) { $0 + $1.bytes }) / Double(samples.count)
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
