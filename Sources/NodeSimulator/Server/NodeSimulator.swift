import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import OllamaAPI

/// A simulated Ollama server: the same routes, bodies, content types, status codes and timing
/// behaviour a client sees from a real one, with models that are numbers instead of weights.
public struct NodeSimulator: Sendable {
    public let configuration: SimulatorConfiguration
    /// The models on disk; tests may inspect or change them.
    public let store: ModelStore
    /// Loaded models, slots and the pending queue.
    public let scheduler: ModelScheduler
    /// Requests prefilling and decoding each model, and the node's speed factor.
    public let load: NodeLoad
    let handlers: SimulatorHandlers

    public init(configuration: SimulatorConfiguration, logger: Logger? = nil) {
        self.configuration = configuration
        store = ModelStore(models: configuration.models, registry: configuration.registry)
        scheduler = ModelScheduler(limits: configuration.limits)
        load = NodeLoad(schedule: configuration.faults.slowdowns)
        var log = logger ?? Logger(label: "ollamamax.node-sim")
        log[metadataKey: "node"] = .string(configuration.name)
        handlers = SimulatorHandlers(
            configuration: configuration,
            store: store,
            scheduler: scheduler,
            faults: FaultInjector(configuration.faults),
            load: load,
            logger: log
        )
    }

    /// Every route, as Ollama registers them.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: GoNotFoundMiddleware())
        let handlers = handlers
        router.get("/") { _, _ in Responses.text("Ollama is running") }
        router.head("/") { _, _ in Responses.text("Ollama is running") }
        router.get("/api/version") { _, _ in handlers.version() }
        router.head("/api/version") { _, _ in handlers.version() }
        router.get("/api/tags") { _, _ in await handlers.tags() }
        router.head("/api/tags") { _, _ in await handlers.tags() }
        router.get("/api/ps") { _, _ in await handlers.ps() }
        router.post("/api/show") { request, _ in try await handlers.show(request) }
        router.post("/api/generate") { request, _ in try await handlers.generate(request) }
        router.post("/api/chat") { request, _ in try await handlers.chat(request) }
        router.post("/api/embed") { request, _ in try await handlers.embed(request) }
        router.post("/api/embeddings") { request, _ in try await handlers.legacyEmbeddings(request) }
        router.post("/api/pull") { request, _ in try await handlers.pull(request) }
        router.post("/api/push") { request, _ in try await handlers.push(request) }
        router.post("/api/create") { request, _ in try await handlers.create(request) }
        router.head("/api/blobs/:digest") { _, context in
            await handlers.headBlob(context.parameters.get("digest") ?? "")
        }
        router.post("/api/blobs/:digest") { request, context in
            await handlers.createBlob(request, digest: context.parameters.get("digest") ?? "")
        }
        router.post("/api/copy") { request, _ in try await handlers.copy(request) }
        router.delete("/api/delete") { request, _ in try await handlers.delete(request) }
        router.post("/v1/chat/completions") { request, _ in try await handlers.chatCompletions(request) }
        router.post("/v1/completions") { request, _ in try await handlers.completions(request) }
        router.post("/v1/embeddings") { request, _ in try await handlers.openAIEmbeddings(request) }
        router.post("/v1/messages") { request, _ in try await handlers.messages(request) }
        router.post("/v1/responses") { request, _ in try await handlers.responses(request) }
        router.get("/v1/models") { _, _ in await handlers.openAIModels() }
        router.get("/simulator/capacity") { _, _ in handlers.capacity() }
        router.post("/simulator/capacity") { request, _ in try await handlers.setCapacity(request) }
        router.get("/v1/models/**") { _, context in
            await handlers.openAIModel(context.parameters.getCatchAll().joined(separator: "/"))
        }
        return router
    }

    /// The server as a Hummingbird application; `onServerRunning` receives the bound port.
    /// - Parameters:
    ///   - tls: a server TLS configuration to serve HTTPS with (HTTP/1.1); nil serves plain HTTP.
    ///   - onServerRunning: called with the bound port once the server listens.
    public func makeApplication(
        tls: TLSConfiguration? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let server = tls.map { tls in
            HTTPServerBuilder { responder in try TLSChannel(HTTP1Channel(responder: responder), tlsConfiguration: tls) }
        }
        return Application(
            router: makeRouter(),
            server: server ?? .http1(),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "ollamamax-node-sim",
                backlog: 4096
            ),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: handlers.logger
        )
    }
}

/// Unknown routes answer like Go's router: 404 with the text `404 page not found`.
struct GoNotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return Responses.text("404 page not found", status: .notFound)
        }
    }
}
