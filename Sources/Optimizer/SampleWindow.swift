/// The signals of one window (Netflix's `WindowedLimit`): it closes once it has lasted its
/// length and holds at least `minSamples` signals.
struct SampleWindow: Sendable, Hashable {
    /// Samples under 100 µs are not a node's answer (a cached error, a clock glitch): ignored.
    static let shortest = 100e-6

    var start: Duration
    var length: Duration
    var ttfts: [Double] = []
    var timesPerOutputToken: [Double] = []
    var drops = 0
    var maxInFlight = 0
    /// Whether a drop already cut the limit in this window.
    var cut = false

    init(start: Duration, length: Duration) {
        self.start = start
        self.length = length
    }

    /// Latency samples and drops: what counts toward `minSamples`.
    var signals: Int { ttfts.count + drops }

    mutating func add(ttft: Duration, timePerOutputToken: Duration?) {
        let seconds = ttft.seconds
        guard seconds >= Self.shortest else { return }
        ttfts.append(seconds)
        if let tpot = timePerOutputToken?.seconds, tpot > 0 { timesPerOutputToken.append(tpot) }
    }

    func isReady(now: Duration, minSamples: Int) -> Bool {
        now - start >= length && signals >= minSamples
    }

    var progress: LimiterState.WindowProgress {
        .init(samples: ttfts.count, drops: drops, maxInFlight: maxInFlight, start: start, length: length)
    }
}
