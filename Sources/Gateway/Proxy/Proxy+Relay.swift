import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import OllamaAPI
import Telemetry

/// When a relayed request started, for latency metrics.
struct RelayTiming: Sendable {
    /// The request's arrival at the gateway (client view: TTFT and end-to-end time).
    let arrival: ContinuousClock.Instant
    /// The start of the attempt on this node (node view: the routing latency estimate).
    let started: ContinuousClock.Instant
    /// Whether the route is inference, so its answer feeds the LLM metrics.
    let inference: Bool
}

extension Proxy {
    /// Relays the node's answer chunk by chunk, with backpressure, and releases the node at the end.
    func relay(
        _ upstream: HTTPClientResponse,
        lease: NodeLease,
        timing: RelayTiming,
        style: ErrorStyle,
        requestID: String,
        model: String?
    ) -> Response {
        var headers = RelayRules.responseFields(upstream.headers)
        headers[.requestID] = requestID
        headers[.servingNode] = lease.nodeID
        let contentLength = upstream.headers.first(name: "content-length").flatMap(Int.init)
        let pool = pool
        let logger = logger
        let metrics = metrics
        let status = upstream.status.code
        let owner = LeaseGuard(lease, pool: pool)
        return Response(
            status: HTTPResponse.Status(code: Int(status)),
            headers: headers,
            body: ResponseBody(contentLength: contentLength) { writer in
                var inspector = StreamInspector(contentType: upstream.headers.first(name: "content-type"))
                var tokens = LLMTally(
                    metrics: metrics,
                    timing: timing,
                    streamed: inspector.framing != .whole,
                    node: lease.nodeID,
                    model: metrics.modelLabel(lease.model ?? model)
                )
                var firstByte: Duration?
                var clientGone = false
                var upstreamError: (any Error)?
                do {
                    for try await chunk in upstream.body {
                        let now = ContinuousClock.now
                        if firstByte == nil { firstByte = now - timing.started }
                        inspector.inspect(chunk.readableBytesView)
                        tokens.chunk(chunk, at: now)
                        do {
                            try await writer.write(chunk)
                        } catch {
                            clientGone = true
                            break
                        }
                    }
                } catch {
                    upstreamError = error
                }
                let outcome: RequestOutcome
                if clientGone {
                    outcome = .cancelled
                } else if let upstreamError {
                    outcome = RelayRules.failedOutcome(upstreamError)
                    let message = RelayRules.midStream(node: lease.nodeID, upstreamError)
                    pool.noteError(lease.nodeID, message)
                    if inspector.framing != .whole {
                        try? await writer.write(style.streamErrorLine(message, after: inspector))
                    }
                } else {
                    // Only answers count toward the latency estimate; a quick 4xx says nothing about speed.
                    let ttft = status < 400 ? firstByte.map { $0.inSeconds } : nil
                    if inspector.streamError != nil {
                        outcome = .failure
                    } else if let drop = RelayRules.dropKind(status: Int(status)) {
                        outcome = .dropped(drop)
                    } else {
                        outcome = .success(ttft: ttft, timing: status < 400 ? tokens.answerTiming(firstByte: firstByte) : nil)
                    }
                }
                owner.release(outcome)
                if timing.inference { tokens.finish(status: Int(status), outcome: outcome) }
                logger.requestDone(
                    requestID: requestID,
                    node: lease.nodeID,
                    model: model,
                    status: Int(status),
                    firstByte: firstByte,
                    started: timing.started,
                    outcome: outcome
                )
                if clientGone { throw CancellationError() }
                if upstreamError != nil, inspector.framing == .whole { throw CancellationError() }
                try await writer.finish(nil)
            }
        )
    }
}

/// What one relayed answer contributes to the metrics: body bytes always; for inference, tokens,
/// time to first token, gaps between token chunks and the request's outcome.
struct LLMTally {
    let metrics: GatewayMetrics
    let timing: RelayTiming
    let streamed: Bool
    let node: String
    let model: String
    /// The API key the answer's tokens are charged to (its tokens-per-minute limit), if any.
    var keyCharge: KeyCharge?
    private var usage = UsageScanner()
    /// Which chunks carry tokens, on routes where not all do (``ContentDeltas``); nil: every chunk.
    private var deltas: ContentDeltas?
    private var firstChunk: ContinuousClock.Instant?
    private var lastChunk: ContinuousClock.Instant?

    init(metrics: GatewayMetrics, timing: RelayTiming, streamed: Bool, node: String, model: String, deltas: ContentDeltas? = nil) {
        self.metrics = metrics
        self.timing = timing
        self.streamed = streamed
        self.node = node
        self.model = model
        self.deltas = deltas
    }

    /// Notes a chunk on its way to the client: the first token chunk is the first token, and
    /// each later one ends a gap.
    mutating func chunk(_ chunk: ByteBuffer, at now: ContinuousClock.Instant) {
        metrics.networkReceive.increment(by: Int64(chunk.readableBytes), "node")
        guard timing.inference else { return }
        usage.scan(chunk.readableBytesView)
        if deltas != nil, !deltas!.carriesTokens(chunk) { return }
        if firstChunk == nil { firstChunk = now }
        if streamed, let lastChunk { metrics.interTokenLatency.observe((now - lastChunk).inSeconds, node, model) }
        lastChunk = now
    }

    /// What the answer says about the node's speed, for its adaptive limit (nil off the
    /// inference routes); `firstByte` is the answer's first byte after the request was sent.
    func answerTiming(firstByte: Duration?) -> AnswerTiming? {
        guard timing.inference else { return nil }
        let first = streamed ? firstChunk.map { $0 - timing.started } : firstByte
        return AnswerTiming(firstChunk: first, streamed: streamed, usage: usage.usage)
    }

    /// Records the request once it is over: a 4xx from the node is the client's error, not the
    /// node's, and so is a 5xx the rules judge the client's (``RequestOutcome/clientError``).
    func finish(status: Int, outcome: RequestOutcome) {
        let label =
            switch outcome {
            case _ where (400..<500).contains(status): "client_error"
            case .clientError: "client_error"
            case .success: "success"
            case .failure, .dropped: "failure"
            case .cancelled: "cancelled"
            }
        metrics.llmRequests.increment(node, model, label)
        metrics.llmDuration.observe((ContinuousClock.now - timing.arrival).inSeconds, node, model)
        if streamed, let firstChunk {
            metrics.timeToFirstToken.observe((firstChunk - timing.arrival).inSeconds, node, model)
        }
        let found = usage.usage
        if let prompt = found.promptTokens { metrics.promptTokens.increment(by: Int64(prompt), node, model) }
        if let output = found.outputTokens {
            metrics.outputTokens.increment(by: Int64(output), node, model)
            // Decode time per token as the client sees it (vLLM's TPOT): first to last chunk over
            // the tokens after the first.
            if streamed, output > 1, let firstChunk, let lastChunk {
                metrics.timePerOutputToken.observe((lastChunk - firstChunk).inSeconds / Double(output - 1), node, model)
            }
        }
        if let speed = found.tokensPerSecond { metrics.generationSpeed.observe(speed, node, model) }
        if let keyCharge {
            keyCharge.limiter.charge(keyCharge.name, promptTokens: found.promptTokens ?? 0, outputTokens: found.outputTokens ?? 0)
        }
    }
}

/// Where an answer's tokens go besides the metrics: the limiter of the key that asked.
struct KeyCharge: Sendable {
    let limiter: KeyLimiter
    /// The key's name.
    let name: String
}
