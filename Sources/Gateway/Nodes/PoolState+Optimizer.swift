import Foundation
import OllamaAPI
import Optimizer

/// The optimizer's fast path in the pool: one ``AdaptiveLimit`` per (node, model), fed at
/// every release, read by routing through ``NodeSnapshot/limitByModel``.
extension PoolState {
    /// Gives every node that lists `model` a limiter for it, if it has none yet: its ceiling is
    /// the node's static limit (`max_in_flight`). Nothing with the optimizer off.
    mutating func prepareLimiters(for model: String) {
        guard let parameters = limiterParameters else { return }
        for index in records.indices where records[index].limiters[model] == nil && records[index].models.contains(model) {
            let limiter = AdaptiveLimit(parameters: parameters, ceiling: records[index].endpoint.maxInFlight, now: .seconds(now()))
            records[index].limiters[model] = limiter
            records[index].limitByModel[model] = limiter.limit
        }
    }

    /// Whether a request for `model` would wait in the gateway queue longer than it may: with
    /// adaptive limits, its expected wait is over `queueWaitShare` of the queue's `timeout`, so
    /// it gets a fast 503 with `Retry-After` now instead of a 503 when the timeout ends (or,
    /// under 1, a wait longer than the level allows). A slot of the model frees every
    /// `answer time / slots` (its mean answer time over the nodes, its limits summed), so the
    /// newcomer behind `queued` others waits about `(queued + 1) × answer time / slots`. A burst
    /// the nodes drain in time queues whole, as Ollama queues it; a queue that outgrows the
    /// timeout is cut at the length the nodes can serve within it. Never with the optimizer off,
    /// or before the model has a limit and a finished request.
    ///
    /// With peers (``PeerService``) the queue drains only as fast as this gateway's own share
    /// of the nodes' requests finishes, so the slots count in that share (own in flight over
    /// own and peers' in flight for the model; all of them while nothing is in flight).
    func modelQueueIsFull(_ model: String, timeout: Duration) -> Bool {
        guard let parameters = limiterParameters else { return false }
        let answers = records.compactMap { $0.requestSecondsByModel[model] }
        guard !answers.isEmpty else { return false }
        let answer = answers.reduce(0, +) / Double(answers.count)
        let slots = records.reduce(0) { $0 + ($1.sharedLimit(model) ?? 0) }
        guard slots > 0 else { return false }
        let own = records.reduce(0) { $0 + $1.inFlightByModel[model, default: 0] }
        let node = records.reduce(0) { $0 + $1.nodeInFlight(model) }
        let share = node > own ? Double(own) / Double(node) : 1
        let queued = waiters.reduce(0) { $0 + ($1.model == model ? 1 : 0) }
        // At least one slot: a gateway with nothing in flight still gets the next free one.
        let expectedWait = Double(queued + 1) * answer / max(1, Double(slots) * share)
        return expectedWait > parameters.queueWaitShare * timeout.inSeconds
    }

    /// Feeds the pair's limiter with what `outcome` says, before the request leaves the
    /// in-flight count (the limiter sees the load the request ran under); returns the change,
    /// logged, if the limit moved.
    mutating func adapt(_ index: Int, model: String, outcome: RequestOutcome) -> DecisionLog.Entry? {
        guard records[index].limiters[model] != nil else { return nil }
        let signal = outcome.limitSignal
        if case .dropped(let kind) = signal { records[index].drops[model, default: [:]][kind, default: 0] += 1 }
        let inFlight = records[index].nodeInFlight(model)
        // Latency inflation never takes the limit under the pair's learned slots.
        let floor = records[index].learning[model]?.floor
        records[index].limiters[model]?.floor = floor
        // Mutated in place through the dictionary: a copy would duplicate the limiter's window.
        let decision = records[index].limiters[model]?.record(signal, inFlight: inFlight, now: .seconds(now()))
        records[index].limitByModel[model] = records[index].limiters[model]?.limit
        guard let decision else { return nil }
        decisionCounts[decision.kind, default: 0] += 1
        let entry = DecisionLog.Entry(node: records[index].endpoint.id, model: model, decision: decision)
        decisions.append(entry)
        return entry
    }

    /// Everything the optimizer knows, with decision times on the wall clock: `wallNow` is the
    /// wall time of this state's `now()`.
    func optimizerSnapshot(wallNow: Date) -> OptimizerSnapshot {
        let clock = now()
        var pairs: [OptimizerSnapshot.Pair] = []
        for record in records {
            for (model, limiter) in record.limiters.sorted(by: { $0.key < $1.key }) {
                let state = limiter.state
                let drops = record.drops[model, default: [:]]
                let learned = record.learning[model]
                let curve = learned?.parallelism.throughputByInFlight ?? [:]
                let waits = learned?.slots.shareByInFlight ?? [:]
                pairs.append(
                    OptimizerSnapshot.Pair(
                        node: record.endpoint.id,
                        model: model,
                        limit: limiter.limit,
                        ceiling: limiter.ceiling,
                        inFlight: record.inFlightByModel[model, default: 0],
                        gradient: state.gradient,
                        sampleLatencySeconds: state.sampleLatency?.inSeconds,
                        longLatencySeconds: state.longLatency?.inSeconds,
                        drops: drops.values.reduce(0, +),
                        dropsByKind: Dictionary(uniqueKeysWithValues: drops.map { ($0.key.rawValue, $0.value) }),
                        learnedParallelism: learned?.slots.slots ?? learned?.parallelism.knee,
                        slotWaitShareByInFlight: waits.isEmpty
                            ? nil : Dictionary(uniqueKeysWithValues: waits.map { (String($0.key), $0.value.waited) }),
                        tokensPerSecondByInFlight: curve.isEmpty ? nil : Dictionary(uniqueKeysWithValues: curve.map { (String($0.key), $0.value) }),
                        coldLoadSeconds: learned?.loadCost.cost?.inSeconds,
                        coldTTFTSeconds: learned?.loadCost.coldTTFT?.inSeconds,
                        warmTTFTSeconds: learned?.loadCost.warmTTFT?.inSeconds,
                        requestSeconds: learned?.requestSeconds
                    )
                )
            }
        }
        let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let decisions = decisions.recent.map { entry in
            let decision = entry.decision
            return OptimizerSnapshot.Decision(
                time: wallNow.addingTimeInterval(decision.seconds - clock).formatted(format),
                node: entry.node,
                model: entry.model,
                kind: decision.kind.rawValue,
                from: decision.from,
                to: decision.to,
                reason: decision.reason,
                gradient: decision.gradient,
                sampleLatencySeconds: decision.sampleLatency,
                longLatencySeconds: decision.longLatency
            )
        }
        return OptimizerSnapshot(
            level: level,
            pairs: pairs,
            decisions: decisions,
            decisionCounts: Dictionary(uniqueKeysWithValues: decisionCounts.map { ($0.key.rawValue, $0.value) })
        )
    }
}
