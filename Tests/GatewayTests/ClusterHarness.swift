import AsyncHTTPClient
import Foundation
import Gateway
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NodeSimulator
import OllamaAPI
import ServiceLifecycle
import TestHTTP
import Testing

/// Simulated nodes and a gateway in front of them, all on 127.0.0.1 with ephemeral ports.
struct Cluster: Sendable {
    let simulators: [NodeSimulator]
    let simulatorURLs: [String]
    let gateway: Gateway
    let gatewayURL: String
    let shutdownGateway: @Sendable () async -> Void
}

/// A fast simulated node for gateway tests: no load time, no jitter, quick tokens.
func fastNode(models: [String]? = nil, decodeRate: Double = 2000) -> SimulatorConfiguration {
    var configuration = SimulatorConfiguration()
    configuration.models = SimulatedModel.defaults
        .filter { models == nil || models!.contains($0.name) }
        .map { model in
            var fast = model
            fast.loadSeconds = 0
            fast.jitter = 0
            fast.decodeTokensPerSecond = model.has("completion") ? decodeRate : model.decodeTokensPerSecond
            fast.prefillTokensPerSecond = 100_000
            return fast
        }
    configuration.limits.numParallel = 8
    return configuration
}

/// Runs `body` against a gateway over `nodes`; `configure` adjusts the gateway settings.
func withCluster<T: Sendable>(
    _ nodes: [SimulatorConfiguration],
    configure: @Sendable (inout GatewayConfiguration) -> Void = { _ in },
    _ body: @Sendable (TestClient, Cluster) async throws -> T
) async throws -> T {
    var logger = Logger(label: "test.cluster")
    logger.logLevel = .critical
    let simulators = nodes.enumerated().map { index, node in
        var configuration = node
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.name = "sim-\(index)"
        return NodeSimulator(configuration: configuration, logger: logger)
    }
    let (simulatorPorts, simulatorSink) = AsyncStream<(Int, Int)>.makeStream()
    let simulatorGroup = ServiceGroup(
        configuration: .init(
            services: simulators.enumerated().map { index, simulator in
                simulator.makeApplication { port in simulatorSink.yield((index, port)) }
            }, logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await simulatorGroup.run() }
        var urls = Array(repeating: "", count: simulators.count)
        var seen = 0
        for await (index, port) in simulatorPorts {
            urls[index] = "http://127.0.0.1:\(port)"
            seen += 1
            if seen == simulators.count { break }
        }
        var configuration = GatewayConfiguration(port: 0)
        configuration.nodes = urls.enumerated().map { NodeEndpoint(id: "sim-\($0)", url: $1) }
        configuration.probeIntervalSeconds = 3600  // tests probe by hand, so nothing changes behind their back
        configuration.health.successesToHealthy = 1
        // The whole suite shares two cores with Prometheus, Alertmanager, Chromium and the Python
        // clients: a probe may wait seconds for a core, and a late answer is not what these tests test.
        configuration.probeTimeoutSeconds = 30
        configure(&configuration)
        let gateway = Gateway(configuration: configuration, logger: logger)
        let (gatewayPorts, gatewaySink) = AsyncStream<Int>.makeStream()
        let gatewayGroup = ServiceGroup(
            configuration: .init(
                services: [gateway.makeApplication { port in gatewaySink.yield(port) }], logger: logger))
        tasks.addTask { try await gatewayGroup.run() }
        var iterator = gatewayPorts.makeAsyncIterator()
        guard let port = await iterator.next() else { throw ClusterError("the gateway did not start") }
        let cluster = Cluster(
            simulators: simulators, simulatorURLs: urls, gateway: gateway, gatewayURL: "http://127.0.0.1:\(port)",
            shutdownGateway: { await gatewayGroup.triggerGracefulShutdown() })
        let result: T
        do {
            result = try await body(TestClient(base: cluster.gatewayURL), cluster)
        } catch {
            await gatewayGroup.triggerGracefulShutdown()
            await simulatorGroup.triggerGracefulShutdown()
            tasks.cancelAll()
            try? await gateway.shutdown()
            throw error
        }
        await gatewayGroup.triggerGracefulShutdown()
        await simulatorGroup.triggerGracefulShutdown()
        try await tasks.waitForAll()
        try await gateway.shutdown()
        return result
    }
}

struct ClusterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds, yielding in between; fails after `seconds` of real time.
func eventually(
    within seconds: Double = 5, _ what: String, _ condition: @Sendable () async -> Bool
) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if await condition() { return }
        await Task.yield()
    }
    throw ClusterError("timed out waiting until \(what)")
}
