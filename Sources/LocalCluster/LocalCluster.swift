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
    /// The first gateway (the only one unless `replicas` asked for more).
    public var gateway: Gateway { gateways[0] }
    /// The first gateway's base URL.
    public var gatewayURL: String { gatewayURLs[0] }
    /// Every gateway replica, each with its own configuration copy and state, over the same nodes.
    public let gateways: [Gateway]
    /// Their base URLs, in the same order.
    public let gatewayURLs: [String]
    /// Starts the gateways' graceful shutdown (their drain), leaving the nodes up.
    public let shutdownGateway: @Sendable () async -> Void

    /// Starts `nodes` (named by `name`, which is also the node id at the gateway), then a
    /// gateway over them (or `replicas` gateways, knowing nothing of each other unless
    /// `peering`), runs `body`, and stops everything, also when `body` throws.
    ///
    /// - Parameters:
    ///   - replicas: gateways over the same nodes, at least 1.
    ///   - peering: each replica counts the others' requests in flight (`--peer` with their URLs).
    ///   - threads: the gateway's own event-loop threads; nil shares the process-wide group.
    ///   - configure: adjusts the gateway configuration, whose nodes are already filled in.
    ///   - gatewayLogger: the gateway's logger; nil for one that logs only critical events.
    public static func run<T: Sendable>(
        nodes: [SimulatorConfiguration],
        name: @Sendable (Int) -> String = { "sim-\($0)" },
        threads: Int? = nil,
        replicas: Int = 1,
        peering: Bool = false,
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
            let gateways = (0..<max(1, replicas)).map { _ in
                Gateway(
                    configuration: configuration,
                    logger: gatewayLogger ?? logger,
                    eventLoopGroup: ownLoops ?? MultiThreadedEventLoopGroup.singleton
                )
            }
            let (gatewayPorts, gatewayPortSink) = AsyncStream<(index: Int, port: Int)>.makeStream()
            let gatewayGroups = gateways.enumerated().map { index, gateway in
                InProcessServers.group(
                    [gateway.makeApplication { port in gatewayPortSink.yield((index, port)) }],
                    bound: configuration.drain,
                    logger: logger
                )
            }
            for group in gatewayGroups { tasks.addTask { try await group.run() } }
            let shutdownGateways: @Sendable () async -> Void = {
                for group in gatewayGroups { await group.triggerGracefulShutdown() }
            }
            let outcome: Result<T, any Error>
            do {
                let ports = try await firstValue(within: startTimeout, "the gateway") {
                    var ports = [Int](repeating: 0, count: gateways.count)
                    var iterator = gatewayPorts.makeAsyncIterator()
                    for _ in gateways.indices {
                        guard let bound = await iterator.next() else { break }
                        ports[bound.index] = bound.port
                    }
                    return ports
                }
                guard !ports.contains(0) else { throw LocalClusterError(description: "a gateway replica did not start listening") }
                if peering {
                    let urls = ports.map { "http://127.0.0.1:\($0)" }
                    for (index, gateway) in gateways.enumerated() {
                        gateway.peers.set(urls.enumerated().filter { $0.offset != index }.map(\.element))
                    }
                }
                let cluster = LocalCluster(
                    simulators: nodes.simulators,
                    nodeURLs: nodes.urls,
                    gateways: gateways,
                    gatewayURLs: ports.map { "http://127.0.0.1:\($0)" },
                    shutdownGateway: shutdownGateways
                )
                outcome = .success(try await body(cluster))
            } catch {
                outcome = .failure(error)
            }
            // Whatever `body` did, the servers stop gracefully and their tasks end before this
            // group is left: a thrown error would cancel them (see InProcessServers).
            await shutdownGateways()
            await nodes.stop()
            var serverError: (any Error)?
            while let next = await tasks.nextResult() {
                if case .failure(let error) = next, serverError == nil, !(error is CancellationError) { serverError = error }
            }
            guard case .success(let result) = outcome else {
                for gateway in gateways { try? await gateway.shutdown() }
                return try outcome.get()
            }
            if let serverError {
                for gateway in gateways { try? await gateway.shutdown() }
                throw serverError
            }
            for gateway in gateways { try await gateway.shutdown() }
            return result
        }
    }
}

/// A local cluster that could not start.
public struct LocalClusterError: Error, CustomStringConvertible {
    public var description: String
}
