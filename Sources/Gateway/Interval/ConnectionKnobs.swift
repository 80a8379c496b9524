import Synchronization

/// Each node's idle-connection knobs as the interval service last set them, shared with every
/// event loop's ``UpstreamPool``: a pool reads one atomic generation per connection it takes
/// back and copies the knobs only when they changed, so the fast path never takes the lock.
final class ConnectionKnobs: Sendable {
    private let current = Mutex<(generation: Int, nodes: [String: NodeKnobs])>((0, [:]))
    private let changes = Atomic<Int>(0)

    /// Increases each time ``set(_:)`` changes the knobs; 0 before the first change.
    var generation: Int { changes.load(ordering: .acquiring) }

    /// The knobs and their generation; a node without knobs keeps today's pool.
    func read() -> (generation: Int, nodes: [String: NodeKnobs]) {
        current.withLock { $0 }
    }

    func set(_ nodes: [String: NodeKnobs]) {
        current.withLock { current in
            guard current.nodes != nodes else { return }
            current = (current.generation + 1, nodes)
            changes.store(current.generation, ordering: .releasing)
        }
    }
}
