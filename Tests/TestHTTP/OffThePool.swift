import Foundation

/// Runs `work`, a call that blocks its thread (a child process waited for, a pipe read to its
/// end), on a thread of its own and awaits its result.
///
/// Every test runs on Swift's task pool, which has one thread per core: two tests blocked in
/// `waitUntilExit` at once (promtool's rule tests take tens of seconds on a busy machine) would
/// stop every in-process simulator and gateway of every other test until they return.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
