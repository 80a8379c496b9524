import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import OllamaAPI
import Telemetry

/// Forwards one router request to a node chosen by the pool and relays the answer as it arrives:
/// the model-management requests that go to one node (`/api/pull`, `/api/create`, `/api/copy`,
/// `/api/delete` when no node holds the model yet) and `GET /v1/models/{model}`. The routed
/// inference endpoints never reach it: the data plane answers them in the server pipeline.
///
/// Both follow ``RelayRules``: until the first byte reaches the client, a connect failure or a
/// 5xx from a node is retried on another node (bounded attempts, exponential backoff with full
/// jitter), unless the 5xx is the client's error (``RelayRules/judge(status:body:)``). After that, a broken upstream ends the stream with an Ollama-style error line; a
/// client that leaves cancels the upstream request.
struct Proxy: Sendable {
    let client: HTTPClient
    let pool: NodePool
    let configuration: GatewayConfiguration
    let metrics: GatewayMetrics
    let logger: Logger

    /// Forwards `request` (whose body was read into `body`) to the node for `model`.
    ///
    /// - Parameter model: the model to route by; `nil` reads it from the body's `model` field.
    func forward(
        _ request: Request,
        body: ByteBuffer,
        model explicitModel: String? = nil,
        requestID: String
    ) async
        -> Response
    {
        let arrival = ContinuousClock.now
        let style = ErrorStyle(path: request.uri.path)
        let fields = TopLevelStrings.scan(body.readableBytesView, keys: RelayRules.routingKeys)
        let model = (explicitModel ?? fields?["model"] ?? fields?["name"]).flatMap { $0.isEmpty ? nil : $0 }
        var excluded: Set<String> = []
        var lastFailure: (status: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer, node: String)?
        var lastError = RelayRules.noAttemptYet
        var failedNode: String?
        for attempt in 0..<configuration.maxAttempts {
            if let failedNode {
                metrics.retries.increment(failedNode)
                await backoff(attempt: attempt)
            }
            let lease: NodeLease
            do {
                let waitStart = ContinuousClock.now
                lease = try await pool.lease(model: model, excluding: excluded)
                metrics.queueWait.observe((ContinuousClock.now - waitStart).inSeconds)
            } catch let error as AdmissionError {
                if case .exhausted = error, let failure = lastFailure { return passThrough(failure, requestID: requestID) }
                if case .exhausted = error { break }
                return refusal(error, model: model, style: style, requestID: requestID)
            } catch {
                return style.response("request canceled", status: .init(code: 499))
            }
            let started = ContinuousClock.now
            metrics.networkTransmit.increment(by: Int64(body.readableBytes), "node")
            let upstream: HTTPClientResponse
            do {
                upstream = try await client.execute(
                    upstreamRequest(request, body: body, node: lease, requestID: requestID),
                    deadline: .now() + TimeAmount(configuration.responseTimeout),
                    logger: logger
                )
            } catch {
                if Task.isCancelled {
                    pool.release(lease, outcome: .cancelled)
                    return style.response("request canceled", status: .init(code: 499))
                }
                lastError = RelayRules.attemptError(node: lease.nodeID, error)
                await failed(lease, lastError, RelayRules.failedOutcome(error), requestID: requestID, excluded: &excluded)
                failedNode = lease.nodeID
                continue
            }
            if RelayRules.retryable(status: Int(upstream.status.code)) {
                // Nothing has reached the client: read the (small) error body and try another node.
                var failureBody = (try? await upstream.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
                metrics.networkReceive.increment(by: Int64(failureBody.readableBytes), "node")
                let failure = (upstream.status, upstream.headers, failureBody, lease.nodeID)
                if RelayRules.judge(status: Int(upstream.status.code), body: failureBody.readableBytesView) == .clientError {
                    // The client's own error (an option of the wrong type): as it is, no retry, no verdict on the node.
                    pool.release(lease, outcome: .clientError)
                    if failedNode != nil { metrics.failovers.increment(lease.nodeID) }
                    return passThrough(failure, requestID: requestID)
                }
                let text = failureBody.readString(length: failureBody.readableBytes) ?? ""
                failureBody.moveReaderIndex(to: 0)
                lastFailure = failure
                lastError = RelayRules.attemptError(node: lease.nodeID, status: Int(upstream.status.code), body: text)
                let outcome = RelayRules.failedOutcome(status: Int(upstream.status.code))
                await failed(lease, lastError, outcome, requestID: requestID, excluded: &excluded)
                failedNode = lease.nodeID
                continue
            }
            if failedNode != nil { metrics.failovers.increment(lease.nodeID) }
            let timing = RelayTiming(
                arrival: arrival,
                started: started,
                inference: RelayRules.inferencePaths.contains(request.uri.path)
            )
            return relay(upstream, lease: lease, timing: timing, style: style, requestID: requestID, model: model)
        }
        if let failure = lastFailure { return passThrough(failure, requestID: requestID) }
        return style.response(RelayRules.exhausted(lastError: lastError), status: .badGateway, headers: requestIDHeader(requestID))
    }

    /// Records a failed attempt on a node that nothing was relayed from, so the next attempt avoids it.
    private func failed(
        _ lease: NodeLease,
        _ message: String,
        _ outcome: RequestOutcome,
        requestID: String,
        excluded: inout Set<String>
    ) async {
        pool.release(lease, outcome: outcome)
        pool.noteError(lease.nodeID, message)
        excluded.insert(lease.nodeID)
        logger.attemptFailed(requestID: requestID, node: lease.nodeID, error: message)
    }

    private func refusal(_ error: AdmissionError, model: String?, style: ErrorStyle, requestID: String) -> Response {
        metrics.rejections.increment(error.reason)
        let answer = error.answer(model: model, queueTimeout: pool.queueKnobs.timeout, outages: pool.outages())
        var headers = requestIDHeader(requestID)
        if answer.retryAfter { headers[.retryAfter] = "1" }
        return style.response(answer.message, status: answer.status, headers: headers)
    }

    private func upstreamRequest(_ request: Request, body: ByteBuffer, node: NodeLease, requestID: String) -> HTTPClientRequest {
        var upstream = HTTPClientRequest(url: node.url + request.uri.description)
        upstream.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where !RelayRules.hopByHop.contains(field.name.canonicalName) {
            upstream.headers.add(name: field.name.rawName, value: field.value)
        }
        upstream.headers.replaceOrAdd(name: "X-Request-ID", value: requestID)
        if body.readableBytes > 0 || request.method == .post || request.method == .delete {
            upstream.body = .bytes(body)
        }
        return upstream
    }

    private func passThrough(
        _ failure: (status: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer, node: String),
        requestID: String
    ) -> Response {
        var headers = RelayRules.responseFields(failure.headers)
        headers[.requestID] = requestID
        headers[.servingNode] = failure.node
        return Response(
            status: HTTPResponse.Status(code: Int(failure.status.code)),
            headers: headers,
            body: ResponseBody(byteBuffer: failure.body)
        )
    }

    private func backoff(attempt: Int) async {
        try? await Task.sleep(
            for: .nanoseconds(RelayRules.backoffNanoseconds(attempt: attempt, base: configuration.retryBackoff))
        )
    }

    func requestIDHeader(_ id: String) -> HTTPFields {
        [.requestID: id]
    }
}

extension HTTPField.Name {
    /// `X-Request-ID`: propagated from the client, or generated.
    static let requestID = HTTPField.Name("X-Request-ID")!
    /// `X-OllamaMax-Node`: the node that served the request.
    static let servingNode = HTTPField.Name("X-OllamaMax-Node")!
}
