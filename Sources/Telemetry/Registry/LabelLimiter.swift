import Synchronization

/// Bounds a label's values: the first `limit` distinct values pass, later ones become `other`.
///
/// Model names come from clients and node inventories; without a cap, a client sending random
/// names (or a node with thousands of models) would make the series count unbounded.
public final class LabelLimiter: Sendable {
    /// The value that stands for every value past the limit.
    public static let overflow = "other"
    public let limit: Int
    private let seen = Mutex<Set<String>>([])

    public init(limit: Int) {
        self.limit = limit
    }

    /// `value` if it is already known or there is room for it, otherwise ``overflow``.
    public func label(_ value: String) -> String {
        seen.withLock { seen in
            if seen.contains(value) { return value }
            guard seen.count < limit else { return Self.overflow }
            seen.insert(value)
            return value
        }
    }
}
