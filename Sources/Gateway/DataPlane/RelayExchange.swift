import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import OllamaAPI
import Telemetry

/// One request the data plane answers, from its head to the end of its answer, on the client
/// connection's event loop.
///
/// The steps are ``Proxy``'s: read the body (within the size limit), lease a node from the pool
/// by the body's model, send the request over a pooled connection, and relay the answer chunk
/// by chunk. Until the first byte reached the client, a connect failure, a broken connection or
/// a 5xx is retried on another node with backoff; after it, a failure ends the stream with an
/// error line. A client that leaves closes the node connection, which cancels the node's work.
///
/// A route the gateway does not know (``DataPlane/Claim/unknown(_:)``) takes the same steps: by
/// the body's `model` when a POST names one (retried as above), else on any node, whose answer,
/// a 5xx too, passes through unchanged; its metrics are under the route label `other`.
final class RelayExchange {
    enum Phase {
        case reading
        case leasing
        case backoff
        case connecting
        case awaitingHead
        case collectingFailure
        case relaying
        case done
    }

    /// A node's 5xx answer, kept in case every attempt fails: then it is what the client gets.
    struct Failure {
        var head: HTTPResponseHead
        var body: ByteBuffer
        var node: String
    }

    let plane: DataPlane
    weak var front: DataPlaneHandler?
    /// The loop's node connections and timeout watchdog.
    let upstreams: UpstreamPool?
    let loop: any EventLoop
    let request: HTTPRequestHead
    /// The path without the query, or ``unknownRouteLabel`` for a route the gateway does not
    /// know: the route label of the metrics.
    let route: String
    /// Whether the route is one the gateway does not know.
    let unknownRoute: Bool
    let requestID: String
    /// Who sent the request, when keys are configured and it carried one (the gate's answer);
    /// its model list is checked once the body names the model.
    let caller: Caller?
    let arrival = ContinuousClock.now
    let style: ErrorStyle
    var body: ByteBuffer
    var received = 0
    var model: String?

    var phase = Phase.reading
    var attempt = 0
    var excluded: Set<String> = []
    var failedNode: String?
    var lastFailure: Failure?
    var lastError = RelayRules.noAttemptYet
    var lease: NodeLease?
    /// The gateway-queue waiter while the request waits for a node (``NodePool/enqueue``), and
    /// when its wait ends (the loop's watchdog checks it).
    var waitID: UInt64?
    var waitDeadline = NIODeadline.now()
    var connection: UpstreamConnection?
    var reusedConnection = false
    var retriedStale = false
    var started = ContinuousClock.now
    /// When the request went to the node, and when the node last sent anything: the loop's
    /// watchdog compares them with the timeouts.
    var sentAt = NIODeadline.now()
    var lastRead = NIODeadline.now()

    // The answer being relayed.
    var status = 0
    var sent = 0
    var firstByte: Duration?
    var inspector = StreamInspector(contentType: nil)
    var tokens: LLMTally?
    var failureHead: HTTPResponseHead?
    var failureBody = ByteBuffer()
    private var recorded = false

    /// The route label of every route the gateway does not know: bounded, never the raw path.
    static let unknownRouteLabel = "other"

    init(
        plane: DataPlane,
        request: HTTPRequestHead,
        claim: DataPlane.Claim,
        front: DataPlaneHandler,
        loop: any EventLoop,
        requestID: String,
        caller: Caller? = nil
    ) {
        self.plane = plane
        self.front = front
        upstreams = front.upstreams
        self.loop = loop
        self.request = request
        switch claim {
        case .routed(let path):
            route = path
            unknownRoute = false
            style = ErrorStyle(path: path)
        case .unknown(let path):
            route = Self.unknownRouteLabel
            unknownRoute = true
            style = ErrorStyle(path: path)
            plane.logger.unknownRoute(requestID: requestID, method: request.method.rawValue, path: path)
        }
        self.requestID = requestID
        self.caller = caller
        body = front.allocator.buffer(capacity: 0)
        plane.metrics.httpInFlight.add(1)
        plane.metrics.activeTasks.add(1)
    }

    /// Every path that ends an exchange releases its node and records it; should one be missed
    /// (a channel torn down without a close), this keeps the node's capacity and the in-flight
    /// gauge right, as ``LeaseGuard`` does for the router's path.
    deinit {
        if let lease { plane.pool.release(lease, outcome: .cancelled) }
        if !recorded {
            if status == 0 { status = 499 }
            record()
        }
    }

    var settings: DataPlane.Settings { plane.settings }
    var metrics: GatewayMetrics { plane.metrics }

    // MARK: The request body

    /// Checks the declared body length; false when it is over the limit (the 413 is sent).
    func accept(declaredLength: Int?) -> Bool {
        guard let declaredLength, declaredLength > settings.maxBodyBytes else { return true }
        refuseTooLarge()
        return false
    }

    /// Adds a part of the body; false when the body went over the limit (the 413 is sent).
    func receive(_ buffer: ByteBuffer) -> Bool {
        received += buffer.readableBytes
        guard received <= settings.maxBodyBytes else {
            refuseTooLarge()
            return false
        }
        if body.readableBytes == 0 {
            body = buffer  // the usual single-part body: no copy
        } else {
            var buffer = buffer
            body.writeBuffer(&buffer)
        }
        return true
    }

    private func refuseTooLarge() {
        answer(
            errorBody("request body too large (limit \(settings.maxBodyBytes) bytes)", status: .contentTooLarge),
            status: .contentTooLarge,
            close: true
        )
    }

    /// The body is complete: find the model and look for a node. On a route the gateway does
    /// not know, only a POST's `model` routes it.
    func requestComplete() {
        guard phase == .reading else { return }
        if !unknownRoute {
            let fields = TopLevelStrings.scan(body.readableBytesView, keys: RelayRules.routingKeys)
            model = (fields?["model"] ?? fields?["name"]).flatMap { $0.isEmpty ? nil : $0 }
        } else if request.method == .POST {
            model = TopLevelStrings.scan(body.readableBytesView, keys: RelayRules.modelKey)?["model"].flatMap { $0.isEmpty ? nil : $0 }
        }
        if let caller, let model, !caller.allows(model: model) {
            plane.access?.limiter.refused(caller.name, status: 403)
            answer(errorBody(caller.modelRefusal(model), status: .forbidden), status: .forbidden)
            return
        }
        acquire()
    }

    /// Whether a node's 5xx is retried on another node: on every route but one the gateway does
    /// not know that names no model, whose answer is whatever that node says.
    var retriesFailedAnswers: Bool {
        !unknownRoute || model != nil
    }

    // MARK: Answering

    /// Sends a whole answer the gateway made (an error, a refusal, a node's last 5xx).
    func answer(
        _ body: ByteBuffer,
        status: HTTPResponse.Status,
        headers: HTTPHeaders = [:],
        json: Bool = true,
        close: Bool = false
    ) {
        phase = .done
        cancelTimer()
        var headers = headers
        headers.add(name: "X-Request-ID", value: requestID)
        if json { headers.add(name: "Content-Type", value: "application/json; charset=utf-8") }
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        self.status = status.code
        sent = body.readableBytes
        if let front {
            front.writeHead(
                HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status.code), headers: headers)
            )
            front.writeBody(body)
            record()
            front.finishAnswer(close: close)
        } else {
            record()
        }
    }

    /// A gateway-made error body in the route's shape (``ErrorStyle``).
    func errorBody(_ message: String, status: HTTPResponse.Status) -> ByteBuffer {
        style.body(message, status: status, requestID: requestID)
    }

    /// Records the request in the HTTP metrics, exactly once.
    func record() {
        guard !recorded else { return }
        recorded = true
        RequestRecording.record(
            metrics,
            method: unknownRoute ? RelayRules.methodLabel(request.method) : request.method.rawValue,
            route: route,
            status: status,
            started: arrival,
            sent: sent,
            received: received
        )
    }

    // MARK: Timeouts

    /// Stops watching the node's answer for timeouts.
    func cancelTimer() {
        upstreams?.unwatch(self)
    }

    /// Gives up on a node that did not answer in time or went silent inside its answer; called
    /// by the loop's watchdog.
    func checkTimeout(now: NIODeadline) {
        switch phase {
        case .awaitingHead where now - sentAt >= settings.responseTimeout:
            timedOut("no answer within \(settings.responseTimeoutText)")
        case .relaying where now - lastRead >= settings.idleTimeout,
            .collectingFailure where now - lastRead >= settings.idleTimeout:
            timedOut("no data for \(settings.idleTimeoutText)")
        case .leasing where waitID != nil:
            // Delivered to `leased` on this loop, like any other answer from the queue.
            if let waitID, now >= waitDeadline { plane.pool.cancelWait(waitID, error: AdmissionError.queueTimeout) }
        case .awaitingHead, .relaying, .collectingFailure:
            break
        default:
            cancelTimer()
        }
    }
}
