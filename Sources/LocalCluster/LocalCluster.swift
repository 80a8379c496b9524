import Gateway
import Logging
import NIOCore
import NIOPosix
import NodeSimulator
import ServiceLifecycle

/// Simulated nodes and a gateway in front of them, in this process, on 127.0.0.1 with
/// ephemeral ports: what `bench` measures and what the gateway's tests run against.
public struct LocalCluster: Sendable {
    /// The simulated nodes, in the order given.
    public let simulators: [NodeSimulator]
    /// Their base URLs (`http://127.0.0.1:PORT`), in the same order.
    public let nodeURLs: [String]
    public let gateway: Gateway
    public let gatewayURL: String
    /// Starts the gateway's graceful shutdown (its drain), leaving the nodes up.
    public let shutdownGateway: @Sendable () async -> Void

    /// Starts `nodes` (named by `name`, which is also the node id at the gateway), then a
    /// gateway over them, runs `body`, and stops everything, also when `body` throws.
    ///
    /// - Parameters:
    ///   - threads: the gateway's own event-loop threads; nil shares the process-wide group.
    ///   - configure: adjusts the gateway configuration, whose nodes are already filled in.
    ///   - gatewayLogger: the gateway's logger; nil for one that logs only critical events.
    public static func run<T: Sendable>(
        nodes: [SimulatorConfiguration],
        name: @Sendable (Int) -> String = { "sim-\($0)" },
        threads: Int? = nil,
        startTimeout: Duration = .seconds(30),
        configure: @Sendable (inout GatewayConfiguration) -> Void = { _ in },
        gatewayLogger: Logger? = nil,
        _ body: @Sendable (LocalCluster) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "ollamamax.cluster")
        logger.logLevel = .critical
        let ownLoops = threads.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) }
        defer { ownLoops?.shutdownGracefully { _ in } }
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            let nodes = try await SimulatedNodes.start(nodes, name: name, startTimeout: startTimeout, logger: logger, in: &tasks)
            var configuration = GatewayConfiguration(port: 0)
            configuration.nodes = nodes.endpoints
            configure(&configuration)
            let gateway = Gateway(
                configuration: configuration,
                logger: gatewayLogger ?? logger,
                eventLoopGroup: ownLoops ?? MultiThreadedEventLoopGroup.singleton
            )
            let (gatewayPorts, gatewayPortSink) = AsyncStream<Int>.makeStream()
            let gatewayGroup = InProcessServers.group(
                [gateway.makeApplication { port in gatewayPortSink.yield(port) }],
                bound: configuration.drain,
                logger: logger
            )
            tasks.addTask { try await gatewayGroup.run() }
            let outcome: Result<T, any Error>
            do {
                let port = try await firstValue(within: startTimeout, "the gateway") {
                    var iterator = gatewayPorts.makeAsyncIterator()
                    return await iterator.next() ?? 0
                }
                let cluster = LocalCluster(
                    simulators: nodes.simulators,
                    nodeURLs: nodes.urls,
                    gateway: gateway,
                    gatewayURL: "http://127.0.0.1:\(port)",
                    shutdownGateway: { await gatewayGroup.triggerGracefulShutdown() }
                )
                outcome = .success(try await body(cluster))
            } catch {
                outcome = .failure(error)
            }
            // Whatever `body` did, the servers stop gracefully and their tasks end before this
            // group is left: a thrown error would cancel them (see InProcessServers).
            await gatewayGroup.triggerGracefulShutdown()
            await nodes.stop()
            var serverError: (any Error)?
            while let next = await tasks.nextResult() {
                if case .failure(let error) = next, serverError == nil, !(error is CancellationError) { serverError = error }
            }
            guard case .success(let result) = outcome else {
                try? await gateway.shutdown()
                return try outcome.get()
            }
            if let serverError {
                try? await gateway.shutdown()
                throw serverError
            }
            try await gateway.shutdown()
            return result
        }
    }
}

/// A local cluster that could not start.
public struct LocalClusterError: Error, CustomStringConvertible {
    public var description: String
}
