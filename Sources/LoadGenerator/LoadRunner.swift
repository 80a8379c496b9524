import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import OllamaAPI
import Synchronization

/// How a run offers load.
public enum LoadMode: Sendable, Hashable {
    /// `concurrency` clients, each sending its next request when the last one ended.
    case closed(concurrency: Int)
    /// Requests at planned times, whatever the server does (latency counts from the plan).
    case open(OpenLoopSchedule)
    /// An open loop whose rate rises linearly.
    case ramp(RampSchedule)
}

/// What one load run does and when it stops.
public struct LoadOptions: Sendable {
    public var mode: LoadMode
    /// How long to measure; `nil` when `requests` bounds the run.
    public var duration: Duration?
    /// Requests to measure; `nil` when `duration` bounds the run.
    public var requests: Int?
    /// Requests sent first and not counted (model load, connection set-up).
    public var warmup: Int
    /// Open loop: requests allowed in flight at once (at least 1); a send beyond it waits, and its lag is reported.
    public var maxInFlight: Int

    /// Options of one run.
    /// - Parameters:
    ///   - mode: closed loop, open loop or ramp.
    ///   - duration: how long to measure; `nil` when `requests` bounds the run.
    ///   - requests: requests to measure; `nil` when `duration` bounds the run.
    ///   - warmup: requests sent first and not counted.
    ///   - maxInFlight: open loop: requests allowed in flight at once.
    public init(mode: LoadMode, duration: Duration?, requests: Int?, warmup: Int = 0, maxInFlight: Int = 4096) {
        self.mode = mode
        self.duration = duration
        self.requests = requests
        self.warmup = warmup
        self.maxInFlight = maxInFlight
    }
}

/// Sends the load and times every request: the I/O edge of the load generator.
///
/// ``LoadDriver``s, one per event loop of the group, send the requests over ``LoadConnection``s,
/// keep-alive HTTP/1.1 connections that time every chunk where it arrives. A closed-loop client
/// keeps its own connection; an open loop takes an idle one or opens another.
public struct LoadRunner: Sendable {
    public let target: LoadTarget
    /// The prompt and output-token cap for request number `index`.
    public let prompt: @Sendable (Int) -> (text: String, maxTokens: Int?)
    let address: LoadAddress
    let group: any EventLoopGroup
    let tls: NIOSSLContext?
    let head: HTTPRequestHead

    /// Prepares a run against `target`; fails when its URL is not an http(s) base URL or its
    /// API has no route for its endpoint (``LoadTarget/problem(api:endpoint:)``).
    public init(
        target: LoadTarget,
        prompt: @escaping @Sendable (Int) -> (text: String, maxTokens: Int?),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws(LoadError) {
        self.target = target
        self.prompt = prompt
        self.group = group
        if let problem = LoadTarget.problem(api: target.api, endpoint: target.endpoint) { throw .target(problem) }
        address = try LoadAddress(url: target.url)
        do {
            tls = address.tls ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        } catch {
            throw .address(target.url, "TLS could not be set up: \(error)")
        }
        var headers = HTTPHeaders()
        headers.add(name: "host", value: address.hostHeader)
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "user-agent", value: "ollama-distributed-load")
        if let credential = target.credential { headers.add(name: "Authorization", value: credential.authorization) }
        head = HTTPRequestHead(version: .http1_1, method: .POST, uri: address.basePath + target.path, headers: headers)
    }

    /// Runs the warm-up, then the measured load; `stop` ends it early (Ctrl-C), keeping what finished.
    public func run(
        _ options: LoadOptions,
        stop: @escaping @Sendable () -> Bool = { false },
        progress: @escaping @Sendable (LoadProgress) -> Void = { _ in }
    ) async -> (results: [RequestResult], elapsed: Double) {
        await warmUp(options, stop: stop)
        let sink = ResultSink()
        let runStart = ContinuousClock.now
        let reporter = Self.report([sink], from: runStart, to: progress)
        defer { reporter.cancel() }
        await LoadDriver.drive(plan(options, runStart: runStart), runner: self, sink: sink, runStart: runStart, stop: stop)
        return (sink.results, Self.window(options, since: runStart))
    }

    /// The uncounted requests of `options`, one after another over one connection.
    func warmUp(_ options: LoadOptions, stop: @escaping @Sendable () -> Bool) async {
        guard options.warmup > 0 else { return }
        await LoadDriver.drive(
            .closed(clients: 1, deadline: nil, limit: options.warmup, fixedPrompt: true),
            runner: self,
            sink: ResultSink(),
            runStart: .now,
            stop: stop
        )
    }

    /// What the drivers send for `options`, from `runStart`; an open loop's sends all come
    /// `phase` seconds later than its schedule says.
    func plan(_ options: LoadOptions, runStart: ContinuousClock.Instant, phase: Double = 0) -> DrivePlan {
        switch options.mode {
        case .closed(let concurrency):
            return .closed(
                clients: concurrency,
                deadline: options.duration.map { runStart + $0 },
                limit: options.requests,
                fixedPrompt: false
            )
        case .open(let schedule):
            let offsets = schedule.sendOffsets(duration: options.duration, requests: options.requests).map { $0 + phase }
            return .open(indices: Array(offsets.indices), offsets: offsets, maxInFlight: Swift.max(1, options.maxInFlight))
        case .ramp(let ramp):
            let offsets = Array(ramp.sendOffsets().prefix(options.requests ?? Int.max)).map { $0 + phase }
            return .open(indices: Array(offsets.indices), offsets: offsets, maxInFlight: Swift.max(1, options.maxInFlight))
        }
    }

    /// The measurement window of a run that began at `runStart`: at least the planned duration,
    /// so an open loop that sent its few requests early does not look faster than it was offered.
    static func window(_ options: LoadOptions, since runStart: ContinuousClock.Instant) -> Double {
        Swift.max((ContinuousClock.now - runStart).inSeconds, options.duration?.inSeconds ?? 0)
    }

    /// A task that hands the combined numbers of `sinks` to `progress` every second until cancelled.
    static func report(
        _ sinks: [ResultSink],
        from runStart: ContinuousClock.Instant,
        to progress: @escaping @Sendable (LoadProgress) -> Void
    ) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                let elapsed = (ContinuousClock.now - runStart).inSeconds
                let parts = sinks.map { $0.progress(elapsed: elapsed) }
                progress(
                    LoadProgress(
                        elapsed: elapsed,
                        completed: parts.reduce(0) { $0 + $1.completed },
                        failed: parts.reduce(0) { $0 + $1.failed },
                        recentTTFT: parts.flatMap(\.recentTTFT)
                    )
                )
            }
        }
    }
}

/// Finished requests and the running counts the progress line shows.
final class ResultSink: Sendable {
    private struct State {
        var results: [RequestResult] = []
        var failed = 0
        var recentTTFT: [Double] = []
    }

    private let state = Mutex(State())
    private let issued = Atomic<Int>(0)

    /// The next request number of a closed loop, shared by its event loops.
    func nextIndex() -> Int {
        issued.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    func append(_ result: RequestResult) {
        state.withLock { state in
            state.results.append(result)
            if result.error != nil { state.failed += 1 }
            if let ttft = result.ttft {
                state.recentTTFT.append(ttft)
                if state.recentTTFT.count > 1000 { state.recentTTFT.removeFirst(state.recentTTFT.count - 1000) }
            }
        }
    }

    var results: [RequestResult] { state.withLock { $0.results } }

    func progress(elapsed: Double) -> LoadProgress {
        state.withLock {
            LoadProgress(elapsed: elapsed, completed: $0.results.count, failed: $0.failed, recentTTFT: $0.recentTTFT)
        }
    }
}
