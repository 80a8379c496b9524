import Gateway
import Logging
import NIOCore
import NIOPosix
import NodeSimulator
import ServiceLifecycle

/// Simulated nodes and a gateway in front of them, in this process, on 127.0.0.1 with
/// ephemeral ports. ``run(nodes:gatewayThreads:_:)`` starts them, runs the body and stops them.
struct BenchCluster: Sendable {
    let nodeURLs: [String]
    let gatewayURL: String
    let gateway: Gateway

    /// Starts `nodes`, then a gateway over them with `gatewayThreads` NIO threads, runs `body`,
    /// and shuts everything down (also when `body` throws).
    static func run<T: Sendable>(
        nodes: [SimulatorConfiguration], gatewayThreads: Int, startTimeoutSeconds: Double = 30,
        _ body: @Sendable (BenchCluster) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "ollamamax.bench")
        logger.logLevel = .critical
        let simulators = nodes.enumerated().map { index, node in
            var configuration = node
            configuration.host = "127.0.0.1"
            configuration.port = 0
            configuration.name = "bench-node-\(index)"
            return NodeSimulator(configuration: configuration, logger: logger)
        }
        let (nodePorts, nodePortSink) = AsyncStream<(Int, Int)>.makeStream()
        let nodeGroup = ServiceGroup(
            configuration: .init(
                services: simulators.enumerated().map { index, simulator in
                    simulator.makeApplication { port in nodePortSink.yield((index, port)) }
                }, logger: logger))
        let threads = MultiThreadedEventLoopGroup(numberOfThreads: gatewayThreads)
        defer { threads.shutdownGracefully { _ in } }
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await nodeGroup.run() }
            let urls = try await firstValue(within: startTimeoutSeconds, "the simulated nodes") {
                var urls = Array(repeating: "", count: simulators.count)
                var seen = 0
                for await (index, port) in nodePorts {
                    urls[index] = "http://127.0.0.1:\(port)"
                    seen += 1
                    if seen == simulators.count { break }
                }
                return urls
            }
            var configuration = GatewayConfiguration(port: 0)
            configuration.nodes = urls.enumerated().map { index, url in
                NodeEndpoint(id: "node-\(index)", url: url, maxInFlight: 64, numParallel: nodes[index].limits.numParallel)
            }
            configuration.queue = .init(queueSize: 4096, queueTimeoutSeconds: 30)
            configuration.health.successesToHealthy = 1
            configuration.monitoring.enabled = false
            let gateway = Gateway(configuration: configuration, logger: logger, eventLoopGroup: threads)
            let (gatewayPorts, gatewayPortSink) = AsyncStream<Int>.makeStream()
            let gatewayGroup = ServiceGroup(
                configuration: .init(services: [gateway.makeApplication { port in gatewayPortSink.yield(port) }], logger: logger))
            tasks.addTask { try await gatewayGroup.run() }
            func stop() async {
                await gatewayGroup.triggerGracefulShutdown()
                await nodeGroup.triggerGracefulShutdown()
            }
            do {
                let port = try await firstValue(within: startTimeoutSeconds, "the gateway") {
                    var iterator = gatewayPorts.makeAsyncIterator()
                    return await iterator.next() ?? 0
                }
                let cluster = BenchCluster(nodeURLs: urls, gatewayURL: "http://127.0.0.1:\(port)", gateway: gateway)
                let result = try await body(cluster)
                await stop()
                tasks.cancelAll()
                while let next = await tasks.nextResult() {
                    if case .failure(let error) = next, !(error is CancellationError) { throw error }
                }
                try await gateway.shutdown()
                return result
            } catch {
                await stop()
                tasks.cancelAll()
                try? await gateway.shutdown()
                throw error
            }
        }
    }

    /// Waits for `value`, failing after `seconds` (a server that could not bind never reports its port).
    private static func firstValue<V: Sendable>(
        within seconds: Double, _ what: String, _ value: @escaping @Sendable () async -> V
    ) async throws -> V {
        try await withThrowingTaskGroup(of: V?.self) { race in
            race.addTask { await value() }
            race.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let result = try await race.next()
            race.cancelAll()
            guard let found = result ?? nil else {
                throw BenchError("\(what) did not start within \(seconds) s (is 127.0.0.1 usable? see the log above)")
            }
            return found
        }
    }
}
