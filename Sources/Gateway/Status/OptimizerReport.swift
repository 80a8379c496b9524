/// The body of `GET /ollamamax/optimizer`, which `ollama-distributed status` and `optimize`
/// read: the optimizer's ``OptimizerSnapshot`` (level, every (node, model) pair's adaptive limit
/// and signals, the last decisions), and, when the interval service runs, its knobs and decisions
/// under `interval`. One flat JSON object: the snapshot's keys, then `interval`.
public struct OptimizerReport: Sendable, Hashable, Codable {
    public var snapshot: OptimizerSnapshot
    /// The slow knobs; nil at level `off` (no interval service).
    public var interval: IntervalReport?

    public init(snapshot: OptimizerSnapshot, interval: IntervalReport? = nil) {
        self.snapshot = snapshot
        self.interval = interval
    }

    private enum CodingKeys: String, CodingKey {
        case interval
    }

    public init(from decoder: any Decoder) throws {
        snapshot = try OptimizerSnapshot(from: decoder)
        interval = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(IntervalReport.self, forKey: .interval)
    }

    public func encode(to encoder: any Encoder) throws {
        try snapshot.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(interval, forKey: .interval)
    }
}
