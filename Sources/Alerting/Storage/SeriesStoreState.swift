/// One series' samples: parallel arrays with a moving start, so dropping old samples is amortised O(1).
struct StoredSeries {
    let labels: Labels
    var timestamps: [Int64] = []
    var values: [Double] = []
    /// Index of the first retained sample.
    var start = 0

    var isEmpty: Bool { start >= timestamps.count }
    var count: Int { timestamps.count - start }

    /// The retained samples in `from...through`.
    func window(from: Int64, through: Int64) -> (ArraySlice<Int64>, ArraySlice<Double>) {
        let lower = firstIndex(atOrAfter: from)
        let upper = firstIndex(atOrAfter: through == Int64.max ? through : through + 1)
        if lower >= upper { return ([], []) }
        return (timestamps[lower..<upper], values[lower..<upper])
    }

    /// Binary search for the first retained sample at or after `time`.
    func firstIndex(atOrAfter time: Int64) -> Int {
        var low = start
        var high = timestamps.count
        while low < high {
            let middle = (low + high) / 2
            if timestamps[middle] < time {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    mutating func dropSamples(before time: Int64) {
        start = firstIndex(atOrAfter: time)
        // Compact once the dead prefix outweighs the live samples, keeping the arrays contiguous.
        if start > 256 && start * 2 > timestamps.count {
            timestamps.removeFirst(start)
            values.removeFirst(start)
            start = 0
        }
    }
}

/// The mutable state behind ``SeriesStore``, guarded by its mutex.
struct SeriesStoreState {
    let retentionMs: Int64
    private var series: [Int: StoredSeries] = [:]
    private var ids: [Labels: Int] = [:]
    /// Series ids per metric name, kept sorted by labels so selects need no sort.
    private var byName: [String: [Int]] = [:]
    private var nextID = 0
    private var lastScrape: [String: Set<Int>] = [:]
    private var newestTimestamp = Int64.min
    private var nextTruncation = Int64.min

    init(retentionMs: Int64) {
        self.retentionMs = retentionMs
    }

    var seriesCount: Int { series.count }
    var sampleCount: Int { series.values.reduce(0) { $0 + $1.count } }
    /// The time of the oldest sample held, if any.
    var oldestTimestamp: Int64? {
        series.values.compactMap { $0.isEmpty ? nil : $0.timestamps[$0.start] }.min()
    }

    mutating func append(labels: Labels, timestampMs: Int64, value: Double) -> SeriesStore.AppendOutcome {
        appendReturningID(labels: labels, timestampMs: timestampMs, value: value).outcome
    }

    mutating func appendScrape(_ samples: [(labels: Labels, value: Double)], timestampMs: Int64, target: String) -> Int {
        var refused = 0
        var seen = Set<Int>()
        seen.reserveCapacity(samples.count)
        for sample in samples {
            let (outcome, id) = appendReturningID(labels: sample.labels, timestampMs: timestampMs, value: sample.value)
            if outcome != .stored { refused += 1 }
            if let id { seen.insert(id) }
        }
        for id in lastScrape[target, default: []] where !seen.contains(id) {
            guard var stored = series[id], let last = stored.timestamps.last, last < timestampMs else { continue }
            if StaleMarker.isStale(stored.values[stored.values.count - 1]) { continue }
            series[id] = nil
            stored.timestamps.append(timestampMs)
            stored.values.append(StaleMarker.value)
            series[id] = stored
        }
        lastScrape[target] = seen
        return refused
    }

    private mutating func appendReturningID(
        labels: Labels,
        timestampMs: Int64,
        value: Double
    ) -> (
        outcome: SeriesStore.AppendOutcome, id: Int?
    ) {
        if newestTimestamp != Int64.min && timestampMs < newestTimestamp - retentionMs {
            return (.tooOld, ids[labels])
        }
        let id = ids[labels] ?? create(labels)
        // Take the series out of the dictionary while appending so its arrays stay uniquely referenced.
        guard var stored = series.removeValue(forKey: id) else { return (.tooOld, nil) }
        defer { series[id] = stored }
        if let last = stored.timestamps.last, stored.count > 0 {
            if timestampMs < last { return (.outOfOrder, id) }
            if timestampMs == last {
                let same = stored.values[stored.values.count - 1].bitPattern == value.bitPattern
                return (same ? .stored : .duplicateTimestamp, id)
            }
        }
        stored.timestamps.append(timestampMs)
        stored.values.append(value)
        if timestampMs > newestTimestamp {
            newestTimestamp = timestampMs
            if timestampMs >= nextTruncation {
                // Sweep at most every 1/16 of the retention, so appends stay O(1) amortised.
                nextTruncation = timestampMs + max(1, retentionMs / 16)
                series[id] = stored
                truncate(before: timestampMs - retentionMs)
                stored = series.removeValue(forKey: id) ?? stored
            }
        }
        return (.stored, id)
    }

    private mutating func create(_ labels: Labels) -> Int {
        let id = nextID
        nextID += 1
        ids[labels] = id
        series[id] = StoredSeries(labels: labels)
        let name = labels.metricName ?? ""
        var list = byName[name, default: []]
        let position = insertionIndex(of: labels, in: list)
        list.insert(id, at: position)
        byName[name] = list
        return id
    }

    private func insertionIndex(of labels: Labels, in list: [Int]) -> Int {
        var low = 0
        var high = list.count
        while low < high {
            let middle = (low + high) / 2
            if let other = series[list[middle]]?.labels, other < labels {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    mutating func truncate(before cutoff: Int64) {
        var gone = Set<Int>()
        for id in Array(series.keys) {
            guard var stored = series.removeValue(forKey: id) else { continue }
            stored.dropSamples(before: cutoff)
            if stored.isEmpty {
                gone.insert(id)
                ids[stored.labels] = nil
            } else {
                series[id] = stored
            }
        }
        guard !gone.isEmpty else { return }
        for (name, list) in byName {
            let kept = list.filter { !gone.contains($0) }
            byName[name] = kept.isEmpty ? nil : kept
        }
        for (target, members) in lastScrape {
            lastScrape[target] = members.subtracting(gone)
        }
    }

    func select(_ matchers: [LabelMatcher], from: Int64, through: Int64) -> [SeriesSamples] {
        var result: [SeriesSamples] = []
        for id in candidates(for: matchers) {
            guard let stored = series[id] else { continue }
            if !matchers.allSatisfy({ $0.matches(stored.labels) }) { continue }
            let (timestamps, values) = stored.window(from: from, through: through)
            if timestamps.isEmpty { continue }
            result.append(SeriesSamples(labels: stored.labels, timestamps: timestamps, values: values))
        }
        return result
    }

    /// Series ids that can match, sorted by labels: one name's list when a matcher fixes the name.
    private func candidates(for matchers: [LabelMatcher]) -> [Int] {
        for matcher in matchers where matcher.name == Labels.metricName && matcher.kind == .equal {
            return byName[matcher.value] ?? []
        }
        let names = byName.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let nameMatchers = matchers.filter { $0.name == Labels.metricName }
        var result: [Int] = []
        for name in names where nameMatchers.allSatisfy({ $0.matches(name) }) {
            result += byName[name] ?? []
        }
        // Lists are sorted within a name and names ascend, and __name__ sorts before every ordinary label
        // but after labels such as `__address__`; re-sort to keep labels.Compare order in every case.
        return result.sorted { (series[$0]?.labels ?? .empty) < (series[$1]?.labels ?? .empty) }
    }
}
