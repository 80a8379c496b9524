import Synchronization

/// Values that arrive from other tasks (requests a test server received), taken in order with a
/// bounded wait: the wait ends with the event itself, and the bound only turns a hang into a
/// failure.
final class Inbox<Value: Sendable>: Sendable {
    private struct State {
        var values: [Value] = []
        var waiter: (id: Int, continuation: CheckedContinuation<Value?, Never>)?
        var nextID = 0
    }

    private enum Outcome {
        case ready(Value?)
        case waiting
    }

    private let state = Mutex(State())

    /// Adds `value`, handing it to a waiting ``next(within:)`` if there is one.
    func put(_ value: Value) {
        let waiter = state.withLock { state -> CheckedContinuation<Value?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter.continuation
            }
            state.values.append(value)
            return nil
        }
        waiter?.resume(returning: value)
    }

    /// Everything received and not taken yet.
    var pending: [Value] { state.withLock { $0.values } }

    /// The next value, or `nil` when none arrives within `limit`; one taker at a time.
    func next(within limit: Duration = .seconds(20)) async -> Value? {
        await withTaskGroup(of: Value?.self) { group in
            group.addTask { await self.take() }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    private func take() async -> Value? {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Checked under the lock the cancellation handler takes too, so a cancellation
                // either is seen here or finds the waiter registered.
                let outcome = state.withLock { state -> Outcome in
                    if Task.isCancelled { return .ready(nil) }
                    if !state.values.isEmpty { return .ready(state.values.removeFirst()) }
                    state.waiter = (id, continuation)
                    return .waiting
                }
                if case .ready(let value) = outcome { continuation.resume(returning: value) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Value?, Never>? in
                guard let waiter = state.waiter, waiter.id == id else { return nil }
                state.waiter = nil
                return waiter.continuation
            }
            waiter?.resume(returning: nil)
        }
    }
}
