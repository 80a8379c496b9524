import Synchronization

/// `body`'s result, or a ``Timeout`` when it takes longer than `limit`: a bound on waiting for an
/// event, never a way to let time pass. A body that ignores cancellation is left to finish on its
/// own rather than holding up the test.
public func within<T: Sendable>(_ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let outcome = Outcome<T>()
    return try await withCheckedThrowingContinuation { continuation in
        outcome.start(continuation)
        let work = Task {
            do {
                outcome.finish(.success(try await body()))
            } catch {
                outcome.finish(.failure(error))
            }
        }
        let timer = Task {
            try? await Task.sleep(for: limit)
            if outcome.finish(.failure(Timeout(description: "timed out after \(limit) waiting for \(what)"))) { work.cancel() }
        }
        outcome.onFinish { timer.cancel() }
    }
}

/// The first of a body's result and its timeout, delivered once.
private final class Outcome<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var result: Result<T, any Error>?
        var cleanup: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Delivers `result` if nothing was delivered yet; `true` when it was.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let (continuation, cleanup) = state.withLock { state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard state.result == nil else { return (nil, nil) }
            state.result = result
            defer { state.continuation = nil }
            return (state.continuation, state.cleanup)
        }
        guard let continuation else { return false }
        continuation.resume(with: result)
        cleanup?()
        return true
    }

    /// Runs `cleanup` once the result is delivered (at once if it already was).
    func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
        let done = state.withLock { state -> Bool in
            if state.result != nil { return true }
            state.cleanup = cleanup
            return false
        }
        if done { cleanup() }
    }
}

/// A bounded wait ran out.
public struct Timeout: Error, CustomStringConvertible {
    public let description: String
}
