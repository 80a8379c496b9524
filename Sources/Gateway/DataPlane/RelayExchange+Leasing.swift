import HTTPTypes
import NIOCore
import NIOHTTP1
import OllamaAPI
import Telemetry

extension RelayExchange {
    /// Starts the next attempt: a node at once when one has room, else a wait in the gateway
    /// queue whose answer hops back to this loop (no task: the wait costs a queue entry and a
    /// hop, and the loop's watchdog ends it at the queue timeout).
    func acquire() {
        phase = .leasing
        let waitStart = ContinuousClock.now
        switch plane.pool.tryLease(model: model, excluding: excluded) {
        case .leased(let lease):
            leased(.success(lease), waitStart: waitStart)
        case .refused(let error):
            leased(.failure(error), waitStart: waitStart)
        case .mustWait:
            let bound = NIOLoopBound(self, eventLoop: loop)
            let loop = loop
            waitDeadline = .now() + plane.pool.queueKnobs.timeoutAmount
            upstreams?.watch(self)
            waitID = plane.pool.enqueue(model: model, excluding: excluded) { result in
                loop.execute { bound.value.leased(result, waitStart: waitStart) }
            }
        }
    }

    private func leased(_ result: Result<NodeLease, any Error>, waitStart: ContinuousClock.Instant) {
        if waitID != nil {
            waitID = nil
            cancelTimer()
        }
        guard phase == .leasing else {
            if case .success(let lease) = result { release(lease, .cancelled) }
            return
        }
        switch result {
        case .success(let lease):
            metrics.queueWait.observe((ContinuousClock.now - waitStart).inSeconds)
            self.lease = lease
            connect(lease)
        case .failure(let error as AdmissionError):
            if case .exhausted = error {
                giveUp()
                return
            }
            refuse(error)
        case .failure:
            answer(errorBody("request canceled", status: .init(code: 499)), status: .init(code: 499))
        }
    }

    private func refuse(_ error: AdmissionError) {
        metrics.rejections.increment(error.reason)
        let answer = error.answer(model: model, queueTimeout: plane.pool.queueKnobs.timeout, outages: plane.pool.outages())
        var headers = HTTPHeaders()
        if answer.retryAfter { headers.add(name: "Retry-After", value: "1") }
        self.answer(errorBody(answer.message, status: answer.status), status: answer.status, headers: headers)
    }

    /// Every attempt failed: the last node error passes through, or a 502 says what happened.
    func giveUp() {
        if let failure = lastFailure {
            var headers = RelayRules.relayedHeaders(failure.head.headers)
            headers.add(name: "X-OllamaMax-Node", value: failure.node)
            answer(failure.body, status: .init(code: Int(failure.head.status.code)), headers: headers, json: false)
            return
        }
        answer(
            errorBody(RelayRules.exhausted(lastError: lastError), status: .badGateway),
            status: .badGateway
        )
    }

    /// Records a failed attempt on a node nothing was relayed from, and tries the next one.
    /// `outcome` is ``RequestOutcome/failure`` or a drop (``RelayRules/failedOutcome(_:)``).
    func attemptFailed(_ message: String, outcome: RequestOutcome = .failure) {
        cancelTimer()
        guard let lease else { return }
        self.lease = nil
        lastError = message
        release(lease, outcome, error: message)
        excluded.insert(lease.nodeID)
        failedNode = lease.nodeID
        plane.logger.attemptFailed(requestID: requestID, node: lease.nodeID, error: message)
        attempt += 1
        guard attempt < settings.maxAttempts else {
            phase = .done
            giveUp()
            return
        }
        metrics.retries.increment(lease.nodeID)
        phase = .backoff
        let delay = TimeAmount.nanoseconds(RelayRules.backoffNanoseconds(attempt: attempt, base: settings.retryBackoff))
        loop.assumeIsolated().scheduleTask(in: delay) { [self] in
            if phase == .backoff { acquire() }
        }
    }

    /// Hands the node back to the pool, which may admit a queued request.
    func release(_ lease: NodeLease, _ outcome: RequestOutcome, error: String? = nil) {
        plane.pool.release(lease, outcome: outcome, error: error)
    }
}
