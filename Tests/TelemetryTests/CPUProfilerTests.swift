import Foundation
import Synchronization
import Telemetry
import Testing

/// The CPU profiler: a real `perf` on this process, and stand-in `perf` scripts for its failures.
@Suite(.timeLimit(.minutes(1)))
struct CPUProfilerTests {
    /// A new directory holding an executable `perf` with `script` as its body.
    static func fakePerf(_ script: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fake-perf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try writePerf(script, in: directory)
        return directory
    }

    /// Replaces the `perf` in `directory` with an executable `script`.
    static func writePerf(_ script: String, in directory: URL) throws {
        let perf = directory.appendingPathComponent("perf")
        try ("#!/bin/sh\n" + script + "\n").write(to: perf, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: perf.path)
    }

    @Test func withoutPerfTheErrorSaysWhatToInstall() async throws {
        let profiler = CPUProfiler(searchPath: ["/nonexistent-directory"])
        #expect(profiler.perf == nil)
        let error = await #expect(throws: ProfileError.self) { try await profiler.profile(seconds: 1, hertz: 99) }
        #expect(error == .perfMissing)
        #expect(error?.description.contains("apt-get install linux-perf") == true)
    }

    @Test func failingPerfReportsItsLastErrorLines() async throws {
        let directory = try Self.fakePerf("echo 'perf: one' >&2; echo 'perf: no access to the process' >&2; exit 3")
        defer { try? FileManager.default.removeItem(at: directory) }
        let profiler = CPUProfiler(directory: directory, searchPath: [directory.path])
        let error = await #expect(throws: ProfileError.self) { try await profiler.profile(seconds: 1, hertz: 99) }
        #expect(error == .perfFailed("perf: one / perf: no access to the process"))
        // Its scratch files are gone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["perf"])
    }

    @Test func aSecondProfileWhileOneRunsIsBusy() async throws {
        // The stand-in `perf record` says it started, then blocks until the test writes into its FIFO.
        let directory = try Self.fakePerf("exit 0")
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("release").path
        let started = directory.appendingPathComponent("started").path
        #expect(mkfifo(fifo, 0o600) == 0)
        try Self.writePerf("if [ \"$1\" = record ]; then touch '\(started)'; read line < '\(fifo)'; fi", in: directory)
        let profiler = CPUProfiler(directory: directory, searchPath: [directory.path])
        let first = Task { try await profiler.profile(seconds: 1, hertz: 99) }
        try await waitUntil("the stand-in perf started") { FileManager.default.fileExists(atPath: started) }
        let error = await #expect(throws: ProfileError.self) { try await profiler.profile(seconds: 1, hertz: 99) }
        #expect(error == .busy)
        let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: fifo))
        try writer.write(contentsOf: Data("go\n".utf8))
        try writer.close()
        #expect(try await first.value.folded.samples == 0)
        // Free again once the first has finished.
        try FileManager.default.removeItem(atPath: started)
        try FileManager.default.removeItem(atPath: fifo)
        try Self.writePerf("exit 0", in: directory)
        #expect(try await profiler.profile(seconds: 1, hertz: 99).perfScript == "")
    }

    /// Yields until `condition` holds; fails after `seconds` of real time.
    func waitUntil(_ what: String, within seconds: Double = 20, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting until \(what)")
                return
            }
            await Task.yield()
        }
    }

    #if os(Linux)
    @Test(.enabled(if: CPUProfiler().perf != nil, "needs perf (scripts/test.sh installs linux-perf)"))
    func realProfileOfThisProcessHasSwiftFrames() async throws {
        let profiler = CPUProfiler()
        let done = Flag()
        // Keep a core busy in this process while perf samples it; stops when the profile is in.
        let spinner = Task.detached {
            var total = 0
            var round = 0
            // At most a few minutes of a debug build's arithmetic even if the profile never returns.
            while !done.isSet, round < 2_000_000 {
                total &+= (0..<1000).reduce(round, &+)
                round += 1
            }
            return total
        }
        let profile = try await profiler.profile(seconds: 1, hertz: 99)
        done.set()
        _ = await spinner.value
        #expect(profile.folded.samples > 0)
        #expect(profile.perfScript.contains("cpu-clock") || profile.perfScript.contains("cycles"))
        // Frames are demangled Swift names, not `$s...` symbols.
        #expect(profile.folded.counts.keys.contains { $0.contains("TelemetryTests") || $0.contains("Swift.") })
    }
    #endif
}

/// A flag one task sets and another reads.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
