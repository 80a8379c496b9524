import Synchronization

/// Hands a node back exactly once, even if the response body that owns it is never written
/// (the client vanished between the answer's head and its body): the deinit covers that case.
final class LeaseGuard: Sendable {
    let lease: NodeLease
    private let pool: NodePool
    private let done = Mutex(false)

    init(_ lease: NodeLease, pool: NodePool) {
        self.lease = lease
        self.pool = pool
    }

    func release(_ outcome: RequestOutcome) {
        guard claim() else { return }
        pool.release(lease, outcome: outcome)
    }

    private func claim() -> Bool {
        done.withLock { released in
            defer { released = true }
            return !released
        }
    }

    deinit {
        guard claim() else { return }
        pool.release(lease, outcome: .cancelled)
    }
}
