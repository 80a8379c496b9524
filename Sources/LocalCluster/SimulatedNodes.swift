import Gateway
import Logging
import NodeSimulator
import ServiceLifecycle

/// Simulated Ollama nodes in this process, on 127.0.0.1 with ephemeral ports: the one way
/// `start --simulate N`, `bench` and the tests start them.
public struct SimulatedNodes: Sendable {
    /// The nodes, in the order given.
    public let simulators: [NodeSimulator]
    /// Their base URLs (`http://127.0.0.1:PORT`), in the same order.
    public let urls: [String]
    /// Their names, which are also their node ids at the gateway.
    public let names: [String]
    let group: ServiceGroup
    /// Signalled when the nodes' task has ended.
    let finished: Finished

    /// The gateway's node list for these nodes.
    public var endpoints: [NodeEndpoint] {
        zip(names, urls).map { NodeEndpoint(id: $0, url: $1) }
    }

    /// `count` default nodes of graded speeds, node i (1 + i/2) times slower than node 0, so
    /// that routing has a difference to see.
    public static func graded(_ count: Int) -> [SimulatorConfiguration] {
        (0..<count).map { SimulatorConfiguration().scaledSpeed(by: 1 + Double($0) * 0.5) }
    }

    /// Starts `nodes` (named by `name`) as a child task of `tasks` and returns once each listens.
    ///
    /// - Parameters:
    ///   - startTimeout: how long to wait for every node to listen before giving up with a
    ///     ``LocalClusterError`` (a server that cannot bind never reports its port).
    ///   - logger: the nodes' logger.
    public static func start(
        _ nodes: [SimulatorConfiguration],
        name: @Sendable (Int) -> String = { "sim-\($0)" },
        startTimeout: Duration = .seconds(30),
        logger: Logger,
        in tasks: inout ThrowingTaskGroup<Void, any Error>
    ) async throws -> SimulatedNodes {
        let names = nodes.indices.map(name)
        let simulators = nodes.enumerated().map { index, node in
            var configuration = node
            configuration.host = "127.0.0.1"
            configuration.port = 0
            configuration.name = names[index]
            return NodeSimulator(configuration: configuration, logger: logger)
        }
        let (ports, sink) = AsyncStream<(Int, Int)>.makeStream()
        let group = InProcessServers.group(
            simulators.enumerated().map { index, simulator in
                simulator.makeApplication { port in sink.yield((index, port)) }
            },
            logger: logger
        )
        let finished = Finished()
        tasks.addTask {
            defer { finished.signal() }
            try await group.run()
        }
        let count = simulators.count
        do {
            let urls = try await firstValue(within: startTimeout, "the simulated nodes") {
                var urls = Array(repeating: "", count: count)
                var seen = 0
                for await (index, port) in ports {
                    urls[index] = "http://127.0.0.1:\(port)"
                    seen += 1
                    if seen == count { break }
                }
                return urls
            }
            return SimulatedNodes(simulators: simulators, urls: urls, names: names, group: group, finished: finished)
        } catch {
            // Stopped, not cancelled, before the caller's task group sees the error (InProcessServers).
            await group.triggerGracefulShutdown()
            await finished.wait()
            throw error
        }
    }

    /// Stops the nodes gracefully and returns once their task has ended, so a caller may then
    /// leave its task group, even by throwing, without cancelling a running server (which can
    /// trap in NIO, see ``InProcessServers``). Bounded by ``InProcessServers/shutdownBound``.
    public func stop() async {
        await group.triggerGracefulShutdown()
        await finished.wait()
    }
}

/// Waits for `value`, failing after `timeout` (a server that could not bind never reports its port).
func firstValue<V: Sendable>(
    within timeout: Duration,
    _ what: String,
    _ value: @escaping @Sendable () async -> V
) async throws -> V {
    try await withThrowingTaskGroup(of: V?.self) { race in
        race.addTask { await value() }
        race.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        let result = try await race.next()
        race.cancelAll()
        guard let found = result ?? nil else {
            throw LocalClusterError(
                description: "\(what) did not start within \(timeout.components.seconds) s (is 127.0.0.1 usable? see the log above)"
            )
        }
        return found
    }
}
