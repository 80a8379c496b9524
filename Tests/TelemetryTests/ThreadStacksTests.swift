import Foundation
import Pprof
import Telemetry
import TestHTTP
import Testing

/// Every thread's stack, each taken by the thread itself in a signal handler.
@Suite(.timeLimit(.minutes(2)))
struct ThreadStacksTests {
    /// Parks its thread until `release` is signalled: the stack to find.
    @inline(never)
    static func plantedWaiter(started: Flag, release: DispatchSemaphore) {
        started.set()
        release.wait()
    }

    #if os(Linux)
    @Test func aParkedThreadShowsItsWaitingFunction() async throws {
        let started = Flag()
        let release = DispatchSemaphore(value: 0)
        Thread.detachNewThread { Self.plantedWaiter(started: started, release: release) }
        await yieldUntil("the waiting thread started") { started.isSet }
        defer { release.signal() }

        let stacks = ThreadStacks.capture()
        let regions = ProcessSymbols.regions()
        let symbols = ProcessSymbols()
        let names = stacks.map { stack in stack.frames.map { symbols.frame(returnAddress: $0, regions: regions).name } }
        // The waiter's stack runs from the kernel wait in libc up through plantedWaiter.
        #expect(names.contains { $0.contains { $0.contains("plantedWaiter") } }, "\(names.map { $0.prefix(6) })")
        // The calling thread's own stack is taken too, without a signal.
        #expect(names.contains { $0.contains { $0.contains("aParkedThreadShowsItsWaitingFunction") } })
        #expect(stacks.allSatisfy { $0.problem == nil }, "\(stacks.filter { $0.problem != nil })")
        #expect(stacks.count == (try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")).count || stacks.count > 1)

        let profile = ThreadStacks.pprof(stacks, regions: regions) { symbols.frame(returnAddress: $0, regions: regions) }
        #expect(profile.sampleType.map { profile.text($0.type) } == ["goroutine"])
        #expect(profile.sample.count == stacks.count)
        let text = ThreadStacks.text(stacks, ticksPerSecond: 100) { symbols.frame(returnAddress: $0, regions: regions) }
        #expect(text.hasPrefix("threads: \(stacks.count)\n"))
        #expect(text.contains("plantedWaiter"))
    }
    #endif
}
