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
    let history: MetricHistory
    let pool: NodePool
    let configuration: GatewayConfiguration
    /// The keys, when configured: a caller's model list also applies to the router's model routes.
    let access: AccessControl?
    /// The interval service's knobs and decisions, for `/ollamamax/optimizer`; nil at level `off`.
    let intervalLog: IntervalLog?

    /// Every route the router serves, in the order it registers them: also what tells the data
    /// plane which requests are the router's (``RouterTable``). The routed inference endpoints
    /// (`DataPlane.paths`) are answered by the data plane in the server pipeline and are not here.
    static let table: [RouterRoute<GatewayRoutes>] = [
        RouterRoute(.get, "/", access: .open) { _, _, _ in text("Ollama is running") },
        RouterRoute(.head, "/", access: .open) { _, _, _ in text("Ollama is running") },
        RouterRoute(.get, "/api/version", access: .inference) { routes, _, _ in await routes.aggregation.version() },
        RouterRoute(.head, "/api/version", access: .inference) { routes, _, _ in await routes.aggregation.version() },
        RouterRoute(.get, "/api/tags", access: .inference) { routes, _, _ in await routes.aggregation.tags() },
        RouterRoute(.head, "/api/tags", access: .inference) { routes, _, _ in await routes.aggregation.tags() },
        RouterRoute(.get, "/api/ps", access: .inference) { routes, _, _ in await routes.aggregation.ps() },
        RouterRoute(.get, "/v1/models", access: .inference) { routes, _, _ in await routes.aggregation.openAIModels() },
        RouterRoute(.get, "/v1/models/**", access: .inference) { routes, request, context in
            let model = context.parameters.getCatchAll().joined(separator: "/")
            if let refusal = routes.modelRefusal(model, request: request) { return refusal }
            return await routes.proxy.forward(request, body: ByteBuffer(), model: model, requestID: requestID(request))
        },
        RouterRoute(.post, "/api/pull", access: .admin) { routes, request, _ in
            await routes.withBody(request, modelFields: ["model", "name"]) { body, id in
                await routes.management.pull(request, body: body, requestID: id)
            }
        },
        RouterRoute(.post, "/api/create", access: .admin) { routes, request, _ in
            await routes.withBody(request, modelFields: ["model", "name"]) { body, id in
                await routes.management.create(request, body: body, requestID: id)
            }
        },
        RouterRoute(.post, "/api/copy", access: .admin) { routes, request, _ in
            await routes.withBody(request, modelFields: ["source"]) { body, id in
                await routes.management.onEveryHolder(request, body: body, modelField: "source", requestID: id)
            }
        },
        RouterRoute(.delete, "/api/delete", access: .admin) { routes, request, _ in
            await routes.withBody(request, modelFields: ["model", "name"]) { body, id in
                await routes.management.onEveryHolder(request, body: body, modelField: "model", requestID: id)
            }
        },
        RouterRoute(.head, "/api/blobs/:digest", access: .admin) { routes, _, context in
            await routes.blobs.head(context.parameters.get("digest") ?? "")
        },
        RouterRoute(.post, "/api/blobs/:digest", access: .admin) { routes, request, context in
            await routes.blobs.create(request, digest: context.parameters.get("digest") ?? "", requestID: requestID(request))
        },
        RouterRoute(.get, "/ollamamax/nodes", access: .metrics) { routes, _, _ in await routes.nodes() },
        RouterRoute(.get, "/metrics", access: .metrics) { routes, _, _ in await routes.metricsEndpoint.response() },
        RouterRoute(.get, "/ollamamax/history", access: .metrics) { routes, request, _ in routes.historyResponse(request) },
        RouterRoute(.get, "/ollamamax/keys", access: .metrics) { routes, _, _ in routes.keys() },
        RouterRoute(.get, "/ollamamax/optimizer", access: .admin) { routes, _, _ in routes.optimizer() },
        RouterRoute(.get, "/ollamamax/peer", access: .metrics) { routes, _, _ in routes.peer() },
    ]

    func register(on router: Router<BasicRequestContext>) {
        router.add(Self.table, owner: self, access: access)
    }

    /// What the router serves with these settings: ``table``, and ``DebugRoutes/table`` when the
    /// debug endpoints are on (``Gateway/makeRouter()`` registers the same).
    static func routerTable(debugEndpoints: Bool) -> RouterTable {
        RouterTable(
            table.map(\.signature) + ConsoleRoutes.table.map(\.signature) + (debugEndpoints ? DebugRoutes.table.map(\.signature) : [])
        )
    }

    /// Reads the body within the size limit, then runs `handle` with it and the request id; a
    /// caller whose key lists its models gets a 403 for a model (the first of `modelFields` the
    /// body has) outside the list.
    private func withBody(
        _ request: Request,
        modelFields: [String],
        _ handle: (ByteBuffer, String) async -> Response
    ) async -> Response {
        let id = Self.requestID(request)
        do {
            let body = try await request.body.collect(upTo: configuration.maxBodyBytes)
            if Caller.current?.models != nil, let fields = TopLevelStrings.scan(body.readableBytesView, keys: Set(modelFields)),
                let model = modelFields.lazy.compactMap({ fields[$0] }).first,
                let refusal = modelRefusal(model, request: request)
            {
                return refusal
            }
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

    /// A 403 when the request's caller may not use `model`; nil when it may (or has no list).
    private func modelRefusal(_ model: String, request: Request) -> Response? {
        guard let caller = Caller.current, !caller.allows(model: model) else { return nil }
        access?.limiter.refused(caller.name, status: 403)
        return ErrorStyle(path: request.uri.path).response(
            caller.modelRefusal(model),
            status: .forbidden,
            headers: [.requestID: Self.requestID(request)]
        )
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
