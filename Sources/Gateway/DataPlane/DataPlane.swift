import HTTPTypes
import Logging
import NIOCore
import NIOSSL

/// The gateway's fast path for the routed POST endpoints (`/api/generate`, `/api/chat`, the
/// OpenAI routes...): a channel handler in the server pipeline answers them on the client
/// connection's own event loop, over pooled keep-alive node connections on that loop, with one
/// write and one flush per direction per read. Everything else goes on to the router.
///
/// This is the same behaviour as ``Proxy`` (retries before the first byte, error lines after,
/// backpressure, cancellation, the same headers and metrics) without a Swift task per request
/// and without per-part flushes: it is what lets the gateway keep up with nginx.
struct DataPlane: Sendable {
    let pool: NodePool
    let configuration: GatewayConfiguration
    let metrics: GatewayMetrics
    let logger: Logger
    let upstreams: UpstreamPools
    /// Each node's parsed address, by its URL.
    let addresses: [String: NodeAddress]

    /// The paths the data plane answers (POST only).
    static let paths: Set<String> = Set(GatewayRoutes.routedPaths)

    init(pool: NodePool, configuration: GatewayConfiguration, metrics: GatewayMetrics, logger: Logger) {
        self.pool = pool
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        var addresses: [String: NodeAddress] = [:]
        for node in configuration.nodes {
            addresses[node.url] = NodeAddress(url: node.url)
        }
        self.addresses = addresses
        // Without a TLS context (no system trust store), connecting to an https node fails with a
        // message saying so, on every attempt; http nodes are unaffected.
        let tls =
            addresses.values.contains(where: \.tls) ? try? NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        upstreams = UpstreamPools(
            tls: tls, connectTimeout: .milliseconds(Int64(configuration.connectTimeoutSeconds * 1000)))
    }

    /// Whether the data plane answers this request.
    static func owns(_ request: HTTPRequest) -> Bool {
        guard request.method == .post, let path = request.path else { return false }
        let bare = path.firstIndex(of: "?").map { String(path[..<$0]) } ?? path
        return paths.contains(bare)
    }

    /// A handler for one client connection.
    func makeHandler() -> DataPlaneHandler {
        DataPlaneHandler(plane: self)
    }
}
