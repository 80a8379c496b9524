import Foundation
import Hummingbird
import NIOHTTP1
import OllamaAPI
import Pprof
import Telemetry
import TestHTTP
import Testing

@testable import Gateway

/// `/debug/pprof/...` on a running gateway, and its parameter checks.
@Suite(.timeLimit(.minutes(3)))
struct DebugRoutesTests {
    @Test func indexHeapAndThreadPagesAreServed() async throws {
        try await withCluster([fastNode()]) { client, _ in
            for path in ["/debug/pprof", "/debug/pprof/"] {
                let index = try await client.get(path)
                #expect(index.status == 200)
                #expect(index.text.contains("profile?seconds=30&hz=99"))
            }
            let heap = try await client.get("/debug/pprof/heap?debug=1")
            #expect(heap.status == 200)
            #expect(heap.contentType == "text/plain; charset=utf-8")
            #expect(heap.text.hasPrefix("# heap (glibc mallinfo2, all arenas), bytes\nin_use_bytes "))
            #expect(heap.text.contains("VmRSS: "))
            let threads = try await client.get("/debug/pprof/goroutine?debug=1")
            #expect(threads.status == 200)
            #expect(threads.text.hasPrefix("threads: "))
            // The gateway's event loops are among the threads, each with its stack.
            #expect(threads.text.contains("NIO-"))
            #expect(threads.text.contains("NIOPosix."), "\(threads.text.prefix(2000))")
            let goroutine = try await client.get("/debug/pprof/goroutine")
            #expect(goroutine.status == 200)
            #expect(goroutine.headers.first(name: "content-disposition") == "attachment; filename=\"goroutine\"")
            let profile = try Perftools_Profiles_Profile(pprof: goroutine.body)
            #expect(profile.sampleType.map { profile.text($0.type) } == ["goroutine"])
            #expect(profile.sample.count > 2)
            let bad = try await client.get("/debug/pprof/goroutine?debug=3")
            #expect(bad.status == 400)
            #expect(try bad.json()["error"]?.stringValue == "debug=3: give 1 or 2 (text: each thread with its stack) or 0 (pprof)")
        }
    }

    @Test func badProfileParametersAre400NamingTheParameter() async throws {
        try await withCluster([fastNode()]) { client, _ in
            let cases = [
                ("seconds=0", "seconds=0: give a whole number of seconds from 1 to 300"),
                ("seconds=soon", "seconds=soon: give a whole number of seconds from 1 to 300"),
                ("seconds=1&hz=5000", "hz=5000: give a sampling rate from 1 to 4000 per second"),
                ("seconds=1&format=svg", "format=svg: give pprof (gzipped profile.proto), collapsed (collapsed stacks) or perf (perf script text)"),
                ("seconds=1&debug=2", "debug=2: give 1 (perf script text) or 0 (the format asked for)"),
            ]
            for (query, message) in cases {
                let answer = try await client.get("/debug/pprof/profile?\(query)")
                #expect(answer.status == 400, "\(query)")
                #expect(try answer.json()["error"]?.stringValue == message)
            }
        }
    }

    /// The test bundle links the malloc hooks, and a gateway with debug endpoints starts the
    /// sampler: its heap profile is pprof's, with the four sample types, or in-use stacks.
    @Test func theHeapProfileIsServedAsPprofAndCollapsedStacks() async throws {
        try await withCluster([fastNode()]) { client, _ in
            for _ in 0..<20 { _ = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"hi","stream":false}"#) }
            let heap = try await client.get("/debug/pprof/heap")
            #expect(heap.status == 200, "\(heap.text.prefix(300))")
            #expect(heap.contentType == "application/octet-stream")
            #expect(heap.headers.first(name: "content-disposition") == "attachment; filename=\"heap\"")
            let profile = try Perftools_Profiles_Profile(pprof: heap.body)
            #expect(profile.sampleType.map { profile.text($0.type) } == ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"])
            #expect(profile.text(profile.defaultSampleType) == "inuse_space")
            #expect(profile.period == 524_288)
            #expect(profile.text(profile.dropFrames).contains("swift_slowAlloc"))
            // file:line from the test bundle's debug information (llvm-symbolizer comes with Swift).
            if SourceLines().symbolizer != nil {
                #expect(profile.function.contains { profile.text($0.filename).hasSuffix(".swift") })
                #expect(profile.location.contains { ($0.line.first?.line ?? 0) > 0 })
            }
            let collapsed = try await client.get("/debug/pprof/heap?format=collapsed")
            #expect(collapsed.status == 200)
            for stack in collapsed.text.split(separator: "\n") { #expect(Int(stack.split(separator: " ").last ?? "") != nil, "\(stack)") }

            let cases = [
                ("seconds=30", "seconds=30: the heap profile has no delta form here; ask without seconds (in use now, allocated since the start)"),
                ("format=svg", "format=svg: give pprof (gzipped profile.proto) or collapsed (in-use stacks)"),
                ("debug=2", "debug=2: give 1 (allocator statistics) or 0 (the profile)"),
            ]
            for (query, message) in cases {
                let answer = try await client.get("/debug/pprof/heap?\(query)")
                #expect(answer.status == 400, "\(query)")
                #expect(try answer.json()["error"]?.stringValue == message)
            }
        }
    }

    @Test func parametersDefaultToThirtySecondsAt99HertzInPprof() throws {
        let values = try DebugRoutes.parameters(seconds: nil, hz: nil, format: nil).get()
        #expect(values == (30, 99, "pprof"))
        let given = try DebugRoutes.parameters(seconds: "300", hz: "1", format: "perf").get()
        #expect(given == (300, 1, "perf"))
        // `folded` is the old name of `collapsed`; `debug=1` is the text, as Go's handler has it.
        #expect(try DebugRoutes.parameters(seconds: nil, hz: nil, format: "folded").get() == (30, 99, "collapsed"))
        #expect(try DebugRoutes.parameters(seconds: nil, hz: nil, format: nil, debug: "1").get() == (30, 99, "perf"))
        #expect(try DebugRoutes.parameters(seconds: nil, hz: nil, format: "collapsed", debug: "0").get() == (30, 99, "collapsed"))
    }

    @Test func profileErrorsMapToStatuses() {
        #expect(DebugRoutes.status(for: .busy).code == 409)
        #expect(DebugRoutes.status(for: .perfMissing).code == 503)
        #expect(DebugRoutes.status(for: .perfFailed("x")).code == 500)
    }

    @Test func endpointsCanBeTurnedOff() async throws {
        try await withCluster([fastNode()], configure: { $0.debugEndpoints = false }) { client, _ in
            let heap = try await client.get("/debug/pprof/heap")
            #expect(heap.status == 404)
            let index = try await client.get("/debug/pprof")
            #expect(index.status == 404)
        }
    }

    #if os(Linux)
    @Test(ExternalTool("perf", url: CPUProfiler().perf, install: "run scripts/test.sh, or apt-get install -y linux-perf").enabled)
    func aShortRealProfileIsServedInEveryFormat() async throws {
        try await withCluster([fastNode()]) { client, _ in
            let pprof = try await client.get("/debug/pprof/profile?seconds=1")
            #expect(pprof.status == 200, "\(pprof.text.prefix(500))")
            #expect(pprof.contentType == "application/octet-stream")
            #expect(pprof.headers.first(name: "content-disposition") == "attachment; filename=\"profile\"")
            let profile = try Perftools_Profiles_Profile(pprof: pprof.body)
            #expect(profile.sampleType.map { profile.text($0.type) } == ["samples", "cpu"])
            #expect(profile.period == 10_101_010)
            #expect(!profile.mapping.isEmpty)
            let folded = try await client.get("/debug/pprof/profile?seconds=1&format=collapsed")
            #expect(folded.status == 200, "\(folded.text)")
            #expect(folded.contentType == "text/plain; charset=utf-8")
            // Each line is a stack and a count.
            for line in folded.text.split(separator: "\n") {
                #expect(Int(line.split(separator: " ").last ?? "") != nil, "\(line)")
            }
            let perf = try await client.get("/debug/pprof/profile?seconds=1&debug=1")
            #expect(perf.status == 200, "\(perf.text.prefix(2000))")
        }
    }
    #endif
}

/// `profile?since=`: continuous profiling's windows, merged.
struct ContinuousProfilingRouteTests {
    @Test func sinceNeedsContinuousProfilingAndADuration() async throws {
        try await withCluster([fastNode()]) { client, _ in
            let off = try await client.get("/debug/pprof/profile?since=15m")
            #expect(off.status == 400)
            #expect(try off.json()["error"]?.stringValue?.contains("start the gateway with --continuous-profiling") == true)
        }
        let routes = DebugRoutes(profiler: CPUProfiler(), continuous: ContinuousProfiler(profiler: CPUProfiler()))
        let bad = await routes.recent(since: "soon", style: ErrorStyle(path: "/debug/pprof/profile"))
        #expect(bad.status == .badRequest)
        // No window recorded yet: 503 saying when one comes.
        let empty = await routes.recent(since: "15m", style: ErrorStyle(path: "/debug/pprof/profile"))
        #expect(empty.status == .serviceUnavailable)
    }

    #if os(Linux)
    @Test(ExternalTool("perf", url: CPUProfiler().perf, install: "run scripts/test.sh, or apt-get install -y linux-perf").enabled)
    func aRecordedWindowIsServedAsPprof() async throws {
        let profiler = CPUProfiler()
        let continuous = ContinuousProfiler(profiler: profiler, settings: .init(hertz: 99, window: 1))
        await continuous.recordWindow()
        #expect(continuous.failure == nil, "\(continuous.failure ?? "")")
        #expect(continuous.windows == 1)
        let routes = DebugRoutes(profiler: profiler, continuous: continuous)
        let answer = await routes.recent(since: "15m", style: ErrorStyle(path: "/debug/pprof/profile"))
        #expect(answer.status == .ok)
        #expect(answer.headers[.contentType] == "application/octet-stream")
    }
    #endif
}
