import Foundation
import History
import PerfReport
import PerfStats
import Testing

/// The SQLite history: storing runs, trends with change points, concurrent writers, bad databases.
struct HistoryStoreTests {
    static func temporaryDatabase() -> String {
        NSTemporaryDirectory() + "history-tests-\(UUID().uuidString)/history.sqlite"
    }

    static func cleanUp(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    /// Run `index` of a history: commit `c<index>`, one hour apart, e2e around `median` ms.
    static func run(_ index: Int, median: Double, host: String = "Xeon", branch: String = "main", seed: UInt64 = 1) -> PerformanceReport {
        var generator = SplitMix64(seed: seed &+ UInt64(index))
        let samples = (0..<10).map { _ in median * (1 + 0.01 * generator.nextGaussian()) }
        let metadata = Metadata(
            createdAt: String(format: "2026-11-%02dT%02d:00:00Z", 1 + index / 24, index % 24),
            git: GitInfo(commit: String(format: "c%039d", index), branch: branch),
            host: HostInfo(hostname: "ci", os: "Debian", cpuModel: host, cores: 2, memoryBytes: 8 << 30)
        )
        return PerformanceReport(
            metadata: metadata,
            benchmarks: [
                Benchmark(
                    name: "Gateway/chat",
                    metrics: [
                        Metric(name: "e2e", unit: "ms", direction: .lowerIsBetter, samples: samples),
                        Metric(name: "allocations", unit: "count", direction: .lowerIsBetter, deterministic: true, samples: [17]),
                    ]
                )
            ]
        )
    }

    @Test func addListAndShowARun() throws {
        let path = Self.temporaryDatabase()
        defer { Self.cleanUp(path) }
        let store = try HistoryStore(path: path, create: true)
        let id = try store.add(Self.run(0, median: 10), source: "r0.json")
        let runs = try store.runs()
        #expect(runs.count == 1 && runs[0].id == id && runs[0].benchmarks == 1 && runs[0].source == "r0.json")
        #expect(runs[0].commit == String(format: "c%039d", 0) && runs[0].branch == "main")
        let (record, report) = try store.run(id: id)
        #expect(record == runs[0] && report == Self.run(0, median: 10))
    }

    @Test func theSameRunTwiceIsRejected() throws {
        let path = Self.temporaryDatabase()
        defer { Self.cleanUp(path) }
        let store = try HistoryStore(path: path, create: true)
        try store.add(Self.run(0, median: 10), source: "a.json")
        #expect { try store.add(Self.run(0, median: 10), source: "a.json") } throws: { ($0 as? HistoryError)?.kind == .duplicate }
        #expect(try store.runs().count == 1)
    }

    @Test func trendFindsAPlantedShiftAndNamesItsCommit() throws {
        let path = Self.temporaryDatabase()
        defer { Self.cleanUp(path) }
        let store = try HistoryStore(path: path, create: true)
        for i in 0..<30 { try store.add(Self.run(i, median: i < 18 ? 10 : 12), source: "r\(i).json") }
        let trend = try store.trend(benchmark: "Gateway/chat")
        #expect(trend.metric == "e2e" && trend.unit == "ms" && trend.points.count == 30)
        let change = try #require(trend.changes.first)
        #expect(trend.changes.count == 1 && change.index == 18 && change.commit == String(format: "c%039d", 18))
        #expect(abs(change.medianBefore - 10) < 0.1 && abs(change.medianAfter - 12) < 0.1)
    }

    @Test func flatHistoryHasNoChangePoint() throws {
        let path = Self.temporaryDatabase()
        defer { Self.cleanUp(path) }
        let store = try HistoryStore(path: path, create: true)
        for i in 0..<30 { try store.add(Self.run(i, median: 10, seed: 99), source: "r\(i).json") }
        #expect(try store.trend(benchmark: "Gateway/chat").changes.isEmpty)
    }

    @Test func trendsOnlyCompareTheSameHostAndBranch() throws {
        let path = Self.temporaryDatabase()
        defer { Self.cleanUp(path) }
        let store = try HistoryStore(path: path, create: true)
        for i in 0..<6 { try store.add(Self.run(i, median: 10), source: "a") }
        for i in 6..<9 { try store.add(Self.run(i, median: 50, host: "EPYC"), source: "b") }
        try store.add(Self.run(9, median: 70, branch: "feature"), source: "c")
        // The newest run is on the feature branch: by default the trend is that branch alone.
        #expect(try store.trend(benchmark: "Gateway/chat").points.count == 1)
        let xeon = HostFingerprint.of(HostInfo(os: "Debian", cpuModel: "Xeon", cores: 2, memoryBytes: 8 << 30))
        let main = try store.trend(benchmark: "Gateway/chat", scope: TrendScope(host: xeon, branch: "main"))
        #expect(main.points.count == 6 && main.points.allSatisfy { abs($0.median - 10) < 1 })
        let trends = try store.trends(for: Self.run(20, median: 10, host: "EPYC"))
        #expect(trends.map(\.points.count) == [3])
    }

    /// A `bench` run: one sample per repetition, per-repetition percentiles named `e2e_pNN`.
    static func benchRun(_ index: Int, p50: Double) -> PerformanceReport {
        var report = run(index, median: 1)
        func metric(_ name: String, _ unit: String, _ value: Double) -> Metric {
            Metric(name: name, unit: unit, direction: .lowerIsBetter, samples: [value, value * 1.01, value * 0.99, value])
        }
        report.benchmarks = [
            Benchmark(
                name: "throughput/nodes=1/threads=2",
                group: "throughput",
                metrics: [
                    metric("throughput", "req/s", 40), metric("e2e_p50", "s", p50), metric("e2e_p95", "s", p50 * 2),
                    metric("error_rate", "ratio", 0), metric("cpu_utilization", "ratio", 0.3),
                ]
            )
        ]
        return report
    }

    @Test func aBenchHistoryFollowsTheMedianLatencyPerRepetition() throws {
        let path = Self.temporaryDatabase()
        defer { Self.cleanUp(path) }
        let store = try HistoryStore(path: path, create: true)
        for i in 0..<3 { try store.add(Self.benchRun(i, p50: 0.1 * Double(i + 1)), source: "r\(i).json") }
        let trend = try store.trend(benchmark: "throughput/nodes=1/threads=2")
        #expect(trend.metric == "e2e_p50" && trend.unit == "s")
        #expect(trend.points.map(\.median).map { ($0 * 1000).rounded() } == [100, 200, 300])
        #expect(try store.trends(for: Self.benchRun(3, p50: 0.4)).map(\.metric) == ["e2e_p50"])
    }

    @Test func missingBenchmarkAndMetricAreNamed() throws {
        let path = Self.temporaryDatabase()
        defer { Self.cleanUp(path) }
        let store = try HistoryStore(path: path, create: true)
        try store.add(Self.run(0, median: 10), source: "a")
        #expect { try store.trend(benchmark: "Nope") } throws: { error in
            let e = error as? HistoryError
            return e?.kind == .notFound && e?.description.contains("benchmark \"Nope\" is not in the history (it has: Gateway/chat)") == true
        }
        #expect { try store.trend(benchmark: "Gateway/chat", metric: "ttft") } throws: { error in
            (error as? HistoryError)?.description.contains("has no metric \"ttft\" in the history (it has: allocations, e2e)") == true
        }
        #expect { try store.run(id: 42) } throws: { ($0 as? HistoryError)?.kind == .notFound }
    }

    @Test func readingAMissingDatabaseDoesNotCreateIt() {
        let path = Self.temporaryDatabase()
        defer { Self.cleanUp(path) }
        #expect { try HistoryStore(path: path, create: false) } throws: { ($0 as? HistoryError)?.kind == .missingDatabase }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func corruptDatabaseIsReportedAndLeftUntouched() throws {
        let path = Self.temporaryDatabase()
        defer { Self.cleanUp(path) }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: path))
        for create in [true, false] {
            #expect { try HistoryStore(path: path, create: create) } throws: { error in
                let e = error as? HistoryError
                return e?.kind == .corrupt && e?.description.hasPrefix("\(path): not a SQLite database") == true
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test func damagedSQLiteFileIsReportedAndLeftUntouched() throws {
        let path = Self.temporaryDatabase()
        defer { Self.cleanUp(path) }
        do {
            let store = try HistoryStore(path: path, create: true)
            try store.add(Self.run(0, median: 10), source: "a")
        }
        // Keep the header, wreck every page after it.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for i in 100..<bytes.count { bytes[i] = 0xA5 }
        try? FileManager.default.removeItem(atPath: path + "-wal")
        try? FileManager.default.removeItem(atPath: path + "-shm")
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect { try HistoryStore(path: path, create: true).runs() } throws: { error in
            let kind = (error as? HistoryError)?.kind
            return kind == .corrupt || kind == .storage
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test func twoConcurrentWritersLoseNothing() async throws {
        let path = Self.temporaryDatabase()
        defer { Self.cleanUp(path) }
        _ = try HistoryStore(path: path, create: true)
        // Two stores on one file, as two processes would have: WAL and the busy timeout serialise them.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    let store = try HistoryStore(path: path, create: true)
                    for i in 0..<20 { try store.add(Self.run(writer * 100 + i, median: 10), source: "w\(writer)") }
                }
            }
            try await group.waitForAll()
        }
        let runs = try HistoryStore(path: path, create: false).runs(limit: 100)
        #expect(runs.count == 40)
        #expect(Set(runs.map(\.source)) == ["w0", "w1"])
    }

    @Test func fingerprintIgnoresHostnameButNotHardware() {
        let a = HostInfo(hostname: "ci-1", os: "Debian", kernel: "6.1", cpuModel: "Xeon", cores: 2, memoryBytes: 1 << 30)
        var b = a
        b.hostname = "ci-2"
        b.kernel = "6.2"
        var c = a
        c.cores = 4
        #expect(HostFingerprint.of(a) == HostFingerprint.of(b))
        #expect(HostFingerprint.of(a) != HostFingerprint.of(c))
        #expect(HostFingerprint.of(nil) == "unknown" && HostFingerprint.of(a).count == 16)
    }
}
