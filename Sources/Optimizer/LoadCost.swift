/// What a cold model load costs on a (node, model) pair, learned: EWMAs of the TTFT of requests
/// that had to load the model (cold) and of those that found it resident (warm). The router
/// weighs a cold node by ``cost`` instead of a constant penalty.
public struct LoadCost: Sendable, Hashable {
    /// Weight of a new sample in its EWMA, (0, 1].
    public let weight: Double
    private var cold: Double?
    private var warm: Double?

    /// - Parameter weight: EWMA weight of a new sample.
    public init(weight: Double = 0.2) {
        self.weight = weight
    }

    /// Adds one request's time to first token; `cold` when the model was not resident before it.
    public mutating func record(ttft: Duration, cold isCold: Bool) {
        let seconds = ttft.seconds
        guard seconds > 0 else { return }
        if isCold {
            cold = cold.map { $0 + weight * (seconds - $0) } ?? seconds
        } else {
            warm = warm.map { $0 + weight * (seconds - $0) } ?? seconds
        }
    }

    /// The average TTFT of cold requests.
    public var coldTTFT: Duration? { cold.map { .seconds($0) } }
    /// The average TTFT of warm requests.
    public var warmTTFT: Duration? { warm.map { .seconds($0) } }

    /// Cold minus warm TTFT, never negative: what a load adds to a request. Nil until both
    /// kinds were seen.
    public var cost: Duration? {
        guard let cold, let warm else { return nil }
        return .seconds(max(0, cold - warm))
    }
}
