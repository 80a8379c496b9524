import Foundation
import Pprof
import Subprocess
import Synchronization
import SystemPackage

/// Why a CPU profile could not be taken; `description` says what to do.
public enum ProfileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `perf` is not on PATH.
    case perfMissing
    /// Another profile is running; perf profiles one at a time.
    case busy
    /// perf ran and failed; its last lines of error output.
    case perfFailed(String)

    public var description: String {
        switch self {
        case .perfMissing:
            "CPU profiling needs perf, which is not on PATH: install it (Debian: apt-get install linux-perf)"
        case .busy: "a CPU profile is already running: wait for it to finish, then ask again"
        case .perfFailed(let output): "perf failed: \(output)"
        }
    }
}

/// One CPU profile: perf's own text, its samples, and what they become (collapsed stacks, pprof).
public struct CPUProfile: Sendable, Hashable {
    /// What `perf script` printed (symbols still mangled; pipe it through `swift demangle`).
    public var perfScript: String
    /// The samples as collapsed stacks, names demangled (folded when asked for: the pprof form
    /// needs none of it).
    public var folded: FoldedStacks { FoldedStacks.fold(samples, demangle: SwiftDemangle.name) }
    /// The samples with their addresses.
    public var samples: [PerfScript.Sample]
    /// The process's executable mappings when the profile ended (`/proc/self/maps`).
    public var regions: [MappedRegion]
    /// The sampling rate, per second.
    public var hertz: Int
    /// When sampling started, and for how long it ran.
    public var start: Date
    public var duration: Duration

    public init(perfScript: String, regions: [MappedRegion] = [], hertz: Int, start: Date, duration: Duration) {
        self.perfScript = perfScript
        samples = PerfScript.samples(perfScript)
        self.regions = regions
        self.hertz = hertz
        self.start = start
        self.duration = duration
    }

    /// The profile in pprof's format (``ProfileBuilder``): sample types `samples/count` and
    /// `cpu/nanoseconds` (each sample one period, `1e9 / hertz` ns), the mappings, one location
    /// per address with its demangled function (the mangled symbol as its system name), and the
    /// thread of each sample as the label `thread`.
    public func pprof() -> Perftools_Profiles_Profile {
        let period = Int64(1_000_000_000 / max(hertz, 1))
        var builder = ProfileBuilder(
            sampleTypes: [("samples", "count"), ("cpu", "nanoseconds")],
            period: ("cpu", "nanoseconds", period),
            regions: regions,
            time: start,
            duration: duration,
            defaultSampleType: "cpu"
        )
        for sample in samples {
            let stack = sample.frames.map { frame in
                ProfileFrame(address: frame.address, name: frame.name(demangle: SwiftDemangle.name), systemName: frame.symbol ?? "")
            }
            builder.add(stack: stack, values: [1, period], labels: ["thread": sample.thread])
        }
        builder.comment("perf record -g -F \(hertz), \(samples.count) samples")
        return builder.build()
    }
}

/// Samples this process's stacks with `perf record -g` for a while and folds them.
///
/// One profile at a time. perf runs as a child process for the requested seconds (perf's own
/// `-- sleep N` bounds it), and nothing blocks a Swift concurrency thread while it runs.
public final class CPUProfiler: Sendable {
    private let running = Mutex(false)
    /// Where perf writes its data; each profile uses its own file and removes it.
    private let directory: URL
    /// The directories searched for `perf` (PATH unless a test gives others).
    private let searchPath: [String]

    public init(
        directory: URL = FileManager.default.temporaryDirectory,
        searchPath: [String] = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
    ) {
        self.directory = directory
        self.searchPath = searchPath
    }

    /// The `perf` executable, if installed.
    public var perf: URL? {
        searchPath.map { URL(fileURLWithPath: $0).appendingPathComponent("perf") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Profiles this process for `seconds` at `hertz` samples per second.
    public func profile(seconds: Int, hertz: Int) async throws(ProfileError) -> CPUProfile {
        guard let perf else { throw .perfMissing }
        let started = running.withLock { busy -> Bool in
            if busy { return false }
            busy = true
            return true
        }
        guard started else { throw .busy }
        defer { running.withLock { $0 = false } }
        let data = directory.appendingPathComponent("ollamamax-profile-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).data")
        defer { try? FileManager.default.removeItem(at: data) }
        let pid = String(ProcessInfo.processInfo.processIdentifier)
        let start = Date()
        let clock = ContinuousClock.now
        try await record(perf, pid: pid, seconds: seconds, hertz: hertz, into: data)
        let duration = ContinuousClock.now - clock
        let regions = ProcessSymbols.regions()
        let text = try await run(perf, ["script", "-i", data.path, "--pid", pid])
        return CPUProfile(perfScript: text, regions: regions, hertz: hertz, start: start, duration: duration)
    }

    /// Tries of `perf record` on this process's threads (`-p`) that fail as they start.
    public static let recordAttempts = 5

    /// Records this process's stacks into `data`.
    ///
    /// First on every CPU (`-a`; `perf script --pid` then keeps this process's samples): perf
    /// opens one event per CPU, so threads that start and end meanwhile do not matter. That needs
    /// root or `perf_event_paranoid` ≤ 0. Otherwise on each thread of this process (`-p`), which
    /// a user may do to his own process; perf opens those events thread by thread, and when a
    /// thread ends in between it sometimes gives up at once, with exit 255 and no message (with
    /// `-v`: "No such process"). So a failure before the time is up is tried again, the threads
    /// listed anew; one after the whole duration is not a start-up race and is thrown.
    private func record(_ perf: URL, pid: String, seconds: Int, hertz: Int, into data: URL) async throws(ProfileError) {
        // No build ids: perf would otherwise copy every binary it sampled into ~/.debug on each
        // profile (hundreds of MB for a debug build), and two profiles at once race on that cache.
        // `perf script` runs right after on the same, unchanged binaries, so paths are enough.
        let common = ["record", "--no-buildid", "--no-buildid-cache", "-F", String(hertz), "-g", "-o", data.path]
        let duration = ["--", "sleep", String(seconds)]
        let attempts =
            [common + ["-a"] + duration] + Array(repeating: common + ["-p", pid] + duration, count: Self.recordAttempts)
        var index = 0
        while true {
            // perf keeps an existing output file as `<file>.old`: a failed try's file goes first.
            try? FileManager.default.removeItem(at: data)
            let start = ContinuousClock.now
            do {
                _ = try await run(perf, attempts[index])
                return
            } catch {
                guard index + 1 < attempts.count, ContinuousClock.now - start < .seconds(seconds) else { throw error }
                index += 1
            }
        }
    }

    /// The most text `perf script` may print: about a million samples of a deep stack.
    static let outputLimit = 1 << 30

    /// Runs `executable` and returns what it printed, without blocking a thread while it runs.
    ///
    /// Through swift-subprocess, which starts the child with an empty signal mask: a child of
    /// Foundation's `Process` inherits the mask of the concurrency thread that started it, where
    /// SIGCHLD and SIGINT are blocked, and `perf record` then never sees its `sleep` end.
    private func run(_ executable: URL, _ arguments: [String]) async throws(ProfileError) -> String {
        do {
            let result = try await Subprocess.run(
                .path(FilePath(executable.path)),
                arguments: Arguments(arguments),
                input: .none,
                output: .string(limit: Self.outputLimit),
                error: .string(limit: 1 << 20)
            )
            guard result.terminationStatus == .exited(0) else {
                let text = result.standardError
                let tail = text.split(separator: "\n").suffix(3).joined(separator: " / ")
                throw ProfileError.perfFailed("perf \(arguments.first ?? "") \(result.terminationStatus)" + (tail.isEmpty ? "" : ": \(tail)"))
            }
            return result.standardOutput
        } catch let error as ProfileError {
            throw error
        } catch {
            throw .perfFailed("could not run \(executable.path) \(arguments.first ?? ""): \(error)")
        }
    }
}
