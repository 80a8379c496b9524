import Foundation

/// Several servers under the same load at once, in one run: how to compare paths (a node
/// direct, through nginx, through the gateway) on a shared machine whose stalls move a single
/// run's p99 by milliseconds.
///
/// Each lane (one ``LoadRunner`` per server) gets the whole load of the options. Open-loop lanes
/// take turns: lane k of n sends k/n of a gap after lane 0, so the lanes' requests interleave
/// and a stall of the machine falls on all of them alike. The lanes warm up one after another,
/// then share one start and one measurement window. What each lane adds to the first is
/// ``AddedLatency``.
public struct SideBySide: Sendable {
    public let lanes: [LoadRunner]

    /// A side-by-side run over `lanes`, the first being the baseline.
    /// - Throws: ``LoadError`` when there is no lane.
    public init(lanes: [LoadRunner]) throws(LoadError) {
        guard !lanes.isEmpty else { throw .schedule("a side-by-side run needs at least one server") }
        self.lanes = lanes
    }

    /// How much later than lane 0 lane `lane` sends, in seconds: a share of the gap between two
    /// sends at the highest rate of `mode` (none in a closed loop, whose clients pace themselves).
    public static func phase(of lane: Int, among count: Int, mode: LoadMode) -> Double {
        let rate: Double
        switch mode {
        case .closed: return 0
        case .open(let schedule): rate = schedule.rate
        case .ramp(let ramp): rate = Swift.max(ramp.from, ramp.to)
        }
        return Double(lane) / Double(count) / rate
    }

    /// Runs every lane's warm-up, then all lanes' measured load at once; the results come per
    /// lane, in the lanes' order.
    public func run(
        _ options: LoadOptions,
        stop: @escaping @Sendable () -> Bool = { false },
        progress: @escaping @Sendable (LoadProgress) -> Void = { _ in }
    ) async -> (results: [[RequestResult]], elapsed: Double) {
        for lane in lanes { await lane.warmUp(options, stop: stop) }
        let sinks = lanes.map { _ in ResultSink() }
        let runStart = ContinuousClock.now
        let reporter = LoadRunner.report(sinks, from: runStart, to: progress)
        defer { reporter.cancel() }
        await withTaskGroup(of: Void.self) { group in
            for (index, lane) in lanes.enumerated() {
                let plan = lane.plan(
                    options,
                    runStart: runStart,
                    phase: Self.phase(of: index, among: lanes.count, mode: options.mode)
                )
                group.addTask {
                    await LoadDriver.drive(plan, runner: lane, sink: sinks[index], runStart: runStart, stop: stop)
                }
            }
        }
        return (sinks.map(\.results), LoadRunner.window(options, since: runStart))
    }
}

extension SideBySide {
    /// What a run prints: each server's summary (under `== <server>` when there are several),
    /// then, with several servers, the table of what each adds to the first (``AddedLatency``).
    public static func text(servers: [String], summaries: [LoadSummary]) -> String {
        var text = ""
        for (server, summary) in zip(servers, summaries) {
            text += servers.count > 1 ? "== \(server)\n" + summary.text() + "\n" : summary.text()
        }
        return text + AddedLatency.table(names: servers, summaries: summaries)
    }
}

/// What one lane's latencies add to the baseline lane's in a ``SideBySide`` run, in seconds
/// (negative when it was faster); nil where either lane has no such latency.
public struct AddedLatency: Sendable, Hashable {
    public var e2eP50: Double?
    public var e2eP99: Double?
    public var ttftP50: Double?
    public var ttftP99: Double?
    /// Inter-token gaps (all pooled, ``LoadSummary/itl``).
    public var itlP50: Double?
    public var itlP99: Double?

    /// What `summary` adds to `base`.
    public init(_ summary: LoadSummary, over base: LoadSummary) {
        func added(_ value: (LoadSummary) -> Double?) -> Double? {
            guard let mine = value(summary), let theirs = value(base) else { return nil }
            return mine - theirs
        }
        e2eP50 = added { $0.e2e?.p50 }
        e2eP99 = added { $0.e2e?.p99 }
        ttftP50 = added { $0.ttft?.p50 }
        ttftP99 = added { $0.ttft?.p99 }
        itlP50 = added { $0.itl?.p50 }
        itlP99 = added { $0.itl?.p99 }
    }

    /// The comparison table of a side-by-side run: one row per lane after the first, in ms.
    ///
    /// ```
    /// added to http://127.0.0.1:11434 (same load, same moments), ms:
    /// lane                               e2e p50   e2e p99  ttft p50  ttft p99   itl p50   itl p99
    /// http://127.0.0.1:8080               +0.312    +0.954    +0.301    +0.900    +0.012    +0.085
    /// ```
    public static func table(names: [String], summaries: [LoadSummary]) -> String {
        guard let base = summaries.first, let baseName = names.first, summaries.count > 1 else { return "" }
        let width = Swift.max(34, (names.map(\.count).max() ?? 0) + 2)
        func cell(_ value: Double?) -> String {
            let text = value.map { ($0 >= 0 ? "+" : "") + String(format: "%.3f", $0 * 1000) } ?? "-"
            return String(repeating: " ", count: Swift.max(0, 10 - text.count)) + text
        }
        var lines = [
            "added to \(baseName) (same load, same moments), ms:",
            "lane".padding(toLength: width, withPad: " ", startingAt: 0) + "   e2e p50   e2e p99  ttft p50  ttft p99   itl p50   itl p99",
        ]
        for (name, summary) in zip(names, summaries).dropFirst() {
            let added = AddedLatency(summary, over: base)
            lines.append(
                name.padding(toLength: width, withPad: " ", startingAt: 0) + cell(added.e2eP50) + cell(added.e2eP99)
                    + cell(added.ttftP50) + cell(added.ttftP99) + cell(added.itlP50) + cell(added.itlP99)
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
