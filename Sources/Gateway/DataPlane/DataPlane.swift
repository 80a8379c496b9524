import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import OllamaAPI

/// The gateway's fast path for the routed POST endpoints (`/api/generate`, `/api/chat`, the
/// OpenAI, Anthropic and Responses routes...): a channel handler in the server pipeline answers
/// them on the client connection's own event loop, over pooled keep-alive node connections on
/// that loop, with one write and one flush per direction per read. It also sends requests for
/// routes the gateway does not know to a node the same way; the router's routes go on to it.
///
/// It follows the same ``RelayRules`` as ``Proxy`` (which retries, which headers, the error
/// words) and records the same metrics (``LLMTally``, ``RequestRecording``), without a Swift task
/// per request and without per-part flushes: it is what lets the gateway keep up with nginx.
final class DataPlane: Sendable {
    /// The configuration values a request reads, as plain values (reading them through the
    /// whole configuration copies its arrays and strings on every request).
    struct Settings: Sendable {
        var maxBodyBytes: Int
        var maxAttempts: Int
        var retryBackoff: Duration
        var responseTimeout: TimeAmount
        /// The response timeout as error messages write it (`600.0s`).
        var responseTimeoutText: String
        var idleTimeout: TimeAmount
        var idleTimeoutText: String
        var clientIdleTimeout: TimeAmount
        var headerTimeout: TimeAmount

        init(_ configuration: GatewayConfiguration) {
            maxBodyBytes = configuration.maxBodyBytes
            maxAttempts = configuration.maxAttempts
            retryBackoff = configuration.retryBackoff
            responseTimeoutText = RelayRules.text(configuration.responseTimeout)
            responseTimeout = TimeAmount(configuration.responseTimeout)
            idleTimeoutText = RelayRules.text(configuration.idleTimeout)
            idleTimeout = TimeAmount(configuration.idleTimeout)
            clientIdleTimeout = TimeAmount(configuration.clientIdleTimeout)
            headerTimeout = TimeAmount(configuration.headerTimeout)
        }
    }

    let pool: NodePool
    let settings: Settings
    let metrics: GatewayMetrics
    let logger: Logger
    let upstreams: UpstreamPools
    /// Each node's parsed address, by its URL.
    let addresses: [String: NodeAddress]
    /// What the router answers: every other request the data plane does not own goes to a node.
    let routerTable: RouterTable
    /// The keys, when configured; nil: no request is checked.
    let access: AccessControl?

    /// The paths the data plane answers (POST only), with what each needs: every route whose
    /// answer comes from the node that serves the request's model. The router has no handlers
    /// for them.
    static let routes: [String: RouteAccess] = [
        "/api/generate": .inference, "/api/chat": .inference, "/api/embed": .inference, "/api/embeddings": .inference,
        "/api/show": .inference, "/api/push": .admin,
        "/v1/chat/completions": .inference, "/v1/completions": .inference, "/v1/embeddings": .inference,
        "/v1/messages": .inference, "/v1/responses": .inference,
    ]

    /// The paths of ``routes``.
    static let paths = Set(routes.keys)

    /// What a route the gateway does not know needs: an admin key (it may be destructive: a
    /// node's newer API is nothing the gateway can vouch for).
    static let unknownRouteAccess = RouteAccess.admin

    init(pool: NodePool, configuration: GatewayConfiguration, metrics: GatewayMetrics, logger: Logger) {
        self.pool = pool
        access = AccessControl(settings: configuration.access, metrics: metrics)
        settings = Settings(configuration)
        self.metrics = metrics
        self.logger = logger
        var addresses: [String: NodeAddress] = [:]
        for node in configuration.nodes {
            addresses[node.url] = NodeAddress(url: node.url)
        }
        self.addresses = addresses
        routerTable = GatewayRoutes.routerTable(debugEndpoints: configuration.servesDebugEndpoints)
        // Without a TLS context (no system trust store), connecting to an https node fails with a
        // message saying so, on every attempt; http nodes are unaffected. `nodeTrust` adds a
        // private CA's roots to the system's.
        let tls =
            addresses.values.contains(where: \.tls)
            ? try? NIOSSLContext(configuration: NodeTrust.clientConfiguration(configuration.nodeTrust)) : nil
        // A quarter of the shortest node or queue timeout, at most a second: a timeout fires at
        // most 25% late.
        let shortest = min(configuration.responseTimeout, configuration.idleTimeout, configuration.queue.queueTimeout).inSeconds
        upstreams = UpstreamPools(
            tls: tls,
            connectTimeout: TimeAmount(configuration.connectTimeout),
            sweepInterval: .milliseconds(Int64(max(0.01, min(1, shortest / 4)) * 1000))
        )
    }

    /// How the data plane takes a request it answers.
    enum Claim: Equatable {
        /// A routed endpoint (``paths``), by its path.
        case routed(String)
        /// A route the gateway does not know (neither ``paths`` nor the router's), by its path:
        /// it goes to a node, by the body's `model` when a POST names one, else to any node.
        case unknown(String)
    }

    /// How the data plane answers this request; nil when it goes on to the router. A routed
    /// endpoint costs what it always did (one set lookup); only other requests are matched
    /// against the router's table.
    func claim(_ request: HTTPRequestHead) -> Claim? {
        Self.claim(request, routerTable: routerTable)
    }

    /// ``claim(_:)`` with the router's table given.
    static func claim(_ request: HTTPRequestHead, routerTable: RouterTable) -> Claim? {
        let path = route(of: request.uri)
        if request.method == .POST, paths.contains(path) { return .routed(path) }
        return routerTable.serves(method: request.method.rawValue, path: path) ? nil : .unknown(path)
    }

    /// What the request needs (``claim(_:)``'s answer given): a routed endpoint's access, the
    /// router route's, or ``unknownRouteAccess``; and its method and route labels in the metrics.
    func access(_ request: HTTPRequestHead, claim: Claim?) -> (access: RouteAccess, method: String, route: String) {
        switch claim {
        case .routed(let path): (Self.routes[path] ?? .admin, request.method.rawValue, path)
        case .unknown: (Self.unknownRouteAccess, RelayRules.methodLabel(request.method), RelayExchange.unknownRouteLabel)
        case nil:
            routerTable.match(method: request.method.rawValue, path: Self.route(of: request.uri)).map {
                ($0.access, request.method.rawValue, $0.label)
            } ?? (.admin, request.method.rawValue, "unmatched")
        }
    }

    /// The path of `uri` without its query.
    static func route(of uri: String) -> String {
        uri.firstIndex(of: "?").map { String(uri[..<$0]) } ?? uri
    }

    /// A handler for one client connection.
    func makeHandler(headerTimeout: HeaderTimeout? = nil) -> DataPlaneHandler {
        DataPlaneHandler(plane: self, headerTimeout: headerTimeout)
    }
}
