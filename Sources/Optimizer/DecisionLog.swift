/// The recent limit decisions of every (node, model) pair: a ring buffer, oldest dropped first.
public struct DecisionLog: Sendable, Hashable {
    /// A decision with the pair it was made for.
    public struct Entry: Sendable, Hashable, Codable {
        public var node: String
        public var model: String
        public var decision: LimitDecision

        public init(node: String, model: String, decision: LimitDecision) {
            self.node = node
            self.model = model
            self.decision = decision
        }
    }

    /// The most entries kept.
    public let capacity: Int
    private var buffer: [Entry] = []
    /// Where the next entry goes once the buffer is full (the oldest entry's index).
    private var next = 0

    /// - Parameter capacity: the most entries kept (at least 1).
    public init(capacity: Int = 100) {
        self.capacity = max(1, capacity)
        buffer.reserveCapacity(self.capacity)
    }

    /// Adds `entry`, dropping the oldest when full.
    public mutating func append(_ entry: Entry) {
        if buffer.count < capacity {
            buffer.append(entry)
        } else {
            buffer[next] = entry
            next = (next + 1) % capacity
        }
    }

    /// The kept entries, oldest first and newest last.
    public var recent: [Entry] {
        Array(buffer[next...] + buffer[..<next])
    }
}
