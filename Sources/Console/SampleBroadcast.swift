import Synchronization

/// Tells every open dashboard that a new sample was taken: each subscriber gets an AsyncStream
/// of sample times (Unix seconds) that keeps only the newest unread one.
public final class SampleBroadcast: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<Double>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    public init() {}

    /// A stream of sample times until the returned stream is dropped or `finish()` is called.
    public func subscribe() -> AsyncStream<Double> {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(of: Double.self, bufferingPolicy: .bufferingNewest(1))
        continuation.onTermination = { [weak self] _ in self?.subscribers.withLock { _ = $0.removeValue(forKey: id) } }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    public func send(_ time: Double) {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.yield(time) }
    }

    /// Ends every stream (the gateway is shutting down).
    public func finish() {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.finish() }
    }

    public var count: Int { subscribers.withLock { $0.count } }
}
