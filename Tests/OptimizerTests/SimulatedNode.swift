import Optimizer

/// A tiny deterministic node for convergence tests: `numParallel` slots; up to them, each extra
/// parallel request slows prefill by `prefillContention` (5%: batching contention; a GPU whose
/// requests prefill together shares its prefill rate, 50% and more); past them, a request
/// queues behind the others for `(inFlight - numParallel)/numParallel` generation times.
struct SimulatedNode {
    var numParallel: Int
    /// TTFT of a lone request, seconds.
    var base = 0.2
    /// How long one request holds its slot, seconds.
    var generation = 2.0
    /// Time per output token of a lone request, seconds.
    var tokenTime = 0.02
    /// TTFT added per other running request, as a share of ``base``.
    var prefillContention = 0.05

    func ttft(inFlight: Int) -> Double {
        let running = min(inFlight, numParallel)
        let queued = max(0, inFlight - numParallel)
        return base * (1 + prefillContention * Double(running - 1)) + Double(queued) * generation / Double(numParallel)
    }

    /// Each sequence decodes slower in a bigger batch (aggregate speed-up `sqrt(k)`).
    func timePerOutputToken(inFlight: Int) -> Double {
        let batch = Double(min(max(inFlight, 1), numParallel))
        return tokenTime * batch / batch.squareRoot()
    }

    /// Output tokens per second of the whole node: the running sequences at their batch speed.
    func tokensPerSecond(inFlight: Int) -> Double {
        Double(min(max(inFlight, 1), numParallel)) / timePerOutputToken(inFlight: inFlight)
    }
}

/// Drives an ``AdaptiveLimit`` against a ``SimulatedNode`` under saturating load on a manual
/// clock: every request sees the limit in flight, ten answers per second. Like the gateway, it
/// learns the node's throughput by requests in flight, gives the limiter its knee as the floor
/// (unless `learnsParallelism` is off) and forgets the curve when the baseline restarts. With
/// `reportsSlotWaits` the node says, as Ollama's timings do, whether a request waited for a
/// slot (more in flight than slots): the run learns the slots and they are the floor.
struct ConvergenceRun {
    var node: SimulatedNode
    var limiter: AdaptiveLimit
    var parallelism = ParallelismEstimate()
    var learnsParallelism = true
    var reportsSlotWaits = false
    var slots = SlotEstimate()
    var now: Duration = .zero
    var limits: [Int] = []
    var decisions: [LimitDecision] = []

    init(node: SimulatedNode, parameters: LimiterParameters, ceiling: Int = 32) {
        self.node = node
        self.limiter = AdaptiveLimit(parameters: parameters, ceiling: ceiling, now: .zero)
    }

    /// Runs `windows` windows (bounded: at most 10,000 signals each), recording the limit after each.
    mutating func run(windows: Int) {
        for _ in 0..<windows {
            let closed = limiter.state.windows
            var signals = 0
            while limiter.state.windows == closed, signals < 10_000 {
                now += .milliseconds(100)
                signals += 1
                let inFlight = limiter.limit
                let waited = reportsSlotWaits ? inFlight > node.numParallel : nil
                if let waited { slots.record(inFlight: inFlight, waited: waited) }
                if learnsParallelism {
                    parallelism.record(inFlight: inFlight, tokensPerSecond: node.tokensPerSecond(inFlight: inFlight))
                    limiter.floor = slots.slots ?? parallelism.provenKnee
                }
                let signal = LimitSignal.success(
                    ttft: .seconds(node.ttft(inFlight: inFlight)),
                    timePerOutputToken: .seconds(node.timePerOutputToken(inFlight: inFlight)),
                    waitedForSlot: waited
                )
                let restarts = limiter.restarts
                if let decision = limiter.record(signal, inFlight: inFlight, now: now) { decisions.append(decision) }
                if limiter.restarts > restarts { parallelism.forget() }
            }
            limits.append(limiter.limit)
        }
    }
}
