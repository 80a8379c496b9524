/// How hard the optimizer adapts the gateway's limits: `off` keeps the static limits
/// (`max_in_flight` per node) as they are; the other levels run one ``AdaptiveLimit`` per
/// (node, model) with the preset ``parameters`` (docs/optimizer.md has the table).
public enum OptimizationLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case off
    case conservative
    case balanced
    case aggressive
}

extension OptimizationLevel {
    /// The limiter preset of the level; nil for ``off`` (static limits).
    public var parameters: LimiterParameters? {
        switch self {
        case .off: nil
        case .conservative: .conservative
        case .balanced: .balanced
        case .aggressive: .aggressive
        }
    }
}
