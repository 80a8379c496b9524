import NIOCore
import Synchronization

/// The gateway queue's size and timeout as the interval service last set them (the configured
/// `queue_size` and `queue_timeout` until then): atomics, read by every admission that queues.
public final class QueueKnobs: Sendable {
    private let sizeValue: Atomic<Int>
    private let timeoutNanoseconds: Atomic<Int64>

    public init(size: Int, timeout: Duration) {
        sizeValue = Atomic(size)
        timeoutNanoseconds = Atomic(Self.nanoseconds(timeout))
    }

    /// The most requests the queue holds.
    public var size: Int { sizeValue.load(ordering: .relaxed) }

    /// How long a request may wait in the queue.
    public var timeout: Duration { .nanoseconds(timeoutNanoseconds.load(ordering: .relaxed)) }

    /// ``timeout`` for NIO's timers.
    var timeoutAmount: TimeAmount { .nanoseconds(timeoutNanoseconds.load(ordering: .relaxed)) }

    func set(size: Int, timeout: Duration) {
        sizeValue.store(size, ordering: .relaxed)
        timeoutNanoseconds.store(Self.nanoseconds(timeout), ordering: .relaxed)
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
