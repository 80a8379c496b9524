import Foundation
import Synchronization
import Telemetry
import TestHTTP
import Testing

/// The CPU profiler: a real `perf` on this process, and stand-in `perf` scripts for its failures.
@Suite(.timeLimit(.minutes(3)))
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

    /// A stand-in perf body whose `perf record` writes its `-o` file as perf does (keeping one
    /// already there as `<file>.old`) and appends a line to `tries` in `directory`, then runs `then`.
    static func countingRecord(in directory: URL, then: String) -> String {
        """
        if [ "$1" = record ]; then
            out=""; previous=""
            for argument in "$@"; do [ "$previous" = "-o" ] && out="$argument"; previous="$argument"; done
            [ -e "$out" ] && mv "$out" "$out.old"
            : > "$out"
            echo x >> '\(directory.path)/tries'
            \(then)
        fi
        exit 0
        """
    }

    static func tries(in directory: URL) throws -> Int {
        try String(contentsOf: directory.appendingPathComponent("tries"), encoding: .utf8).split(separator: "\n").count
    }

    // The stand-ins fail at once whatever the seconds asked for; a long profile asked for makes
    // each failure come well before its end, however busy the machine, so each is tried again.
    @Test func failingPerfReportsItsLastErrorLines() async throws {
        let directory = try Self.fakePerf("exit 0")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writePerf(
            Self.countingRecord(in: directory, then: "echo 'perf: one' >&2; echo 'perf: no access to the process' >&2; exit 3"),
            in: directory
        )
        let profiler = CPUProfiler(directory: directory, searchPath: [directory.path])
        let error = await #expect(throws: ProfileError.self) { try await profiler.profile(seconds: 60, hertz: 99) }
        #expect(error == .perfFailed("perf record exited(3): perf: one / perf: no access to the process"))
        // On every CPU once, then on the process's threads, a bounded number of times.
        #expect(try Self.tries(in: directory) == 1 + CPUProfiler.recordAttempts)
        // Its scratch files are gone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["perf", "tries"])
    }

    @Test func aRecordThatFailsAsItStartsIsTriedAgain() async throws {
        // Not allowed on every CPU (a user's gateway), then perf's race with a thread that ends
        // while it attaches: exit 255, no message.
        let directory = try Self.fakePerf("exit 0")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writePerf(
            Self.countingRecord(in: directory, then: "[ $(wc -l < '\(directory.path)/tries') -ge 3 ] || exit 255"),
            in: directory
        )
        let profiler = CPUProfiler(directory: directory, searchPath: [directory.path])
        #expect(try await profiler.profile(seconds: 60, hertz: 99).perfScript == "")
        #expect(try Self.tries(in: directory) == 3)
        // No data file is left, nor the `.old` copy perf makes of a failed try's.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["perf", "tries"])
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
    @Test(ExternalTool("perf", url: CPUProfiler().perf, install: "run scripts/test.sh, or apt-get install -y linux-perf").enabled)
    func realProfileOfThisProcessHasSwiftFrames() async throws {
        let profiler = CPUProfiler()
        let started = Flag()
        let done = Flag()
        // Keep a core busy in this process while perf samples it, on a thread of its own (the
        // concurrency pool may be busy with other tests), until the profile is in.
        Thread.detachNewThread {
            started.set()
            var total = 0
            var round = 0
            // At most a few minutes of a debug build's arithmetic even if the profile never returns.
            while !done.isSet, round < 2_000_000 {
                total &+= (0..<1000).reduce(round, &+)
                round += 1
            }
            precondition(total != 1)  // keeps the loop from being optimised away
        }
        try await waitUntil("the spinning thread started") { started.isSet }
        let profile = try await profiler.profile(seconds: 1, hertz: 99)
        done.set()
        #expect(profile.folded.samples > 0, "perf script printed: \(profile.perfScript.prefix(500))")
        #expect(profile.perfScript.contains("cpu-clock") || profile.perfScript.contains("cycles"))
        // The spinning thread's frames are there, as demangled Swift names, not `$s...` symbols.
        let stacks = profile.folded.counts.keys
        #expect(
            stacks.contains { $0.contains("CPUProfilerTests.realProfileOfThisProcessHasSwiftFrames") },
            "stacks: \(stacks.sorted().prefix(10).joined(separator: "\n"))"
        )
    }
    #endif
}

/// A flag one task sets and another reads.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
