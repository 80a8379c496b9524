/// A fixed-capacity buffer that keeps the newest elements: appending to a full buffer drops the oldest.
public struct RingBuffer<Element: Sendable>: Sendable {
    public let capacity: Int
    private var storage: [Element] = []
    private var start = 0

    /// - Parameter capacity: at least 1.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        storage.reserveCapacity(self.capacity)
    }

    public var count: Int { storage.count }

    public mutating func append(_ element: Element) {
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[start] = element
            start = (start + 1) % capacity
        }
    }

    /// The elements, oldest first.
    public var elements: [Element] {
        Array(storage[start...] + storage[..<start])
    }

    /// The newest element.
    public var last: Element? {
        storage.isEmpty ? nil : storage[(start + storage.count - 1) % storage.count]
    }
}
