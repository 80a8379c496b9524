import Logging
import ServiceLifecycle
import Synchronization

/// How the in-process servers (simulated nodes, the gateway) are stopped: always gracefully,
/// never by cancelling their task.
///
/// Cancelling a Hummingbird server's task while a connection it accepted is still buffered,
/// not yet served, drops that connection's async channel without finishing its writer, and NIO
/// traps the whole process: `Deinited NIOAsyncWriter without calling finish()`
/// (apple/swift-nio#3481; its maintainers' advice is a graceful shutdown instead). A graceful
/// shutdown closes the listening socket and serves every accepted connection to its end.
enum InProcessServers {
    /// The longest the simulated nodes' graceful shutdown may take before ServiceLifecycle
    /// cancels them. Nothing is in flight when a cluster stops (its clients are done), so this is only a
    /// bound against a server that hangs.
    static let shutdownBound = Duration.seconds(10)

    /// A service group for in-process servers: no signal handling, a graceful shutdown bounded
    /// by `bound` (the gateway's own `drain` for a gateway, as `start` does).
    static func group(_ services: [any Service], bound: Duration = shutdownBound, logger: Logger) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(services: services, logger: logger)
        configuration.maximumGracefulShutdownDuration = bound
        return ServiceGroup(configuration: configuration)
    }
}

/// A one-time signal that a server task has ended, which any number of tasks can wait for.
final class Finished: Sendable {
    private let state = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    /// Marks the task ended and wakes every waiter.
    func signal() {
        let waiters = state.withLock { state in
            state.done = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once ``signal()`` was called (at once if it already was).
    func wait() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if !state.done { state.waiters.append(continuation) }
                return state.done
            }
            if done { continuation.resume() }
        }
    }
}
