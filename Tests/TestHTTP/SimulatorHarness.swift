import Logging
import NodeSimulator
import ServiceLifecycle

/// Runs `body` against a real simulator listening on 127.0.0.1 with an ephemeral port.
public func withSimulator<T: Sendable>(
    _ configuration: SimulatorConfiguration = .testing,
    _ body: @Sendable (TestClient, NodeSimulator) async throws -> T
) async throws -> T {
    var configuration = configuration
    configuration.host = "127.0.0.1"
    configuration.port = 0
    var logger = Logger(label: "test.node-sim")
    logger.logLevel = .critical
    let simulator = NodeSimulator(configuration: configuration, logger: logger)
    let (ports, portSink) = AsyncStream<Int>.makeStream()
    let app = simulator.makeApplication { port in portSink.yield(port) }
    let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw SimulatorTestError("the simulator did not start") }
        do {
            let result = try await body(TestClient(port: port), simulator)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            // Stopped and waited for, never cancelled: cancelling a server while a connection it
            // accepted is not served yet traps in NIO (apple/swift-nio#3481).
            await group.triggerGracefulShutdown()
            while await tasks.nextResult() != nil {}
            throw error
        }
    }
}

/// A harness failure, with what went wrong.
public struct SimulatorTestError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension SimulatorConfiguration {
    /// Fast, jitter-free models so tests finish quickly and timing statistics are exact.
    public static var testing: SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.models = SimulatedModel.defaults.map { model in
            var fast = model
            fast.loadTime = .zero
            fast.jitter = 0
            fast.decodeTokensPerSecond = model.has("completion") ? 2000 : model.decodeTokensPerSecond
            fast.prefillTokensPerSecond = 100_000
            fast.minOutputTokens = 40
            fast.maxOutputTokens = 60
            return fast
        }
        configuration.limits.numParallel = 4
        return configuration
    }
}
