import HTTPTypes
import Hummingbird
import NIOHTTP1

/// One route the router serves: its method, its path in Hummingbird's syntax (`:name` one
/// segment, `**` the rest) and the handler, which reads what it needs from `Owner`.
///
/// Routes are declared once, in a table (``GatewayRoutes/table``, ``DebugRoutes/table``): the
/// router registers exactly the table, and the data plane learns from the same table which
/// requests the router answers (``RouterTable``), so the two cannot drift apart.
///
/// Each route declares who may use it (`access:`, required: a route without one does not
/// compile), which the data plane's gate checks before the router sees the request.
struct RouterRoute<Owner: Sendable>: Sendable {
    let method: HTTPRequest.Method
    let path: String
    let access: RouteAccess
    let handle: @Sendable (Owner, Request, BasicRequestContext) async -> Response

    init(
        _ method: HTTPRequest.Method,
        _ path: String,
        access: RouteAccess,
        _ handle: @escaping @Sendable (Owner, Request, BasicRequestContext) async -> Response
    ) {
        self.method = method
        self.path = path
        self.access = access
        self.handle = handle
    }

    /// The route's method, path and access, without its handler.
    var signature: RouterTable.Route {
        RouterTable.Route(method: method.rawValue, path: path, access: access)
    }
}

extension Router<BasicRequestContext> {
    /// Registers every route of `table`, each answered by `owner`. With keys (`access`), a
    /// handler runs with the request's caller as ``Caller/current`` (from the gate's
    /// ``AccessControl/callerHeader``, which never reaches the handler).
    func add<Owner: Sendable>(_ table: [RouterRoute<Owner>], owner: Owner, access: AccessControl? = nil) {
        for route in table {
            on(RouterPath(route.path), method: route.method) { request, context in
                guard let access, let name = request.headers[AccessControl.callerField] else {
                    return await route.handle(owner, request, context)
                }
                var head = request.head
                head.headerFields[AccessControl.callerField] = nil
                let stripped = Request(head: head, body: request.body)
                return await Caller.$current.withValue(access.caller(named: name)) {
                    await route.handle(owner, stripped, context)
                }
            }
        }
    }
}

/// Which requests the router answers, for the data plane, which sends every other request it
/// does not own to a node (a route the gateway does not know).
///
/// The gateway's own namespaces (`/ollamamax/...`, `/debug/...`) stay with the router whatever
/// the path, so a mistyped or switched-off gateway page is the gateway's 404, never a node's.
/// Paths match as Hummingbird matches them: by segment, empty segments (a trailing slash)
/// ignored, case-sensitive.
struct RouterTable: Sendable {
    /// A method and a path in Hummingbird's syntax.
    struct Route: Sendable, Hashable {
        var method: String
        var path: String
        var access: RouteAccess
    }

    /// What a matched route needs, and its route label in the metrics (the router's template).
    struct Match: Sendable, Equatable {
        var access: RouteAccess
        var label: String
    }

    /// The methods of each literal path, and their matches.
    private let literal: [String: [String: Match]]
    /// The routes with a parameter or a wildcard, by segment.
    private let patterns: [(method: String, segments: [Substring], match: Match)]

    /// Path prefixes that belong to the gateway itself.
    static let ownPrefixes = ["/ollamamax/", "/debug/"]

    init(_ routes: [Route]) {
        var literal: [String: [String: Match]] = [:]
        var patterns: [(method: String, segments: [Substring], match: Match)] = []
        for route in routes {
            let segments = route.path.split(separator: "/")
            let match = Match(access: route.access, label: RouterPath(route.path).description)
            if segments.contains(where: Self.isPattern) {
                patterns.append((route.method, segments, match))
            } else {
                literal["/" + segments.joined(separator: "/"), default: [:]][route.method] = match
            }
        }
        self.literal = literal
        self.patterns = patterns
    }

    /// Whether the router answers `method` on `path` (the request's path without its query).
    func serves(method: String, path: String) -> Bool {
        match(method: method, path: path) != nil
    }

    /// What the route of `method` and `path` needs, or nil when the router does not serve it.
    func access(method: String, path: String) -> RouteAccess? {
        match(method: method, path: path)?.access
    }

    /// The route of `method` and `path`, or nil when the router does not serve it. A path of the
    /// gateway's own namespaces without a route (a mistyped page, the debug endpoints switched
    /// off) needs what its namespace does (`metrics` to read `/ollamamax/...`, else `admin`) and
    /// is `unmatched` in the metrics, as the router counts it.
    func match(method: String, path: String) -> Match? {
        if let match = literal[path]?[method] { return match }
        let segments = path.split(separator: "/")
        // A trailing slash or a doubled one: the same literal route.
        if let match = literal["/" + segments.joined(separator: "/")]?[method] { return match }
        if let pattern = patterns.first(where: { $0.method == method && Self.matches($0.segments, segments) }) {
            return pattern.match
        }
        if path.hasPrefix("/ollamamax/") { return Match(access: method == "GET" || method == "HEAD" ? .metrics : .admin, label: "unmatched") }
        if Self.ownPrefixes.contains(where: { path.hasPrefix($0) }) { return Match(access: .admin, label: "unmatched") }
        return nil
    }

    private static func isPattern(_ segment: Substring) -> Bool {
        segment.hasPrefix(":") || segment.hasPrefix("{") || segment.contains("*")
    }

    private static func matches(_ pattern: [Substring], _ segments: [Substring]) -> Bool {
        for (index, part) in pattern.enumerated() {
            if part == "**" { return segments.count > index }
            guard index < segments.count else { return false }
            if part == "*" || part.hasPrefix(":") || part.hasPrefix("{") { continue }
            if part != segments[index] { return false }
        }
        return pattern.count == segments.count
    }
}
