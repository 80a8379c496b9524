import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OllamaAPI
import ServiceLifecycle
import TestHTTP

/// A small Ollama-like node for what the simulator does not serve: it answers the gateway's
/// probes (`/api/version`, `/api/tags` with `models`, `/api/ps`), and `routes` adds its own.
struct FakeNode: Sendable {
    var name: String
    var models: [String]
    var routes: @Sendable (Router<BasicRequestContext>, String) -> Void

    /// - Parameter routes: adds the node's routes; the second argument is the node's name.
    init(_ name: String, models: [String], routes: @escaping @Sendable (Router<BasicRequestContext>, String) -> Void) {
        self.name = name
        self.models = models
        self.routes = routes
    }

    func makeApplication(onPort: @escaping @Sendable (Int) -> Void, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        let tags = ListResponse(
            models: models.map { model in
                ListedModel(
                    name: model,
                    model: model,
                    modifiedAt: "2026-12-01T00:00:00Z",
                    size: 1,
                    digest: String(repeating: "0", count: 64),
                    details: ModelDetails(format: "gguf", family: "llama", families: nil, parameterSize: "1B", quantizationLevel: "Q4_0")
                )
            }
        )
        router.get("/api/version") { _, _ in Self.json(VersionResponse(version: "0.32.15")) }
        router.get("/api/tags") { _, _ in Self.json(tags) }
        router.get("/api/ps") { _, _ in Self.json(ProcessResponse(models: [])) }
        routes(router, name)
        return Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in onPort(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    static func json(_ value: some Encodable) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: (try? OllamaJSON.encode(value)) ?? Data()))
        )
    }
}

/// Runs `body` against a gateway over `nodes` (fake nodes only; their names are the node ids).
func withFakeNodes<T: Sendable>(
    _ nodes: [FakeNode],
    configure: @escaping @Sendable (inout GatewayConfiguration) -> Void = { _ in },
    _ body: @Sendable (TestClient, Cluster) async throws -> T
) async throws -> T {
    var logger = Logger(label: "test.fake-node")
    logger.logLevel = .critical
    let (ports, sink) = AsyncStream<(Int, Int)>.makeStream()
    let services: [any Service] = nodes.enumerated().map { index, node in
        node.makeApplication(onPort: { sink.yield((index, $0)) }, logger: logger)
    }
    let group = ServiceGroup(configuration: .init(services: services, logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            var urls = Array(repeating: "", count: nodes.count)
            var iterator = ports.makeAsyncIterator()
            for _ in nodes {
                guard let (index, port) = await iterator.next() else { throw ClusterError("a fake node did not start") }
                urls[index] = "http://127.0.0.1:\(port)"
            }
            let endpoints = zip(nodes, urls).map { NodeEndpoint(id: $0.name, url: $1) }
            // A cluster starts at least one simulated node; the gateway is given only the fake ones.
            let result = try await withCluster(
                [fastNode(models: [])],
                configure: { configuration in
                    configuration.nodes = endpoints
                    configure(&configuration)
                },
                body
            )
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            // Stopped and waited for, never cancelled (apple/swift-nio#3481).
            await group.triggerGracefulShutdown()
            while await tasks.nextResult() != nil {}
            throw error
        }
    }
}
