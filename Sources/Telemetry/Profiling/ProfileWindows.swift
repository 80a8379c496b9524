import Foundation
import Pprof

/// The recent CPU profiles of continuous profiling: short windows kept for a while, merged into
/// one pprof profile on request (`/debug/pprof/profile?since=15m`).
///
/// Each window is stored compactly: a table of its distinct frames and a count per distinct
/// (thread, stack) pair. Memory is bounded twice: windows older than ``keep`` (before the newest
/// window's start) are dropped, and a window keeps at most ``maximumStacks`` distinct stacks,
/// the samples of any others counted in one `[stacks over the limit]` frame per thread.
public struct ProfileWindows: Sendable {
    /// One recorded window.
    public struct Window: Sendable {
        public var start: Date
        public var duration: Duration
        public var hertz: Int
        /// The distinct frames of the window's stacks.
        var frames: [ProfileFrame] = []
        /// Samples by thread and stack (indices into `frames`, leaf first).
        var counts: [StackKey: Int] = [:]
        /// The executable mappings when it was recorded.
        var regions: [MappedRegion] = []

        /// Samples in the window.
        public var samples: Int { counts.values.reduce(0, +) }
        /// Distinct stacks kept.
        public var stacks: Int { counts.count }
        var end: Date { start.addingTimeInterval(ProfileWindows.seconds(duration)) }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    struct StackKey: Hashable, Sendable {
        var thread: String
        var frames: [Int32]
    }

    /// How long windows are kept.
    public let keep: Duration
    /// The most distinct stacks one window keeps.
    public let maximumStacks: Int
    public private(set) var windows: [Window] = []

    /// The frame a window's samples beyond ``maximumStacks`` distinct stacks are counted in.
    public static let overflowName = "[stacks over the limit]"

    public init(keep: Duration = .seconds(3600), maximumStacks: Int = 20_000) {
        self.keep = keep
        self.maximumStacks = maximumStacks
    }

    /// Adds a window recorded from `start` for `duration` at `hertz` with `samples`.
    public mutating func add(
        samples: [PerfScript.Sample],
        regions: [MappedRegion],
        start: Date,
        duration: Duration,
        hertz: Int,
        demangle: (String) -> String = SwiftDemangle.name
    ) {
        var window = Window(start: start, duration: duration, hertz: hertz, regions: regions)
        var frameIndex: [UInt64: Int32] = [:]
        for sample in samples {
            var stack: [Int32] = []
            stack.reserveCapacity(sample.frames.count)
            for frame in sample.frames {
                if let index = frameIndex[frame.address] {
                    stack.append(index)
                } else {
                    let index = Int32(window.frames.count)
                    window.frames.append(ProfileFrame(address: frame.address, name: frame.name(demangle: demangle), systemName: frame.symbol ?? ""))
                    frameIndex[frame.address] = index
                    stack.append(index)
                }
            }
            var key = StackKey(thread: sample.thread, frames: stack)
            if window.counts[key] == nil, window.counts.count >= maximumStacks {
                key = StackKey(thread: sample.thread, frames: [Self.overflowFrame(in: &window)])
            }
            window.counts[key, default: 0] += 1
        }
        windows.append(window)
        windows.sort { $0.start < $1.start }
        if let newest = windows.last?.start {
            let oldest = newest.addingTimeInterval(-Self.seconds(keep))
            windows.removeAll { $0.end < oldest }
        }
    }

    /// Adds a whole CPU profile as a window.
    public mutating func add(_ profile: CPUProfile) {
        add(samples: profile.samples, regions: profile.regions, start: profile.start, duration: profile.duration, hertz: profile.hertz)
    }

    private static func overflowFrame(in window: inout Window) -> Int32 {
        if let index = window.frames.firstIndex(where: { $0.name == overflowName && $0.address == 0 }) { return Int32(index) }
        window.frames.append(ProfileFrame(address: 0, name: overflowName))
        return Int32(window.frames.count - 1)
    }

    /// The windows that ended at or after `since`, merged into one pprof profile (the sample
    /// types and period of ``CPUProfile/pprof()``, the period of the first window's rate); nil
    /// when no window is that recent.
    public func merged(since: Date) -> Perftools_Profiles_Profile? {
        let recent = windows.filter { $0.end >= since }
        guard let first = recent.first, let last = recent.last else { return nil }
        let period = Int64(1_000_000_000 / max(first.hertz, 1))
        var builder = ProfileBuilder(
            sampleTypes: [("samples", "count"), ("cpu", "nanoseconds")],
            period: ("cpu", "nanoseconds", period),
            regions: last.regions,
            time: first.start,
            duration: .seconds(last.end.timeIntervalSince(first.start)),
            defaultSampleType: "cpu"
        )
        for window in recent {
            let windowPeriod = Int64(1_000_000_000 / max(window.hertz, 1))
            for (key, count) in window.counts.sorted(by: { $0.value > $1.value }) {
                let stack = key.frames.map { window.frames[Int($0)] }
                builder.add(stack: stack, values: [Int64(count), Int64(count) * windowPeriod], labels: ["thread": key.thread])
            }
        }
        let samples = recent.reduce(0) { $0 + $1.samples }
        builder.comment("continuous profiling: \(recent.count) windows, \(samples) samples")
        return builder.build()
    }
}
