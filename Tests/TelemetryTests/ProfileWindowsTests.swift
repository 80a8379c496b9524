import Foundation
import Pprof
import Telemetry
import Testing

/// Continuous profiling's store: windows kept for a while, bounded, merged on request.
@Suite struct ProfileWindowsTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func frame(_ address: UInt64, _ symbol: String) -> PerfScript.Frame {
        PerfScript.Frame(address: address, symbol: symbol, object: "/opt/ollamamax/ollama-distributed")
    }

    static func sample(_ thread: String, _ frames: [PerfScript.Frame]) -> PerfScript.Sample {
        PerfScript.Sample(thread: thread, frames: frames)
    }

    static let hot = [frame(0x2000, "hot"), frame(0x1000, "main")]
    static let cold = [frame(0x3000, "cold"), frame(0x1000, "main")]

    static func windows(keep: Duration = .seconds(3600), maximumStacks: Int = 20_000) -> ProfileWindows {
        var windows = ProfileWindows(keep: keep, maximumStacks: maximumStacks)
        // Two windows of 10 s, a minute apart, at 19 Hz.
        windows.add(
            samples: [sample("loop", hot), sample("loop", hot), sample("loop", cold)],
            regions: [],
            start: t0,
            duration: .seconds(10),
            hertz: 19,
            demangle: { $0 }
        )
        windows.add(
            samples: [sample("loop", hot), sample("io", cold)],
            regions: [],
            start: t0.addingTimeInterval(60),
            duration: .seconds(10),
            hertz: 19,
            demangle: { $0 }
        )
        return windows
    }

    @Test func theMergeOfTheRecentWindowsAddsTheirSamples() throws {
        let windows = Self.windows()
        let all = try #require(windows.merged(since: Self.t0))
        let stacks = all.stacks(of: "samples").map { ($0.frames.joined(separator: ";"), $0.samples) }
        #expect(Dictionary(stacks, uniquingKeysWith: +) == ["loop;main;hot": 3, "loop;main;cold": 1, "io;main;cold": 1])
        #expect(all.period == 1_000_000_000 / 19)
        #expect(all.durationNanos == 70_000_000_000)
        // Since 15 s after the start: the first window ended at 10 s, only the second counts.
        let last = try #require(windows.merged(since: Self.t0.addingTimeInterval(15)))
        #expect(last.stacks(of: "samples").map(\.samples).reduce(0, +) == 2)
        #expect(windows.merged(since: Self.t0.addingTimeInterval(71)) == nil)
    }

    @Test func windowsOlderThanTheKeepAreDropped() {
        // Keep 30 s: the first window ended 50 s before the second began.
        let windows = Self.windows(keep: .seconds(30))
        #expect(windows.windows.count == 1)
        #expect(windows.windows.first?.samples == 2)
    }

    @Test func aWindowKeepsAtMostItsStacksAndCountsTheRestInOneFrame() throws {
        var windows = ProfileWindows(maximumStacks: 1)
        windows.add(
            samples: [Self.sample("loop", Self.hot), Self.sample("loop", Self.cold), Self.sample("loop", Self.cold)],
            regions: [],
            start: Self.t0,
            duration: .seconds(10),
            hertz: 19,
            demangle: { $0 }
        )
        let window = try #require(windows.windows.first)
        #expect(window.samples == 3)
        #expect(window.stacks == 2)
        let merged = try #require(windows.merged(since: Self.t0))
        let stacks = Dictionary(merged.stacks(of: "samples").map { ($0.frames.joined(separator: ";"), $0.samples) }, uniquingKeysWith: +)
        #expect(stacks == ["loop;main;hot": 1, "loop;\(ProfileWindows.overflowName)": 2])
    }
}
