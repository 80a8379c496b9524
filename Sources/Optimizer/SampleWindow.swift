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
    /// Successes whose node said whether they waited for a slot, and those that waited.
    var slotReports = 0
    var slotWaits = 0
    var maxInFlight = 0
    /// Whether a drop already cut the limit in this window.
    var cut = false

    init(start: Duration, length: Duration) {
        self.start = start
        self.length = length
    }

    /// Latency samples and drops: what counts toward `minSamples`.
    var signals: Int { ttfts.count + drops }

    mutating func add(ttft: Duration, timePerOutputToken: Duration?, waitedForSlot: Bool?) {
        let seconds = ttft.seconds
        guard seconds >= Self.shortest else { return }
        ttfts.append(seconds)
        if let tpot = timePerOutputToken?.seconds, tpot > 0 { timesPerOutputToken.append(tpot) }
        if let waitedForSlot {
            slotReports += 1
            if waitedForSlot { slotWaits += 1 }
        }
    }

    /// Whether the node said its requests got a slot at once: most successes came with the
    /// report and under ``AdaptiveLimit/slotQueueShare`` of them waited. Inflated TTFT in such
    /// a window is prefills sharing the node, not a queue.
    var nodeQueueAbsent: Bool {
        slotReports * 2 >= ttfts.count && slotReports > 0
            && Double(slotWaits) < AdaptiveLimit.slotQueueShare * Double(slotReports)
    }

    /// Whether the node said most of its requests waited for a slot: most successes came with
    /// the report and half or more of them waited. The limit is over the node's slots.
    var nodeQueueMostly: Bool {
        slotReports * 2 >= ttfts.count && slotReports > 0 && slotWaits * 2 >= slotReports
    }

    func isReady(now: Duration, minSamples: Int) -> Bool {
        now - start >= length && signals >= minSamples
    }

    var progress: LimiterState.WindowProgress {
        .init(samples: ttfts.count, drops: drops, maxInFlight: maxInFlight, start: start, length: length)
    }
}
