import CThreadStacks
import Foundation
import Pprof

/// One thread of this process with its stack (innermost first), or why there is none.
public struct ThreadStack: Sendable, Hashable {
    public var thread: ThreadInfo
    /// The interrupted instruction, then return addresses.
    public var frames: [UInt64]
    /// Set when the stack could not be taken.
    public var problem: String?

    public init(thread: ThreadInfo, frames: [UInt64], problem: String? = nil) {
        self.thread = thread
        self.frames = frames
        self.problem = problem
    }
}

/// The stacks of every thread of this process: what `/debug/pprof/goroutine` shows.
///
/// Swift tasks have no public list in the runtime, so the threads are the view: a task running
/// now shows in its thread's stack (as `... partial function for ...` frames); a suspended task
/// is on no stack. Each thread takes its own stack in a signal handler (``thread_stacks_capture``),
/// one thread at a time.
public enum ThreadStacks {
    /// Every thread with its stack; a thread that does not answer within `timeout` milliseconds
    /// (it blocks the signal) gets a problem instead.
    public static func capture(timeout: Int = 200) -> [ThreadStack] {
        let base = "/proc/self/task"
        let ids = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).compactMap(Int.init).sorted()
        var buffer = [UInt64](repeating: 0, count: 128)
        return ids.compactMap { id in
            guard let text = try? String(contentsOfFile: "\(base)/\(id)/stat", encoding: .utf8), let thread = ThreadInfo.parse(stat: text) else {
                return nil
            }
            let count = buffer.withUnsafeMutableBufferPointer { thread_stacks_capture(Int32(id), $0.baseAddress, Int32($0.count), Int32(timeout)) }
            switch count {
            case 0...: return ThreadStack(thread: thread, frames: Array(buffer.prefix(Int(count))))
            case -1: return ThreadStack(thread: thread, frames: [], problem: "did not answer within \(timeout) ms (it blocks the signal)")
            case -2: return nil  // ended meanwhile
            default: return ThreadStack(thread: thread, frames: [], problem: "SIGPROF has another handler in this process")
            }
        }
    }

    /// The stacks as a pprof profile of sample type `goroutine/count` (Go's name, for its tools):
    /// one sample per thread, labelled with the thread's name, `thread_id` and `state`.
    public static func pprof(_ stacks: [ThreadStack], regions: [MappedRegion], symbolize: (UInt64) -> ProfileFrame) -> Perftools_Profiles_Profile {
        var builder = ProfileBuilder(
            sampleTypes: [("goroutine", "count")],
            period: ("goroutine", "count", 1),
            regions: regions,
            time: Date(),
            duration: .zero
        )
        for stack in stacks {
            builder.add(
                stack: stack.frames.map(symbolize),
                values: [1],
                labels: ["thread": stack.thread.name, "thread_id": String(stack.thread.id), "state": stack.thread.state]
            )
        }
        builder.comment("\(stacks.count) threads; Swift tasks show on the thread running them")
        return builder.build()
    }

    /// The stacks as text: per thread, busiest first, its id, state, CPU seconds and name, then
    /// one line per frame (address and function).
    public static func text(_ stacks: [ThreadStack], ticksPerSecond: Int, symbolize: (UInt64) -> ProfileFrame) -> String {
        let ticks = Double(max(1, ticksPerSecond))
        var text = "threads: \(stacks.count)\n"
        for stack in stacks.sorted(by: { ($0.thread.cpuTicks, $1.thread.id) > ($1.thread.cpuTicks, $0.thread.id) }) {
            let seconds = (Double(stack.thread.cpuTicks) / ticks * 100).rounded() / 100
            text += "\nthread \(stack.thread.id) [\(stack.thread.state), \(seconds) s CPU]: \(stack.thread.name)\n"
            if let problem = stack.problem { text += "    (no stack: \(problem))\n" }
            for address in stack.frames {
                text += "    0x\(String(address, radix: 16)) \(symbolize(address).name)\n"
            }
        }
        return text
    }
}
