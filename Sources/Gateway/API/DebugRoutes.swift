import Foundation
import Hummingbird
import OllamaAPI
import Pprof
import Telemetry

/// `/debug/pprof/...`: the seed's built-in profiling endpoints, in the shape Go's pprof gives them.
///
/// - `profile?seconds=30&hz=99[&format=pprof|collapsed][&debug=1]`: a CPU profile of the
///   gateway, taken by `perf record -g` on its own process: pprof's gzipped `profile.proto` (the
///   default, for `go tool pprof`, speedscope, Pyroscope, Grafana), collapsed stacks
///   (`format=collapsed`, for flame-graph scripts) or `perf script` text (`debug=1`).
/// - `heap[?format=pprof|collapsed][&debug=1]`: the sampled allocation sites (``HeapSampler``) as
///   pprof's heap profile (alloc/inuse objects and space), collapsed in-use stacks, or the
///   allocator's statistics and the process's memory lines (`debug=1`).
/// - `goroutine[?debug=1]`: every thread of the process with its stack (``ThreadStacks``), as pprof
///   (`goroutine/count`, one sample per thread) or text; Swift tasks cannot be listed, the
///   threads run them.
struct DebugRoutes: Sendable {
    let profiler: CPUProfiler
    /// Continuous profiling's recent windows, when it runs (`since=`).
    var continuous: ContinuousProfiler? = nil
    /// Names heap profiles' addresses (symbol tables read once per file).
    var symbols = ProcessSymbols()
    /// Adds file:line to every profile's locations where the binaries have line tables.
    var lines = SourceLines()

    /// The longest profile one request may ask for, seconds.
    static let maxSeconds = 300
    /// The highest sampling rate one request may ask for, per second.
    static let maxHertz = 4000

    /// The routes, registered when debug endpoints are on. Hummingbird matches a path with or
    /// without its trailing slash: the first serves `/debug/pprof/` too.
    static let table: [RouterRoute<DebugRoutes>] = [
        RouterRoute(.get, "/debug/pprof", access: .admin) { _, _, _ in GatewayRoutes.text(index) },
        RouterRoute(.get, "/debug/pprof/heap", access: .admin) { routes, request, _ in await routes.heap(request) },
        RouterRoute(.get, "/debug/pprof/goroutine", access: .admin) { routes, request, _ in await routes.threads(request) },
        RouterRoute(.get, "/debug/pprof/profile", access: .admin) { routes, request, _ in await routes.profile(request) },
    ]

    func register(on router: Router<BasicRequestContext>) {
        router.add(Self.table, owner: self)
    }

    static let index = """
        /debug/pprof/: profiling endpoints of the OllamaMax gateway

        profile?seconds=30&hz=99                 CPU profile through perf record -g, pprof's gzipped protobuf
                                                 (&format=collapsed: collapsed stacks; &debug=1: perf script text)
        profile?since=15m                        continuous profiling's windows of the last 15 minutes, merged
        heap                                     sampled allocation sites, pprof's gzipped protobuf: in-use and
                                                 allocated objects and bytes (&format=collapsed: in-use stacks;
                                                 &debug=1: allocator statistics and memory of the process)
        goroutine                                every thread with its stack, pprof's gzipped protobuf
                                                 (&debug=1: text, busiest thread first)

        """

    /// `GET /debug/pprof/profile`.
    func profile(_ request: Request) async -> Response {
        let style = ErrorStyle(path: request.uri.path)
        let query = request.uri.queryParameters
        if let since = query["since"].map(String.init) { return await recent(since: since, style: style) }
        let seconds: Int
        let hertz: Int
        let format: String
        switch Self.parameters(
            seconds: query["seconds"].map(String.init),
            hz: query["hz"].map(String.init),
            format: query["format"].map(String.init),
            debug: query["debug"].map(String.init)
        )
        {
        case .success(let values): (seconds, hertz, format) = values
        case .failure(let problem): return style.response(problem.message, status: .badRequest)
        }
        do {
            let profile = try await profiler.profile(seconds: seconds, hertz: hertz)
            switch format {
            case "perf": return GatewayRoutes.text(profile.perfScript)
            case "collapsed": return GatewayRoutes.text(profile.folded.text)
            default: return try await pprof(profile.pprof(), name: "profile")
            }
        } catch let error as ProfileError {
            return style.response(error.description, status: Self.status(for: error))
        } catch {
            return style.response("\(error)", status: .internalServerError)
        }
    }

    /// `GET /debug/pprof/heap`.
    func heap(_ request: Request) async -> Response {
        let style = ErrorStyle(path: request.uri.path)
        let query = request.uri.queryParameters
        if let debug = query["debug"].map(String.init), debug != "0" {
            guard debug == "1" else { return style.response("debug=\(debug): give 1 (allocator statistics) or 0 (the profile)", status: .badRequest) }
            return GatewayRoutes.text(DebugText.heap())
        }
        if let seconds = query["seconds"].map(String.init) {
            return style.response(
                "seconds=\(seconds): the heap profile has no delta form here; ask without seconds (in use now, allocated since the start)",
                status: .badRequest
            )
        }
        let format = query["format"].map(String.init) ?? "pprof"
        guard ["pprof", "collapsed"].contains(format) else {
            return style.response("format=\(format): give pprof (gzipped profile.proto) or collapsed (in-use stacks)", status: .badRequest)
        }
        guard HeapSampler.isAvailable else { return style.response(HeapProfileError.hooksMissing.description, status: .serviceUnavailable) }
        guard HeapSampler.meanBytes != nil else {
            return style.response(
                "heap profiling is off: start the gateway with --heap-profile-rate 524288 (or heap_profile_rate in the config file)",
                status: .serviceUnavailable
            )
        }
        let regions = ProcessSymbols.regions()
        let profile = HeapSampler.profile().pprof(regions: regions) { symbols.frame(returnAddress: $0, regions: regions) }
        if format == "collapsed" { return GatewayRoutes.text(FoldedStacks(stacks: profile.stacks(of: "inuse_space")).text) }
        do {
            return try await pprof(profile, name: "heap")
        } catch {
            return style.response(error.description, status: .internalServerError)
        }
    }

    /// `GET /debug/pprof/goroutine`: the threads' stacks, pprof by default, text with `debug=1` (or 2).
    func threads(_ request: Request) async -> Response {
        let style = ErrorStyle(path: request.uri.path)
        let debug = request.uri.queryParameters["debug"].map(String.init) ?? "0"
        guard ["0", "1", "2"].contains(debug) else {
            return style.response("debug=\(debug): give 1 or 2 (text: each thread with its stack) or 0 (pprof)", status: .badRequest)
        }
        let stacks = ThreadStacks.capture()
        let regions = ProcessSymbols.regions()
        let symbolize = { (address: UInt64) in symbols.frame(returnAddress: address, regions: regions) }
        if debug != "0" { return GatewayRoutes.text(ThreadStacks.text(stacks, ticksPerSecond: sysconf(Int32(_SC_CLK_TCK)), symbolize: symbolize)) }
        do {
            return try await pprof(ThreadStacks.pprof(stacks, regions: regions, symbolize: symbolize), name: "goroutine")
        } catch {
            return style.response(error.description, status: .internalServerError)
        }
    }

    /// `profile?since=15m`: continuous profiling's windows of the last `since`, merged.
    func recent(since text: String, style: ErrorStyle) async -> Response {
        guard let seconds = GoDuration.parse(text), seconds > 0, seconds.isFinite else {
            return style.response("since=\(text): give a duration such as 15m or 1h", status: .badRequest)
        }
        guard let continuous else {
            return style.response(
                "since=\(text): continuous profiling is off; start the gateway with --continuous-profiling (or ask for seconds=N)",
                status: .badRequest
            )
        }
        guard let merged = continuous.merged(since: Date().addingTimeInterval(-seconds)) else {
            let why = continuous.failure.map { ": the last window failed (\($0))" } ?? " (one 10 s window starts every minute)"
            return style.response("no continuous-profiling window in the last \(text) yet\(why)", status: .serviceUnavailable)
        }
        do {
            return try await pprof(merged, name: "profile")
        } catch {
            return style.response(error.description, status: .internalServerError)
        }
    }

    /// `profile` with file:line added where the binaries have them, gzipped, as a download.
    func pprof(_ profile: Perftools_Profiles_Profile, name: String) async throws(ProfileCodingError) -> Response {
        var annotated = profile
        await lines.annotate(&annotated, symbols: symbols)
        return Self.pprof(try annotated.gzipped(), name: name)
    }

    /// A gzipped pprof profile as Go's handler sends one: a download named `name`.
    static func pprof(_ bytes: [UInt8], name: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/octet-stream", .contentDisposition: "attachment; filename=\"\(name)\""],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    /// 409 while another profile runs, 503 without perf, 500 when perf fails.
    static func status(for error: ProfileError) -> HTTPResponse.Status {
        switch error {
        case .busy: .conflict
        case .perfMissing: .serviceUnavailable
        case .perfFailed: .internalServerError
        }
    }

    struct Problem: Error, Equatable { let message: String }

    /// The profile's query parameters, checked: each problem names its parameter and the range.
    /// The format is `pprof`, `collapsed` (also `folded`) or `perf` (also `debug=1`).
    static func parameters(seconds: String?, hz: String?, format: String?, debug: String? = nil) -> Result<(Int, Int, String), Problem> {
        let secondsValue = seconds.map { Int($0) } ?? 30
        guard let secondsValue, (1...maxSeconds).contains(secondsValue) else {
            return .failure(Problem(message: "seconds=\(seconds ?? ""): give a whole number of seconds from 1 to \(maxSeconds)"))
        }
        let hertzValue = hz.map { Int($0) } ?? 99
        guard let hertzValue, (1...maxHertz).contains(hertzValue) else {
            return .failure(Problem(message: "hz=\(hz ?? ""): give a sampling rate from 1 to \(maxHertz) per second"))
        }
        if let debug, debug != "0", debug != "1" {
            return .failure(Problem(message: "debug=\(debug): give 1 (perf script text) or 0 (the format asked for)"))
        }
        var formatValue = format ?? "pprof"
        if formatValue == "folded" { formatValue = "collapsed" }
        guard ["pprof", "collapsed", "perf"].contains(formatValue) else {
            return .failure(
                Problem(message: "format=\(formatValue): give pprof (gzipped profile.proto), collapsed (collapsed stacks) or perf (perf script text)")
            )
        }
        if debug == "1" { formatValue = "perf" }
        return .success((secondsValue, hertzValue, formatValue))
    }
}
