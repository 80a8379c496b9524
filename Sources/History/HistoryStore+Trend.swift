import GRDB
import PerfReport
import PerfStats

/// Which runs a trend compares: one host fingerprint and one branch, so like is compared with like.
public struct TrendScope: Sendable, Hashable {
    /// Host fingerprint (``HostFingerprint``); `nil` takes the newest run's that has the benchmark.
    public var host: String?
    /// Branch; `nil` takes the newest run's that has the benchmark.
    public var branch: String?

    public init(host: String? = nil, branch: String? = nil) {
        self.host = host
        self.branch = branch
    }
}

extension HistoryStore {
    /// The median of `metric` (default: the benchmark's primary metric) over the runs in `scope`,
    /// oldest first, with its change points.
    /// - Throws: ``HistoryError`` of kind `notFound` naming what the history does hold.
    public func trend(
        benchmark: String,
        metric: String? = nil,
        scope: TrendScope = .init(),
        options: ChangePointOptions = .init()
    ) throws(HistoryError) -> TrendSeries {
        do {
            return try pool.read { db in
                let metrics = try String.fetchAll(
                    db,
                    sql: "SELECT DISTINCT metric FROM measurements WHERE benchmark = ? ORDER BY metric",
                    arguments: [benchmark]
                )
                guard !metrics.isEmpty else {
                    let known = try String.fetchAll(db, sql: "SELECT DISTINCT benchmark FROM measurements ORDER BY benchmark LIMIT 11")
                    let list =
                        known.isEmpty
                        ? "the history is empty" : "it has: " + known.prefix(10).joined(separator: ", ") + (known.count > 10 ? ", …" : "")
                    throw HistoryError(.notFound, "\(self.path): benchmark \"\(benchmark)\" is not in the history (\(list))")
                }
                let chosen = metric ?? MetricRoles.primary(amongNames: metrics) ?? metrics[0]
                guard metrics.contains(chosen) else {
                    throw HistoryError(
                        .notFound,
                        "\(self.path): benchmark \"\(benchmark)\" has no metric \"\(chosen)\" in the history (it has: \(metrics.joined(separator: ", ")))"
                    )
                }
                let newest = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT r.host_fingerprint, r.branch FROM runs r JOIN measurements m ON m.run_id = r.id
                        WHERE m.benchmark = ? AND m.metric = ? ORDER BY r.created_at DESC, r.id DESC LIMIT 1
                        """,
                    arguments: [benchmark, chosen]
                )
                let host: String = scope.host ?? newest?["host_fingerprint"] ?? "unknown"
                let branch: String = scope.branch ?? newest?["branch"] ?? "unknown"
                return try Self.series(db, benchmark: benchmark, metric: chosen, host: host, branch: branch, options: options)
            }
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    /// Trends for the primary metric of each benchmark of `report`, on its host and branch;
    /// series with fewer than 2 runs are left out.
    public func trends(for report: PerformanceReport, options: ChangePointOptions = .init()) throws(HistoryError) -> [TrendSeries] {
        let (_, branch, _, host) = Self.key(report)
        do {
            return try pool.read { db in
                try report.benchmarks.compactMap { benchmark -> TrendSeries? in
                    guard let metric = MetricRoles.primary(of: benchmark) else { return nil }
                    let series = try Self.series(
                        db,
                        benchmark: benchmark.name,
                        metric: metric.name,
                        host: host,
                        branch: branch,
                        options: options
                    )
                    return series.points.count >= 2 ? series : nil
                }
            }
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    static func series(
        _ db: Database,
        benchmark: String,
        metric: String,
        host: String,
        branch: String,
        options: ChangePointOptions
    ) throws -> TrendSeries {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT r.commit_hash, r.branch, r.created_at, m.median, m.unit FROM runs r JOIN measurements m ON m.run_id = r.id
                WHERE m.benchmark = ? AND m.metric = ? AND r.host_fingerprint = ? AND r.branch = ?
                ORDER BY r.created_at, r.id
                """,
            arguments: [benchmark, metric, host, branch]
        )
        let points = rows.map { TrendPoint(commit: $0["commit_hash"], branch: $0["branch"], time: $0["created_at"], median: $0["median"]) }
        let unit: String = rows.last?["unit"] ?? ""
        let found = try Stats.changePoints(points.map(\.median), options: options)
        let changes = found.map {
            TrendChange(
                index: $0.index,
                commit: points[$0.index].commit,
                medianBefore: $0.medianBefore,
                medianAfter: $0.medianAfter,
                pValue: $0.pValue
            )
        }
        return TrendSeries(benchmark: benchmark, metric: metric, unit: unit, points: points, changes: changes)
    }
}
