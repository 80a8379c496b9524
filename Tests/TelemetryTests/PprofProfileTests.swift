import Foundation
import Pprof
import Telemetry
import TestHTTP
import Testing

/// A real CPU profile of this process in pprof's format, read by the Go toolchain's pprof.
@Suite(.timeLimit(.minutes(3)))
struct PprofProfileTests {
    /// The function the profile must find at the top: spins until `done` (bounded in rounds),
    /// its work in its own body (integer operators are inlined even in a debug build), so its
    /// samples are its own, not a generic `reduce`'s.
    @inline(never)
    static func plantedHotSpin(started: Flag, done: Flag) -> Int {
        started.set()
        var total = 0
        var round = 0
        while round < 20_000_000 {
            var step = 0
            while step < 10_000 {
                total = total &* 31 &+ step ^ round
                step += 1
            }
            if done.isSet { break }
            round += 1
        }
        return total
    }

    /// Runs `go tool pprof` with `arguments` to its end on a thread of its own.
    static func pprof(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let go = try ExternalTool.go.path()
        return try await offThePool {
            let process = Process()
            process.executableURL = go
            process.arguments = ["tool", "pprof"] + arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let data = try output.fileHandleForReading.readToEnd() ?? Data()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    #if os(Linux)
    @Test(
        ExternalTool("perf", url: CPUProfiler().perf, install: "run scripts/test.sh, or apt-get install -y linux-perf").enabled,
        ExternalTool.go.enabled
    )
    func goToolPprofListsThePlantedHotFunctionAtTheTop() async throws {
        let started = Flag()
        let done = Flag()
        Thread.detachNewThread { precondition(Self.plantedHotSpin(started: started, done: done) != 1) }
        await yieldUntil("the spinning thread started") { started.isSet }
        let profile = try await CPUProfiler().profile(seconds: 2, hertz: 99)
        done.set()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ollamamax-\(UUID().uuidString).pb.gz")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(try profile.pprof().gzipped()).write(to: file)

        let top = try await Self.pprof(["-top", "-nodecount=15", file.path])
        #expect(top.status == 0, "go tool pprof -top: \(top.output)")
        // The entries follow the header line `flat  flat%   sum%        cum   cum%`.
        let entries = top.output.split(separator: "\n").drop { !$0.contains("flat%") }.dropFirst()
        #expect(entries.prefix(5).contains { $0.contains("plantedHotSpin") }, "go tool pprof -top: \(top.output)")

        let raw = try await Self.pprof(["-raw", file.path])
        #expect(raw.status == 0, "go tool pprof -raw: \(raw.output)")
        #expect(raw.output.contains("PeriodType: cpu nanoseconds"), "\(raw.output.prefix(800))")
        #expect(raw.output.contains("Period: 10101010"), "\(raw.output.prefix(800))")
        #expect(raw.output.contains("samples/count cpu/nanoseconds"), "\(raw.output.prefix(800))")
        // The mapping of this test binary, by its path.
        let binary = try #require(CommandLine.arguments.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().lastPathComponent })
        let mappings = raw.output.split(separator: "\n").drop { !$0.hasPrefix("Mappings") }
        #expect(mappings.contains { $0.contains(binary) || $0.contains("xctest") }, "mappings: \(mappings.prefix(10).joined(separator: "\n"))")
    }
    #endif
}
