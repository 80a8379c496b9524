import OllamaAPI
import Optimizer

/// What the pool learns at admission and release besides the limit (``PairLearning``): the
/// pair's slots, its throughput by requests in flight, the cost of a cold load, the time a request holds
/// a slot. Optimizer on only: at `off` nothing is learned and routing stays static.
extension PoolState {
    /// Notes an admission of `model` on node `index` (its in-flight count already raised) in
    /// `lease`: when, the pair's request-seconds so far, and whether the model was cold.
    mutating func learnAdmission(_ index: Int, model: String, lease: inout NodeLease) {
        guard limiterParameters != nil else { return }
        let clock = now()
        lease.admittedAt = clock
        lease.cold = !records[index].resident.contains(model)
        let inFlight = records[index].nodeInFlight(model)
        lease.inFlightAtAdmission = inFlight
        records[index].learning[model, default: PairLearning()].busy.set(inFlight, now: .seconds(clock))
        lease.busyAtAdmission = records[index].learning[model]?.busy.reading(at: .seconds(clock)) ?? .init()
    }

    /// Learns from `lease`'s outcome before it leaves the in-flight count; returns the outcome
    /// the limiter is to see: a cold request's time to first token is its load, not a queue, so
    /// it feeds ``LoadCost`` and the limiter ignores it.
    mutating func learnRelease(_ index: Int, model: String, lease: NodeLease, outcome: RequestOutcome) -> RequestOutcome {
        guard limiterParameters != nil, var pair = records[index].learning[model] else { return outcome }
        let clock = now()
        let seconds = clock - lease.admittedAt
        var seen = outcome
        if case .success(let ttft, let timing?) = outcome {
            pair.loadCost.record(ttft: timing.firstToken, cold: lease.cold)
            if lease.cold {
                seen = .success(ttft: ttft, timing: nil)
            } else {
                pair.recordRequest(seconds: seconds)
                if let waited = timing.waitedForSlot { pair.slots.record(inFlight: lease.inFlightAtAdmission, waited: waited) }
                // A request that ran while the count moved by more than one (the limit doubling
                // under it) mixes two points of the curve: it says little about either.
                if let tokens = timing.outputTokens,
                    let load = pair.busy.reading(at: .seconds(clock)).inFlight(since: lease.busyAtAdmission, seconds: seconds),
                    load.deviation <= PairLearning.steadyDeviation
                {
                    pair.parallelism.record(outputTokens: tokens, seconds: seconds, meanInFlight: load.mean)
                }
            }
        }
        pair.busy.set(records[index].nodeInFlight(model) - 1, now: .seconds(clock))
        records[index].coldLoadSecondsByModel[model] = pair.loadCost.cost?.inSeconds
        records[index].requestSecondsByModel[model] = pair.requestSeconds
        records[index].learning[model] = pair
        return seen
    }
}
