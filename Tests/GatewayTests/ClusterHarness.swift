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
    _ body: @Sendable (GatewayClient, Cluster) async throws -> T
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
            result = try await body(GatewayClient(base: cluster.gatewayURL), cluster)
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

/// A response read whole.
struct Answer: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    var node: String? { headers.first(name: "X-OllamaMax-Node") }

    func json() throws -> JSONObject {
        try JSONDecoder().decode(JSONObject.self, from: Data(body))
    }

    func lines() throws -> [JSONObject] {
        var decoder = NDJSONDecoder()
        var lines = try decoder.feed(body)
        if let last = decoder.finish() { lines.append(last) }
        return try lines.map { try JSONDecoder().decode(JSONObject.self, from: Data($0)) }
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try OllamaJSON.decode(T.self, from: body)
    }
}

/// An HTTP client for the gateway (or any node).
struct GatewayClient: Sendable {
    let base: String

    func send(
        _ method: HTTPMethod, _ path: String, _ body: String? = nil, headers: [(String, String)] = [],
        timeout: TimeAmount = .seconds(30)
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        var collected = try await response.body.collect(upTo: 64 << 20)
        return Answer(
            status: Int(response.status.code), headers: response.headers,
            body: collected.readBytes(length: collected.readableBytes) ?? [])
    }

    func get(_ path: String) async throws -> Answer { try await send(.GET, path) }

    func post(_ path: String, _ body: String, headers: [(String, String)] = []) async throws -> Answer {
        try await send(.POST, path, body, headers: headers)
    }

    /// Sends a request and returns the response head and its body as a stream, for tests that
    /// read part of an answer.
    func open(_ path: String, _ body: String) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        return try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    }
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
