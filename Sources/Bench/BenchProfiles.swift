import Foundation
import Pprof
import Telemetry

/// CPU profiles of a bench run (`bench --profile DIR`): one pprof file per benchmark, recorded
/// during its first repetition through the gateway, of the whole bench process (the gateway,
/// the simulated nodes and the load generator share it; the gateway's functions are named by
/// their module, `Gateway.`, `NIOPosix.`).
public struct BenchProfiles: Sendable {
    /// Where the files go.
    public let directory: URL
    let profiler = CPUProfiler()
    let hertz = 99

    public init(directory: URL) {
        self.directory = directory
    }

    /// The file of `benchmark`'s profile in a directory: its name with `/` as `-`, `.pb.gz`.
    public static func fileName(for benchmark: String) -> String {
        benchmark.replacingOccurrences(of: "/", with: "-") + ".pb.gz"
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
        let result = await work()
        do {
            let profile = try await recording.value
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appendingPathComponent(Self.fileName(for: benchmark))
            try Data(try profile.pprof().gzipped()).write(to: file, options: .atomic)
            log("\(benchmark): CPU profile \(file.path) (\(profile.samples.count) samples)")
        } catch {
            log("\(benchmark): no CPU profile: \(error)")
        }
        return result
    }
}
