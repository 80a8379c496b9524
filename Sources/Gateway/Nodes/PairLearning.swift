import Optimizer

/// What the pool learns about one (node, model) pair besides its limit: its slots and where
/// more parallel requests stop paying, what a cold load costs, how long a request holds a slot, and the
/// time integral of the pair's requests in flight those are measured with. Optimizer on only.
struct PairLearning: Sendable {
    var parallelism = ParallelismEstimate()
    var slots = SlotEstimate()
    var loadCost = LoadCost()
    var busy = InFlightIntegral()
    /// EWMA of a finished request's seconds from admission to release: how long it holds a
    /// slot, for the expected wait of a full node (``NodeSnapshot/expectedWait(for:waiting:)``).
    var requestSeconds: Double?

    /// Weight of a new request in ``requestSeconds``.
    static let requestWeight = 0.2
    /// The most the in-flight count may vary (standard deviation) during a request for it to
    /// be a point of the throughput curve.
    static let steadyDeviation = 1.0

    /// The limiter's floor: the slots learned from the node's own timings, else the proven knee
    /// of the throughput curve (routes whose answers carry no Ollama durations).
    var floor: Int? { slots.slots ?? parallelism.provenKnee }

    /// Adds one finished request's time in the pair.
    mutating func recordRequest(seconds: Double) {
        guard seconds > 0, seconds.isFinite else { return }
        requestSeconds = requestSeconds.map { $0 + Self.requestWeight * (seconds - $0) } ?? seconds
    }
}
