import Foundation
import Pprof
import Telemetry

/// CPU and heap profiles of a bench run (`bench --profile DIR`): per benchmark a pprof CPU
/// profile and a heap profile of its first repetition through the gateway, of the whole bench
/// process (the gateway, the simulated nodes and the load generator share it; the gateway's
/// functions are named by their module, `Gateway.`, `NIOPosix.`). The heap profile counts the
/// allocations made during the repetition, and of them the bytes still in use at its end.
public struct BenchProfiles: Sendable {
    /// Where the files go.
    public let directory: URL
    let profiler = CPUProfiler()
    let hertz = 99
    let symbols = ProcessSymbols()
    let lines = SourceLines()

    public init(directory: URL) {
        self.directory = directory
    }

    /// The file of `benchmark`'s profile in a directory: its name with `/` as `-`, `.pb.gz`.
    public static func fileName(for benchmark: String) -> String {
        benchmark.replacingOccurrences(of: "/", with: "-") + ".pb.gz"
    }

    /// The file of `benchmark`'s heap profile: its name with `/` as `-`, `.heap.pb.gz`.
    public static func heapFileName(for benchmark: String) -> String {
        benchmark.replacingOccurrences(of: "/", with: "-") + ".heap.pb.gz"
    }

    /// Runs `work` while a CPU profile of `seconds` (at least 1) records, then writes the
    /// profile as `benchmark`'s; a profile that cannot be taken or written is logged, never fatal.
    func recording<T: Sendable>(
        _ benchmark: String,
        seconds: Double,
        log: @Sendable (String) -> Void,
        _ work: () async -> T
    ) async -> T {
        let profiler = profiler
        let hertz = hertz
        let recording = Task { try await profiler.profile(seconds: max(1, Int(seconds.rounded(.down))), hertz: hertz) }
        var heapBefore: HeapProfile?
        do {
            if HeapSampler.meanBytes == nil { try HeapSampler.start() }
            heapBefore = HeapSampler.profile()
        } catch {
            log("\(benchmark): no heap profile: \(error.description)")
        }
        let result = await work()
        if let heapBefore { await writeHeap(benchmark, since: heapBefore, log: log) }
        do {
            let profile = try await recording.value
            var pprof = profile.pprof()
            await lines.annotate(&pprof, symbols: symbols)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appendingPathComponent(Self.fileName(for: benchmark))
            try Data(try pprof.gzipped()).write(to: file, options: .atomic)
            log("\(benchmark): CPU profile \(file.path) (\(profile.samples.count) samples)")
        } catch {
            log("\(benchmark): no CPU profile: \(error)")
        }
        return result
    }

    /// Writes the allocations since `before` as `benchmark`'s heap profile.
    func writeHeap(_ benchmark: String, since before: HeapProfile, log: @Sendable (String) -> Void) async {
        let profile = HeapSampler.profile().subtracting(before)
        let regions = ProcessSymbols.regions()
        var pprof = profile.pprof(regions: regions) { symbols.frame(returnAddress: $0, regions: regions) }
        await lines.annotate(&pprof, symbols: symbols)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appendingPathComponent(Self.heapFileName(for: benchmark))
            try Data(try pprof.gzipped()).write(to: file, options: .atomic)
            log("\(benchmark): heap profile \(file.path) (\(profile.sites.count) allocation sites)")
        } catch {
            log("\(benchmark): no heap profile: \(error)")
        }
    }
}
