import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OllamaAPI
import Telemetry

/// Every route the router serves: the Ollama API but the routed inference endpoints (which the
/// data plane answers before the router), the OpenAI model list, and the gateway's own endpoints.
/// A request for any other route goes to a node, by the data plane (``RouterTable``).
struct GatewayRoutes: Sendable {
    let proxy: Proxy
    let aggregation: Aggregation
    let management: ModelManagement
    let blobs: Blobs
    let metricsEndpoint: MetricsEndpoint
    let history: MetricHistory?
    let pool: NodePool
    let configuration: GatewayConfiguration

    /// Every route the router serves, in the order it registers them: also what tells the data
    /// plane which requests are the router's (``RouterTable``). The routed inference endpoints
    /// (`DataPlane.paths`) are answered by the data plane in the server pipeline and are not here.
    static let table: [RouterRoute<GatewayRoutes>] = [
        RouterRoute(.get, "/") { _, _, _ in text("Ollama is running") },
        RouterRoute(.head, "/") { _, _, _ in text("Ollama is running") },
        RouterRoute(.get, "/api/version") { routes, _, _ in await routes.aggregation.version() },
        RouterRoute(.head, "/api/version") { routes, _, _ in await routes.aggregation.version() },
        RouterRoute(.get, "/api/tags") { routes, _, _ in await routes.aggregation.tags() },
        RouterRoute(.head, "/api/tags") { routes, _, _ in await routes.aggregation.tags() },
        RouterRoute(.get, "/api/ps") { routes, _, _ in await routes.aggregation.ps() },
        RouterRoute(.get, "/v1/models") { routes, _, _ in await routes.aggregation.openAIModels() },
        RouterRoute(.get, "/v1/models/**") { routes, request, context in
            let model = context.parameters.getCatchAll().joined(separator: "/")
            return await routes.proxy.forward(request, body: ByteBuffer(), model: model, requestID: requestID(request))
        },
        RouterRoute(.post, "/api/pull") { routes, request, _ in
            await routes.withBody(request) { body, id in await routes.management.pull(request, body: body, requestID: id) }
        },
        RouterRoute(.post, "/api/create") { routes, request, _ in
            await routes.withBody(request) { body, id in await routes.management.create(request, body: body, requestID: id) }
        },
        RouterRoute(.post, "/api/copy") { routes, request, _ in
            await routes.withBody(request) { body, id in
                await routes.management.onEveryHolder(request, body: body, modelField: "source", requestID: id)
            }
        },
        RouterRoute(.delete, "/api/delete") { routes, request, _ in
            await routes.withBody(request) { body, id in
                await routes.management.onEveryHolder(request, body: body, modelField: "model", requestID: id)
            }
        },
        RouterRoute(.head, "/api/blobs/:digest") { routes, _, context in
            await routes.blobs.head(context.parameters.get("digest") ?? "")
        },
        RouterRoute(.post, "/api/blobs/:digest") { routes, request, context in
            await routes.blobs.create(request, digest: context.parameters.get("digest") ?? "", requestID: requestID(request))
        },
        RouterRoute(.get, "/ollamamax/nodes") { routes, _, _ in await routes.nodes() },
        RouterRoute(.get, "/metrics") { routes, _, _ in await routes.metricsEndpoint.response() },
        RouterRoute(.get, "/ollamamax/history") { routes, request, _ in routes.historyResponse(request) },
    ]

    func register(on router: Router<BasicRequestContext>) {
        router.add(Self.table, owner: self)
    }

    /// What the router serves with these settings: ``table``, and ``DebugRoutes/table`` when the
    /// debug endpoints are on (``Gateway/makeRouter()`` registers the same).
    static func routerTable(debugEndpoints: Bool) -> RouterTable {
        RouterTable(table.map(\.signature) + (debugEndpoints ? DebugRoutes.table.map(\.signature) : []))
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
