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
    /// Seconds of measured load; `nil` when `requests` bounds the run.
    public var duration: Double?
    /// Requests to measure; `nil` when `duration` bounds the run.
    public var requests: Int?
    /// Requests sent first and not counted (model load, connection set-up).
    public var warmup: Int
    /// Open loop: requests allowed in flight at once; a send beyond it waits, and its lag is reported.
    public var maxInFlight: Int

    public init(mode: LoadMode, duration: Double?, requests: Int?, warmup: Int = 0, maxInFlight: Int = 4096) {
        self.mode = mode
        self.duration = duration
        self.requests = requests
        self.warmup = warmup
        self.maxInFlight = maxInFlight
    }
}

/// Live numbers for the progress line.
public struct LoadProgress: Sendable {
    public var elapsed: Double
    public var completed: Int
    public var failed: Int
    public var recentTTFT: [Double]
}

/// Sends the load and times every request: the I/O edge of the load generator.
///
/// Requests go over ``LoadConnection``s, keep-alive HTTP/1.1 connections on NIO's event loops
/// that time every chunk where it arrives. A closed-loop client keeps its own connection; an
/// open loop takes an idle one from a shared pool or opens another.
public struct LoadRunner: Sendable {
    public let target: LoadTarget
    /// The prompt and output-token cap for request number `index`.
    public let prompt: @Sendable (Int) -> (text: String, maxTokens: Int?)
    let address: LoadAddress
    let group: any EventLoopGroup
    let tls: NIOSSLContext?
    let head: HTTPRequestHead

    /// Prepares a run against `target`; fails when its URL is not an http(s) base URL.
    public init(
        target: LoadTarget, prompt: @escaping @Sendable (Int) -> (text: String, maxTokens: Int?),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws(LoadError) {
        self.target = target
        self.prompt = prompt
        self.group = group
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
        head = HTTPRequestHead(version: .http1_1, method: .POST, uri: address.basePath + target.path, headers: headers)
    }

    /// Runs the warm-up, then the measured load; `stop` ends it early (Ctrl-C), keeping what finished.
    public func run(
        _ options: LoadOptions, stop: @escaping @Sendable () -> Bool = { false },
        progress: @escaping @Sendable (LoadProgress) -> Void = { _ in }
    ) async -> (results: [RequestResult], elapsed: Double) {
        var warm: LoadConnection?
        for index in 0..<options.warmup where !stop() {
            _ = await send(index: -1 - index, intended: .now, runStart: .now, over: &warm)
        }
        warm?.close()
        let sink = ResultSink()
        let runStart = ContinuousClock.now
        let reporter = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                progress(sink.progress(elapsed: Self.seconds(ContinuousClock.now - runStart)))
            }
        }
        defer { reporter.cancel() }
        switch options.mode {
        case .closed(let concurrency):
            await closedLoop(concurrency: concurrency, options: options, runStart: runStart, sink: sink, stop: stop)
        case .open(let schedule):
            await openLoop(
                schedule.sendOffsets(duration: options.duration, requests: options.requests), options: options,
                runStart: runStart, sink: sink, stop: stop)
        case .ramp(let ramp):
            await openLoop(
                Array(ramp.sendOffsets().prefix(options.requests ?? Int.max)), options: options, runStart: runStart, sink: sink,
                stop: stop)
        }
        // The measurement window is at least the planned duration: an open loop that sent its few
        // requests early must not look faster than it was offered.
        return (sink.results, Swift.max(Self.seconds(ContinuousClock.now - runStart), options.duration ?? 0))
    }

    private func closedLoop(
        concurrency: Int, options: LoadOptions, runStart: ContinuousClock.Instant, sink: ResultSink, stop: @escaping @Sendable () -> Bool
    ) async {
        let deadline = options.duration.map { runStart + .seconds($0) }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var connection: LoadConnection?
                    defer { connection?.close() }
                    while !stop() {
                        if let deadline, ContinuousClock.now >= deadline { return }
                        let index = sink.nextIndex()
                        if let limit = options.requests, index >= limit { return }
                        sink.append(await send(index: index, intended: .now, runStart: runStart, over: &connection))
                    }
                }
            }
        }
    }

    private func openLoop(
        _ offsets: [Double], options: LoadOptions, runStart: ContinuousClock.Instant, sink: ResultSink,
        stop: @escaping @Sendable () -> Bool
    ) async {
        let idle = IdleConnections()
        defer { idle.closeAll() }
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for (index, offset) in offsets.enumerated() {
                if stop() { break }
                let intended = runStart + .seconds(offset)
                try? await Task.sleep(until: intended, clock: .continuous)
                // At the cap, the next send waits for a finished request; its lag behind the plan is reported.
                while inFlight >= options.maxInFlight, await group.next() != nil { inFlight -= 1 }
                group.addTask {
                    var connection = idle.take()
                    sink.append(await send(index: index, intended: intended, runStart: runStart, over: &connection))
                    if let connection { idle.put(connection) }
                }
                inFlight += 1
            }
        }
    }

    /// Sends request `index`, planned for `intended`, over `connection` (opened or replaced when
    /// needed), and times it against the plan.
    func send(
        index: Int, intended: ContinuousClock.Instant, runStart: ContinuousClock.Instant, over connection: inout LoadConnection?
    ) async -> RequestResult {
        let (text, maxTokens) = prompt(Swift.max(0, index))
        let body = ByteBuffer(bytes: target.body(prompt: text, maxTokens: maxTokens))
        let recorder = ResponseRecorder(
            target: target, intendedStart: Self.seconds(intended - runStart),
            actualStart: Self.seconds(ContinuousClock.now - runStart))
        let timeout = TimeAmount.nanoseconds(Int64(target.timeoutSeconds * 1e9))
        // A server may close an idle keep-alive connection just as a request goes out: that
        // request is sent once more on a new connection, as HTTP clients do.
        for attempt in 0..<2 {
            if connection?.isActive != true {
                connection?.close()
                connection = nil
                do {
                    connection = try await LoadConnection.connect(to: address, group: group, tls: tls, timeout: timeout)
                } catch {
                    return recorder.finish(
                        at: Self.seconds(ContinuousClock.now - intended), error: Task.isCancelled ? .cancelled : .connect)
                }
            }
            guard let open = connection else { break }
            let wasReused = open.reused.load(ordering: .relaxed)
            let result = await open.send(head: head, body: body, recorder: recorder, intended: intended, timeout: timeout)
            if result.error == .connect, wasReused, attempt == 0, !Task.isCancelled {
                open.close()
                connection = nil
                continue
            }
            if result.error != nil, !open.isActive { connection = nil }
            return result
        }
        return recorder.finish(at: Self.seconds(ContinuousClock.now - intended), error: .connect)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}

/// Open-loop connections that are free for the next send.
final class IdleConnections: Sendable {
    private let connections = Mutex<[LoadConnection]>([])

    func take() -> LoadConnection? {
        connections.withLock { $0.popLast() }
    }

    func put(_ connection: LoadConnection) {
        guard connection.isActive else { return }
        connections.withLock { $0.append(connection) }
    }

    func closeAll() {
        for connection in connections.withLock({ $0 }) { connection.close() }
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

    /// The next request number for a closed-loop client.
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
