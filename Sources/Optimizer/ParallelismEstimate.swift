/// Where more parallel requests stop paying for a (node, model) pair: a node's real
/// `OLLAMA_NUM_PARALLEL`, learned instead of configured.
///
/// Fed points (requests in flight, output tokens per second the pair produced with that many),
/// it keeps an EWMA of throughput per in-flight count; the knee is the smallest count whose
/// throughput is within `tolerance` of the best seen. Past the node's slots, requests queue and
/// throughput stays flat; on a CPU it flattens early. The gateway feeds one point per finished
/// request (``record(outputTokens:seconds:meanInFlight:)``, Little's law).
public struct ParallelismEstimate: Sendable, Hashable {
    /// How close to the best throughput the knee must be: 0.1 = within 10%.
    public let tolerance: Double
    /// Weight of a new point in its count's EWMA.
    public let weight: Double
    /// Output tokens per second by requests in flight (EWMA).
    public private(set) var throughputByInFlight: [Int: Double] = [:]

    /// - Parameters:
    ///   - tolerance: how close to the best a count's throughput must be to count as paying, in [0, 1).
    ///   - weight: EWMA weight of a new point, (0, 1].
    public init(tolerance: Double = 0.1, weight: Double = 0.3) {
        self.tolerance = tolerance
        self.weight = weight
    }

    /// Adds one window: at most `inFlight` requests ran and they produced `tokensPerSecond`.
    /// Points with nothing in flight or no tokens are skipped.
    public mutating func record(inFlight: Int, tokensPerSecond: Double) {
        guard inFlight > 0, tokensPerSecond > 0, tokensPerSecond.isFinite else { return }
        if let old = throughputByInFlight[inFlight] {
            throughputByInFlight[inFlight] = old + weight * (tokensPerSecond - old)
        } else {
            throughputByInFlight[inFlight] = tokensPerSecond
        }
    }

    /// Drops every point: the node changed (it got slower), its old curve would hold the knee
    /// where the old node had it.
    public mutating func forget() {
        throughputByInFlight.removeAll()
    }

    /// The smallest in-flight count within `tolerance` of the best throughput; nil until a
    /// point was recorded. Read it as a lower bound while only small counts have been tried.
    public var knee: Int? {
        guard let best = throughputByInFlight.values.max() else { return nil }
        return throughputByInFlight.filter { $0.value >= best * (1 - tolerance) }.keys.min()
    }

    /// The knee once the curve shows the rise to it: a count under it was measured (short of
    /// the best, by the knee's definition), or it is 1. A knee with no count under it is only
    /// the fewest requests tried yet, not where more stop paying: nil.
    public var provenKnee: Int? {
        guard let knee, let fewest = throughputByInFlight.keys.min() else { return nil }
        return knee == 1 || fewest < knee ? knee : nil
    }

    /// Adds one finished request by Little's law: it produced `outputTokens` in `seconds` (from
    /// admission to its last token, queueing included) while on average `meanInFlight` requests
    /// of the pair were in flight (itself included), so the pair produced about
    /// `meanInFlight × outputTokens / seconds` tokens per second at `meanInFlight` (rounded).
    ///
    /// Below the node's slots each request decodes at the batch's speed and the point follows
    /// the batching curve; past them the extra requests wait in the node's queue, `seconds`
    /// grows with the queue and the point stays at the slots' throughput. Requests with no
    /// tokens, no time or a mean under one half are skipped.
    public mutating func record(outputTokens: Int, seconds: Double, meanInFlight: Double) {
        guard outputTokens > 0, seconds > 0, seconds.isFinite, meanInFlight >= 0.5, meanInFlight.isFinite else { return }
        record(inFlight: Int(meanInFlight.rounded()), tokensPerSecond: meanInFlight * Double(outputTokens) / seconds)
    }
}
