import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import OllamaAPI
import Telemetry

/// Why a node connection gave up: a timeout, or TLS that cannot be set up.
struct UpstreamError: Error, CustomStringConvertible {
    var description: String
    /// Whether the node took too long (a drop for its adaptive limit, ``RelayRules/dropKind(_:)``).
    var timeout = false
}

extension RelayExchange: UpstreamDelegate {
    // MARK: Sending

    /// Sends the request to the leased node over an idle pooled connection, or a new one.
    func connect(_ lease: NodeLease) {
        started = .now
        guard let address = plane.addresses[lease.url], let upstreams else {
            attemptFailed("\(lease.nodeID): node URL \(lease.url) cannot be dialled")
            return
        }
        if let connection = upstreams.checkout(lease.url) {
            send(over: connection, reused: true)
            return
        }
        phase = .connecting
        upstreams.connect(address, node: lease.url) { [self] result in
            switch result {
            case .success(let connection):
                guard phase == .connecting else {
                    upstreams.checkin(connection)
                    return
                }
                send(over: connection, reused: false)
            case .failure(let error):
                guard phase == .connecting else { return }
                // Not connected: the node is down or unreachable, no sign of its load.
                attemptFailed(RelayRules.attemptError(node: lease.nodeID, error), outcome: .failure)
            }
        }
    }

    private func send(over connection: UpstreamConnection, reused: Bool) {
        guard let lease, let address = plane.addresses[lease.url] else { return }
        self.connection = connection
        reusedConnection = reused
        phase = .awaitingHead
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.count + 3)
        headers.add(name: "Host", value: address.hostHeader)
        for (name, value) in request.headers where !RelayRules.isHopByHop(name) {
            if name.utf8.count == 12, name.lowercased() == "x-request-id" { continue }
            headers.add(name: name, value: value)
        }
        headers.add(name: "X-Request-ID", value: requestID)
        // A GET or HEAD without a body (a route the gateway does not know) is sent without one.
        if body.readableBytes > 0 || (request.method != .GET && request.method != .HEAD) {
            headers.add(name: "Content-Length", value: String(body.readableBytes))
        }
        let head = HTTPRequestHead(
            version: .http1_1,
            method: request.method,
            uri: address.basePath + request.uri,
            headers: headers
        )
        metrics.networkTransmit.increment(by: Int64(body.readableBytes), "node")
        sentAt = .now()
        upstreams?.watch(self)
        connection.handler.send(head: head, body: body, to: self)
    }

    // MARK: The node's answer

    func upstreamHead(_ head: HTTPResponseHead) {
        guard phase == .awaitingHead, let lease else { return }
        lastRead = .now()
        if RelayRules.retryable(status: Int(head.status.code)), retriesFailedAnswers {
            // Nothing has reached the client: read the (small) error body and try another node.
            phase = .collectingFailure
            failureHead = head
            failureBody = front?.allocator.buffer(capacity: 0) ?? ByteBuffer()
            return
        }
        phase = .relaying
        if failedNode != nil { metrics.failovers.increment(lease.nodeID) }
        status = Int(head.status.code)
        inspector = StreamInspector(contentType: head.headers.first(name: "content-type"))
        tokens = LLMTally(
            metrics: metrics,
            timing: RelayTiming(arrival: arrival, started: started, inference: RelayRules.inferencePaths.contains(route)),
            streamed: inspector.framing != .whole,
            node: lease.nodeID,
            model: metrics.modelLabel(lease.model ?? model),
            deltas: ContentDeltas.of(style)
        )
        tokens?.keyCharge = keyCharge
        var headers = RelayRules.relayedHeaders(head.headers)
        if let length = head.headers.first(name: "content-length") { headers.add(name: "Content-Length", value: length) }
        headers.add(name: "X-Request-ID", value: requestID)
        headers.add(name: "X-OllamaMax-Node", value: lease.nodeID)
        front?.writeHead(HTTPResponseHead(version: .http1_1, status: head.status, headers: headers))
    }

    func upstreamBody(_ buffer: ByteBuffer) {
        lastRead = .now()
        switch phase {
        case .collectingFailure:
            if failureBody.readableBytes < 1 << 20 {
                var buffer = buffer
                failureBody.writeBuffer(&buffer)
            }
        case .relaying:
            let now = ContinuousClock.now
            if firstByte == nil { firstByte = now - started }
            inspector.inspect(buffer.readableBytesView)
            tokens?.chunk(buffer, at: now)
            sent += buffer.readableBytes
            guard let front else { return }
            front.writeBody(buffer)
            if !front.isWritable { connection?.setReading(false) }
        default:
            break
        }
    }

    func upstreamReadComplete() {
        if phase == .relaying { front?.flush() }
    }

    func upstreamEnd() {
        cancelTimer()
        let connection = connection
        self.connection = nil
        switch phase {
        case .collectingFailure:
            if let connection { upstreams?.checkin(connection) }
            failedWithStatus()
        case .relaying:
            if let connection { upstreams?.checkin(connection) }
            phase = .done
            // Only answers count toward the latency estimate; a quick 4xx says nothing about speed.
            // A 5xx relayed as it is (a route the gateway does not know) says nothing about the node.
            let ttft = status < 400 ? firstByte.map { $0.inSeconds } : nil
            let outcome: RequestOutcome =
                if inspector.streamError != nil {
                    .failure
                } else if status >= 500 {
                    .clientError
                } else if let drop = RelayRules.dropKind(status: status) {
                    .dropped(drop)
                } else {
                    .success(ttft: ttft, timing: status < 400 ? tokens?.answerTiming(firstByte: firstByte) : nil)
                }
            finish(outcome)
            front?.finishAnswer()
        default:
            break
        }
    }

    /// A 5xx answer was read whole: the client's own error goes back as it is; any other is
    /// kept for the client in case no node does better, and the next node is tried.
    private func failedWithStatus() {
        guard let head = failureHead, let lease else { return }
        metrics.networkReceive.increment(by: Int64(failureBody.readableBytes), "node")
        if RelayRules.judge(status: Int(head.status.code), body: failureBody.readableBytesView) == .clientError {
            relayClientError(head, lease: lease)
            return
        }
        let text = String(buffer: failureBody)
        lastFailure = Failure(head: head, body: failureBody, node: lease.nodeID)
        let status = Int(head.status.code)
        attemptFailed(RelayRules.attemptError(node: lease.nodeID, status: status, body: text), outcome: RelayRules.failedOutcome(status: status))
    }

    /// Relays a node's 5xx that is the client's error (``FailedAnswer/clientError``) exactly as
    /// the node sent it: no retry, and the node is released with no verdict on its health.
    private func relayClientError(_ head: HTTPResponseHead, lease: NodeLease) {
        if failedNode != nil { metrics.failovers.increment(lease.nodeID) }
        status = Int(head.status.code)
        sent = failureBody.readableBytes
        tokens = LLMTally(
            metrics: metrics,
            timing: RelayTiming(arrival: arrival, started: started, inference: RelayRules.inferencePaths.contains(route)),
            streamed: false,
            node: lease.nodeID,
            model: metrics.modelLabel(lease.model ?? model)
        )
        tokens?.keyCharge = keyCharge
        finish(.clientError)
        var headers = RelayRules.relayedHeaders(head.headers)
        headers.add(name: "X-OllamaMax-Node", value: lease.nodeID)
        answer(failureBody, status: .init(code: status), headers: headers, json: false)
    }

    func upstreamFailed(_ error: any Error) {
        cancelTimer()
        connection?.abandon()
        connection = nil
        guard let lease else { return }
        switch phase {
        case .awaitingHead where reusedConnection && !retriedStale:
            // A kept-alive connection the node had closed while it sat idle: one more try on a fresh one.
            retriedStale = true
            connect(lease)
        case .awaitingHead, .collectingFailure:
            attemptFailed(RelayRules.attemptError(node: lease.nodeID, error), outcome: RelayRules.failedOutcome(error))
        case .relaying:
            phase = .done
            let message = RelayRules.midStream(node: lease.nodeID, error)
            finish(RelayRules.failedOutcome(error), error: message)
            guard let front else { return }
            if inspector.framing == .whole {
                front.abort()
            } else {
                front.writeBody(style.streamErrorLine(message, after: inspector))
                front.finishAnswer()
            }
        default:
            break
        }
    }

    // MARK: The client

    /// The client connection closed: stop the node's work and hand the node back.
    func clientGone() {
        let was = phase
        phase = .done
        cancelTimer()
        if let waitID { plane.pool.cancelWait(waitID, error: CancellationError()) }
        connection?.abandon()
        connection = nil
        switch was {
        case .awaitingHead, .collectingFailure, .relaying, .connecting:
            finish(.cancelled)
        case .reading, .leasing, .backoff:
            if status == 0 { status = 499 }
            record()
        case .done:
            break
        }
    }

    /// Relays again once a slow client drained its buffer.
    func clientWritabilityChanged(_ writable: Bool) {
        if writable, phase == .relaying { connection?.setReading(true) }
    }

    // MARK: Endings

    /// Ends the request on its node: releases the lease, records the metrics and logs a line.
    private func finish(_ outcome: RequestOutcome, error: String? = nil) {
        guard let lease else { return }
        self.lease = nil
        release(lease, outcome, error: error)
        if status == 0 { status = 499 }
        if let tokens, tokens.timing.inference { tokens.finish(status: status, outcome: outcome) }
        record()
        plane.logger.requestDone(
            requestID: requestID,
            node: lease.nodeID,
            model: model,
            status: status,
            firstByte: firstByte,
            started: started,
            outcome: outcome
        )
    }

    func timedOut(_ what: String) {
        let connection = connection
        self.connection = nil
        connection?.abandon()
        upstreamFailed(UpstreamError(description: what, timeout: true))
    }

}
