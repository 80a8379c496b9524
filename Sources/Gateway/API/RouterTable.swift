import HTTPTypes
import Hummingbird
import NIOHTTP1

/// One route the router serves: its method, its path in Hummingbird's syntax (`:name` one
/// segment, `**` the rest) and the handler, which reads what it needs from `Owner`.
///
/// Routes are declared once, in a table (``GatewayRoutes/table``, ``DebugRoutes/table``): the
/// router registers exactly the table, and the data plane learns from the same table which
/// requests the router answers (``RouterTable``), so the two cannot drift apart.
struct RouterRoute<Owner: Sendable>: Sendable {
    let method: HTTPRequest.Method
    let path: String
    let handle: @Sendable (Owner, Request, BasicRequestContext) async -> Response

    init(
        _ method: HTTPRequest.Method,
        _ path: String,
        _ handle: @escaping @Sendable (Owner, Request, BasicRequestContext) async -> Response
    ) {
        self.method = method
        self.path = path
        self.handle = handle
    }

    /// The route's method and path, without its handler.
    var signature: RouterTable.Route {
        RouterTable.Route(method: method.rawValue, path: path)
    }
}

extension Router<BasicRequestContext> {
    /// Registers every route of `table`, each answered by `owner`.
    func add<Owner: Sendable>(_ table: [RouterRoute<Owner>], owner: Owner) {
        for route in table {
            on(RouterPath(route.path), method: route.method) { request, context in await route.handle(owner, request, context) }
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
    }

    /// The methods of each literal path.
    private let literal: [String: Set<String>]
    /// The routes with a parameter or a wildcard, by segment.
    private let patterns: [(method: String, segments: [Substring])]

    /// Path prefixes that belong to the gateway itself.
    static let ownPrefixes = ["/ollamamax/", "/debug/"]

    init(_ routes: [Route]) {
        var literal: [String: Set<String>] = [:]
        var patterns: [(method: String, segments: [Substring])] = []
        for route in routes {
            let segments = route.path.split(separator: "/")
            if segments.contains(where: Self.isPattern) {
                patterns.append((route.method, segments))
            } else {
                literal["/" + segments.joined(separator: "/"), default: []].insert(route.method)
            }
        }
        self.literal = literal
        self.patterns = patterns
    }

    /// Whether the router answers `method` on `path` (the request's path without its query).
    func serves(method: String, path: String) -> Bool {
        if literal[path]?.contains(method) == true { return true }
        if Self.ownPrefixes.contains(where: { path.hasPrefix($0) }) { return true }
        let segments = path.split(separator: "/")
        // A trailing slash or a doubled one: the same literal route.
        if literal["/" + segments.joined(separator: "/")]?.contains(method) == true { return true }
        return patterns.contains { $0.method == method && Self.matches($0.segments, segments) }
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
