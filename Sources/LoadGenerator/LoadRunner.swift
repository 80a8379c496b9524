import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
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
public struct LoadRunner: Sendable {
    public let client: HTTPClient
    public let target: LoadTarget
    /// The prompt and output-token cap for request number `index`.
    public let prompt: @Sendable (Int) -> (text: String, maxTokens: Int?)

    public init(client: HTTPClient, target: LoadTarget, prompt: @escaping @Sendable (Int) -> (text: String, maxTokens: Int?)) {
        self.client = client
        self.target = target
        self.prompt = prompt
    }

    /// Runs the warm-up, then the measured load; `stop` ends it early (Ctrl-C), keeping what finished.
    public func run(
        _ options: LoadOptions, stop: @escaping @Sendable () -> Bool = { false },
        progress: @escaping @Sendable (LoadProgress) -> Void = { _ in }
    ) async -> (results: [RequestResult], elapsed: Double) {
        for index in 0..<options.warmup where !stop() {
            _ = await send(index: -1 - index, intended: .now, runStart: .now)
        }
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
                    while !stop() {
                        if let deadline, ContinuousClock.now >= deadline { return }
                        let index = sink.nextIndex()
                        if let limit = options.requests, index >= limit { return }
                        let now = ContinuousClock.now
                        sink.append(await send(index: index, intended: now, runStart: runStart))
                    }
                }
            }
        }
    }

    private func openLoop(
        _ offsets: [Double], options: LoadOptions, runStart: ContinuousClock.Instant, sink: ResultSink,
        stop: @escaping @Sendable () -> Bool
    ) async {
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for (index, offset) in offsets.enumerated() {
                if stop() { break }
                let intended = runStart + .seconds(offset)
                try? await Task.sleep(until: intended, clock: .continuous)
                // At the cap, the next send waits for a finished request; its lag behind the plan is reported.
                while inFlight >= options.maxInFlight, await group.next() != nil { inFlight -= 1 }
                group.addTask { sink.append(await send(index: index, intended: intended, runStart: runStart)) }
                inFlight += 1
            }
        }
    }

    /// Sends request `index`, planned for `intended`, and times it against the plan.
    func send(index: Int, intended: ContinuousClock.Instant, runStart: ContinuousClock.Instant) async -> RequestResult {
        let (text, maxTokens) = prompt(Swift.max(0, index))
        var request = HTTPClientRequest(url: target.url + target.path)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: target.body(prompt: text, maxTokens: maxTokens)))
        let started = ContinuousClock.now
        var result = RequestResult(
            intendedStart: Self.seconds(intended - runStart), actualStart: Self.seconds(started - runStart), ttft: nil, gaps: [],
            endToEnd: 0, promptTokens: nil, outputTokens: nil, status: nil, error: nil)
        var timing = StreamTiming(streamed: target.stream, sse: target.api == .openai)
        var firstByte: UInt8?
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(target.timeoutSeconds * 1000)))
            result.status = Int(response.status.code)
            for try await chunk in response.body {
                if firstByte == nil { firstByte = chunk.readableBytesView.first { $0 > 0x20 } }
                timing.feed(chunk.readableBytesView, at: Self.seconds(ContinuousClock.now - intended))
            }
        } catch {
            result.error = Self.kind(of: error, gotHead: result.status != nil)
        }
        result.endToEnd = Self.seconds(ContinuousClock.now - intended)
        if result.error == nil, let status = result.status {
            if status >= 500 {
                result.error = .http5xx
            } else if status >= 400 {
                result.error = .http4xx
            } else if timing.malformed || (firstByte != nil && firstByte != UInt8(ascii: "{") && !(target.stream && target.api == .openai)) {
                result.error = .badResponse
            } else if target.stream && !timing.finished {
                result.error = .streamBroken
            }
        }
        result.ttft = target.stream ? timing.tokenTimes.first : nil
        result.gaps = timing.gaps
        result.promptTokens = timing.reported.promptTokens
        result.outputTokens = timing.outputTokens
        return result
    }

    static func kind(of error: any Error, gotHead: Bool) -> ErrorKind {
        if error is CancellationError { return .cancelled }
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout { return .timeout }
            if error == .connectTimeout { return .connect }
            if error == .cancelled { return .cancelled }
        }
        return gotHead ? .streamBroken : .connect
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
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
