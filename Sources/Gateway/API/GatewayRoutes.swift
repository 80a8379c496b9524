import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OllamaAPI
import Telemetry

/// Every route the router serves: the Ollama API but the routed inference endpoints (which the
/// data plane answers before the router), the OpenAI model list, and the gateway's own endpoints.
struct GatewayRoutes: Sendable {
    let proxy: Proxy
    let aggregation: Aggregation
    let management: ModelManagement
    let blobs: Blobs
    let metricsEndpoint: MetricsEndpoint
    let history: MetricHistory?
    let pool: NodePool
    let configuration: GatewayConfiguration

    func register(on router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in Self.text("Ollama is running") }
        router.head("/") { _, _ in Self.text("Ollama is running") }
        router.get("/api/version") { _, _ in await aggregation.version() }
        router.head("/api/version") { _, _ in await aggregation.version() }
        router.get("/api/tags") { _, _ in await aggregation.tags() }
        router.head("/api/tags") { _, _ in await aggregation.tags() }
        router.get("/api/ps") { _, _ in await aggregation.ps() }
        router.get("/v1/models") { _, _ in await aggregation.openAIModels() }
        router.get("/v1/models/**") { request, context in
            let model = context.parameters.getCatchAll().joined(separator: "/")
            return await proxy.forward(request, body: ByteBuffer(), model: model, requestID: Self.requestID(request))
        }
        // The routed inference endpoints (`DataPlane.paths`) are answered by the data plane in the
        // server pipeline and never reach this router.
        router.post("/api/pull") { request, _ in
            await withBody(request) { body, id in await management.pull(request, body: body, requestID: id) }
        }
        router.post("/api/create") { request, _ in
            await withBody(request) { body, id in await management.create(request, body: body, requestID: id) }
        }
        router.post("/api/copy") { request, _ in
            await withBody(request) { body, id in
                await management.onEveryHolder(request, body: body, modelField: "source", requestID: id)
            }
        }
        router.delete("/api/delete") { request, _ in
            await withBody(request) { body, id in
                await management.onEveryHolder(request, body: body, modelField: "model", requestID: id)
            }
        }
        router.head("/api/blobs/:digest") { _, context in await blobs.head(context.parameters.get("digest") ?? "") }
        router.post("/api/blobs/:digest") { request, context in
            await blobs.create(request, digest: context.parameters.get("digest") ?? "", requestID: Self.requestID(request))
        }
        router.get("/ollamamax/nodes") { _, _ in await nodes() }
        router.get("/metrics") { _, _ in await metricsEndpoint.response() }
        router.get("/ollamamax/history") { request, _ in historyResponse(request) }
    }

    /// Reads the body within the size limit, then runs `handle` with it and the request id.
    private func withBody(
        _ request: Request,
        _ handle: (ByteBuffer, String) async -> Response
    ) async -> Response {
        let id = Self.requestID(request)
        do {
            let body = try await request.body.collect(upTo: configuration.maxBodyBytes)
            return await handle(body, id)
        } catch is NIOTooManyBytesError {
            return ErrorStyle(path: request.uri.path).response(
                "request body too large (limit \(configuration.maxBodyBytes) bytes)",
                status: .contentTooLarge,
                headers: [.requestID: id]
            )
        } catch {
            return ErrorStyle(path: request.uri.path).response(
                "failed to read request body: \(error)",
                status: .badRequest,
                headers: [.requestID: id]
            )
        }
    }

    /// `GET /ollamamax/nodes`: every node with state, models, residency, load and latency.
    private func nodes() async -> Response {
        let report = NodesReport(strategy: configuration.strategy, queued: pool.queued, nodes: pool.status())
        let data = (try? OllamaJSON.encode(report)) ?? Data()
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// `GET /ollamamax/history[?after=UNIX_SECONDS]`: the sampled series as columns.
    private func historyResponse(_ request: Request) -> Response {
        guard let history else {
            return ErrorStyle(path: request.uri.path).response(
                "performance monitoring is off: start the gateway with --enable-performance-monitoring",
                status: .notFound
            )
        }
        let after = request.uri.queryParameters["after"].flatMap { Double(String($0)) }
        let data = (try? OllamaJSON.encode(HistoryReport(history, after: after))) ?? Data()
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// The client's `X-Request-ID`, or a new one.
    static func requestID(_ request: Request) -> String {
        if let given = request.headers[.requestID], !given.isEmpty, given.count <= 200 { return given }
        var ids = RequestID()
        return ids.next()
    }

    static func text(_ text: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }
}

/// The body of `GET /ollamamax/nodes` and what `ollama-distributed status` shows.
public struct NodesReport: Sendable, Hashable, Codable {
    public var strategy: RoutingStrategy
    public var queued: Int
    public var nodes: [NodeStatus]

    public init(strategy: RoutingStrategy, queued: Int, nodes: [NodeStatus]) {
        self.strategy = strategy
        self.queued = queued
        self.nodes = nodes
    }
}
