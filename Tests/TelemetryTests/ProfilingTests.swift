import Foundation
import Pprof
import Telemetry
import Testing

/// Folding `perf script` text, demangling, and the thread and heap pages of `/debug/pprof`.
@Suite struct ProfilingTests {
    /// `perf script` output in its default shape: a header per sample, frames leaf first, a blank line.
    static let perfScript = """
        NIO-SGLTN-0-#0  4566  2079.765273:   10101010 cpu-clock:pppH: 
        \t          1aedf0 $s7NIOCore10ByteBufferV5writeySiSS_tF+0x10 (/work/.build/release/ollama-distributed)
        \t          24a312 main_loop+0x342 (/work/.build/release/ollama-distributed)
        \t           f96a0 start_thread+0x0 (/usr/lib/x86_64-linux-gnu/libc.so.6)

        NIO-SGLTN-0-#0  4566  2079.807412:   10101010 cpu-clock:pppH: 
        \t          1aedf0 $s7NIOCore10ByteBufferV5writeySiSS_tF+0x22 (/work/.build/release/ollama-distributed)
        \t          24a312 main_loop+0x342 (/work/.build/release/ollama-distributed)
        \t           f96a0 start_thread+0x0 (/usr/lib/x86_64-linux-gnu/libc.so.6)

        my worker 4567  2079.900000:   10101010 cpu-clock:pppH: 
        \t          abcdef [unknown] (/usr/lib/x86_64-linux-gnu/libc.so.6)
        \t          abcdf0 run;it+0x1 (/work/.build/release/ollama-distributed)

        """

    @Test func samplesFoldIntoOneLinePerStackRootFirst() {
        let folded = FoldedStacks.parse(perfScript: Self.perfScript)
        #expect(folded.samples == 3)
        #expect(folded.counts.count == 2)
        let stack = "NIO-SGLTN-0-#0;start_thread;main_loop;$s7NIOCore10ByteBufferV5writeySiSS_tF"
        #expect(folded.counts[stack] == 2)
        // A thread name with a space stays whole; a frame without a symbol is named after its
        // object; a ';' inside a name cannot split the stack.
        #expect(folded.counts["my worker;run:it;[libc.so.6]"] == 1)
        #expect(folded.text == "\(stack) 2\nmy worker;run:it;[libc.so.6] 1\n")
    }

    @Test func headerWithCPUFieldAndPIDSlashTIDNamesTheThread() {
        let text = "ollama-distrib 100/101 [001] 12.5: 1 cycles:\n\t 1 f+0x1 (/bin/x)\n\n"
        #expect(FoldedStacks.parse(perfScript: text).counts == ["ollama-distrib;f": 1])
    }

    @Test func emptyOrStrayTextFoldsToNothing() {
        #expect(FoldedStacks.parse(perfScript: "").samples == 0)
        #expect(FoldedStacks.parse(perfScript: "\t 1 f+0x1 (/bin/x)\n\n").samples == 0)
        #expect(FoldedStacks.parse(perfScript: "").text == "")
    }

    @Test func demanglerIsAppliedToEveryFrame() {
        let folded = FoldedStacks.parse(perfScript: Self.perfScript, demangle: SwiftDemangle.name)
        #expect(folded.counts.keys.contains { $0.contains("NIOCore.ByteBuffer") })
        #expect(folded.counts.keys.allSatisfy { !$0.contains("$s7NIOCore") })
    }

    @Test func swiftSymbolsAreDemangledAndOthersKept() {
        #expect(SwiftDemangle.name("$sSi") == "Swift.Int")
        #expect(SwiftDemangle.name("_$sSS") == "Swift.String")
        #expect(SwiftDemangle.name("malloc") == "malloc")
        // Not a valid mangling: kept as it is.
        #expect(SwiftDemangle.name("$s!!") == "$s!!")
    }

    /// A `/proc/PID/task/TID/stat` line; utime 10 and stime 5 are fields 14 and 15.
    static let stat = "4242 (NIO-ELT-0-#1) S 1 4242 4242 0 -1 4194560 1234 0 0 0 10 5 0 0 20 0 4 0 987654 1 2\n"

    @Test func threadStatLineGivesIdNameStateAndCPU() {
        #expect(ThreadInfo.parse(stat: Self.stat) == ThreadInfo(id: 4242, name: "NIO-ELT-0-#1", state: "S", cpuTicks: 15))
        let odd = Self.stat.replacingOccurrences(of: "(NIO-ELT-0-#1) S", with: "(a (b) c) R")
        #expect(ThreadInfo.parse(stat: odd) == ThreadInfo(id: 4242, name: "a (b) c", state: "R", cpuTicks: 15))
    }

    @Test func malformedThreadStatLinesAreSkipped() {
        #expect(ThreadInfo.parse(stat: "") == nil)
        #expect(ThreadInfo.parse(stat: "4242 (x S 1 2") == nil)
        #expect(ThreadInfo.parse(stat: "4242 (x) S 1 2 3") == nil)
        #expect(ThreadInfo.parse(stat: Self.stat.replacingOccurrences(of: " 10 5 ", with: " ten 5 ")) == nil)
    }

    @Test func threadStacksTextListsTheBusiestFirstWithTheirFrames() {
        let stacks = [
            ThreadStack(thread: ThreadInfo(id: 1, name: "main", state: "S", cpuTicks: 50), frames: [0x10, 0x20]),
            ThreadStack(thread: ThreadInfo(id: 2, name: "NIO-ELT-0-#0", state: "R", cpuTicks: 250), frames: [0x30]),
            ThreadStack(thread: ThreadInfo(id: 3, name: "pool", state: "S", cpuTicks: 0), frames: [], problem: "did not answer within 200 ms"),
        ]
        let names: [UInt64: String] = [0x10: "sigsuspend", 0x20: "main", 0x30: "epoll_wait"]
        #expect(
            ThreadStacks.text(stacks, ticksPerSecond: 100) { ProfileFrame(address: $0, name: names[$0] ?? "?") } == """
                threads: 3

                thread 2 [R, 2.5 s CPU]: NIO-ELT-0-#0
                    0x30 epoll_wait

                thread 1 [S, 0.5 s CPU]: main
                    0x10 sigsuspend
                    0x20 main

                thread 3 [S, 0.0 s CPU]: pool
                    (no stack: did not answer within 200 ms)

                """
        )
    }

    @Test func heapPageHasTheAllocatorNumbersAndTheMemoryLines() {
        let stats = HeapStats(arenaBytes: 1200, mmapBytes: 4096, inUseBytes: 1000, freeBytes: 200, releasableBytes: 100)
        let status = "Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\nThreads:\t7\nSigQ:\t0/1\n"
        let page = DebugText.heap(stats, status: status)
        #expect(page.contains("in_use_bytes 1000\n"))
        #expect(page.contains("mmap_bytes 4096\n"))
        #expect(page.hasSuffix("# /proc/self/status\nVmHWM: 2048 kB\nVmRSS: 1024 kB\nThreads: 7\n"))
        #expect(!page.contains("SigQ"))
    }

}
