import Foundation
import Hummingbird
import LocalCluster
import Logging
import NIOHTTP1
import Telemetry
import TestHTTP
import Testing

@testable import Gateway

/// Every route the gateway has, x every kind of caller, against a real gateway over a simulated
/// node on 127.0.0.1: the matrix iterates the route tables themselves, so a new route is in it
/// (and a route cannot be declared without its access: `RouterRoute` requires one).
@Suite(.timeLimit(.minutes(3)))
struct AccessMatrixTests {
    /// The keys of the matrix; none of them may appear in any log line.
    static let adminKey = "adm-7c1f9e2a7b44-secret"
    static let inferenceKey = "inf-8d2e4b7c1a55-secret"
    static let metricsKey = "met-5a9b3c2d1e66-secret"
    static let wrongKey = "bad-0f1e2d3c4b77-secret"

    static let settings = AccessSettings(
        keys: [
            APIKey(name: "root", key: adminKey, role: .admin),
            APIKey(name: "alice", key: inferenceKey, role: .inference),
            APIKey(name: "prom", key: metricsKey, role: .metrics),
        ],
        // Act as a client from another machine: loopback would reach the monitoring routes without a key.
        openMetricsOnLoopback: false
    )

    enum Who: String, CaseIterable {
        case noKey, inference, admin, metrics, wrongKey

        var key: String? {
            switch self {
            case .noKey: nil
            case .inference: AccessMatrixTests.inferenceKey
            case .admin: AccessMatrixTests.adminKey
            case .metrics: AccessMatrixTests.metricsKey
            case .wrongKey: AccessMatrixTests.wrongKey
            }
        }

        /// The status the gate answers for a route needing `access`; nil when it lets the request on.
        func refusal(_ access: RouteAccess) -> Int? {
            if access == .open { return nil }
            switch self {
            case .noKey, .wrongKey: return 401
            case .admin: return nil
            case .inference: return access == .inference ? nil : 403
            case .metrics: return access == .metrics ? nil : 403
            }
        }
    }

    struct Route: CustomStringConvertible {
        var method: HTTPMethod
        var path: String
        var access: RouteAccess
        var description: String { "\(method.rawValue) \(path)" }
    }

    /// Every route: the router's tables, the data plane's routes, and routes the gateway does not know.
    static var routes: [Route] {
        var routes = (GatewayRoutes.table.map(\.signature) + ConsoleRoutes.table.map(\.signature) + DebugRoutes.table.map(\.signature)).map { route in
            // A profile with seconds=0 is refused by its handler (400): past the gate without running perf.
            let query = route.path == "/debug/pprof/profile" ? "?seconds=0" : ""
            return Route(
                method: HTTPMethod(rawValue: route.method),
                path: GatewayMetricsTests.concretePath(route.path) + query,
                access: route.access
            )
        }
        routes += DataPlane.routes.sorted { $0.key < $1.key }.map { Route(method: .POST, path: $0.key, access: $0.value) }
        routes.append(Route(method: .POST, path: "/api/experimental/echo", access: DataPlane.unknownRouteAccess))
        routes.append(Route(method: .GET, path: "/api/experimental/info", access: DataPlane.unknownRouteAccess))
        routes.append(Route(method: .GET, path: "/ollamamax/not-a-page", access: .metrics))
        routes.append(Route(method: .POST, path: "/ollamamax/nodes", access: .admin))
        return routes
    }

    /// A body every POST route accepts or refuses quickly, for a model no node has.
    static let body = #"{"model":"no-such-model","source":"no-such-model","destination":"copy","prompt":"hi","stream":false}"#

    static func headers(_ who: Who, xAPIKey: Bool) -> [(String, String)] {
        guard let key = who.key else { return [] }
        return xAPIKey ? [("x-api-key", key)] : [("Authorization", "Bearer \(key)")]
    }

    /// The refusal is in the route's error shape (``ErrorStyle``), with `WWW-Authenticate` on a 401.
    static func expectRefusalShape(_ answer: HTTPAnswer, _ route: Route, status: Int) throws {
        if status == 401 { #expect(answer.headers.first(name: "WWW-Authenticate") == "Bearer", "\(route)") }
        guard route.method != .HEAD else { return }
        #expect(answer.contentType == "application/json; charset=utf-8", "\(route)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any], "\(route)")
        switch ErrorStyle(path: route.path) {
        case .ollama:
            #expect((object["error"] as? String)?.isEmpty == false, "\(route): \(answer.text)")
        case .openAI, .responses:
            let error = try #require(object["error"] as? [String: Any], "\(route): \(answer.text)")
            #expect((error["message"] as? String)?.isEmpty == false, "\(route)")
        case .anthropic:
            #expect(object["type"] as? String == "error", "\(route)")
            let error = try #require(object["error"] as? [String: Any], "\(route): \(answer.text)")
            #expect(error["type"] as? String == (status == 401 ? "authentication_error" : "permission_error"), "\(route)")
        }
    }

    @Test func everyRouteAnswersEachCallerAsItsAccessSays() async throws {
        let lines = LogLines()
        var logger = Logger(label: "test.access") { _ in lines }
        logger.logLevel = .debug
        let routes = Self.routes
        #expect(routes.count >= 38)
        #expect(Set(routes.map(\.access)) == Set(RouteAccess.allCases))
        try await LocalCluster.run(
            nodes: [fastNode()],
            configure: { configuration in
                configuration.probeInterval = .seconds(3600)
                configuration.probeTimeout = .seconds(30)
                configuration.health.slowProbe = .seconds(30)
                configuration.access = Self.settings
            },
            gatewayLogger: logger
        ) { cluster in
            let client = TestClient(base: cluster.gatewayURL)
            // The matrix has every route the router registers (none registered outside the tables).
            let tables = Set(
                (GatewayRoutes.table.map(\.signature) + ConsoleRoutes.table.map(\.signature) + DebugRoutes.table.map(\.signature)).map {
                    "\($0.method) \(RouterPath($0.path).description)"
                }
            )
            for route in cluster.gateway.makeRouter().routes {
                #expect(tables.contains("\(route.method.rawValue) \(route.path.description)"), "\(route.method) \(route.path)")
            }
            for xAPIKey in [false, true] {
                for route in routes {
                    for who in Who.allCases {
                        let body = route.method == .POST || route.method == .DELETE ? Self.body : nil
                        let headers = Self.headers(who, xAPIKey: xAPIKey)
                        let answer =
                            route.path == "/dashboard/events" && who.refusal(route.access) == nil
                            // An endless event stream: its head is the answer.
                            ? try await client.head(of: route.path, headers: headers)
                            : try await client.send(route.method, route.path, body, headers: headers)
                        let what = "\(route) as \(who.rawValue)\(xAPIKey ? " (x-api-key)" : "")"
                        if let refusal = who.refusal(route.access) {
                            #expect(answer.status == refusal, "\(what): \(answer.status) \(answer.text)")
                            try Self.expectRefusalShape(answer, route, status: refusal)
                            if refusal == 403, route.method != .HEAD { #expect(answer.text.contains(route.path.split(separator: "?")[0]), "\(what)") }
                        } else {
                            #expect(![401, 403, 429].contains(answer.status), "\(what): \(answer.status) \(answer.text)")
                        }
                        for key in [Self.adminKey, Self.inferenceKey, Self.metricsKey, Self.wrongKey] {
                            #expect(!answer.text.contains(key), "\(what) answered with a key")
                        }
                    }
                }
            }
            // Refusals are counted under their route's labels, as the answers they replace would be.
            let scrape = try await client.send(.GET, "/metrics", headers: Self.headers(.metrics, xAPIKey: false))
            let families = try Exposition.parse(scrape.text)
            for (method, route) in [("GET", "/api/tags"), ("HEAD", "/api/blobs/{digest}"), ("POST", "/api/generate"), ("POST", "other")] {
                #expect(families.value("http_requests_total", ["method": method, "route": route, "status": "401"]) == 4, "\(method) \(route)")
            }
            #expect(families.value("http_requests_total", ["method": "POST", "route": "/api/pull", "status": "403"]) == 4)
        }
        // The gateway logged at debug level (a line per request), and never a key.
        let logged = lines.all
        #expect(!logged.isEmpty)
        for line in logged {
            for key in [Self.adminKey, Self.inferenceKey, Self.metricsKey, Self.wrongKey] {
                #expect(!line.contains(key), "a log line has a key: \(line)")
            }
        }
    }
}
