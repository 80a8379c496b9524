import HTTPTypes

/// Whether a request may go on, decided from values only: the route's ``RouteAccess``, the
/// caller its key names, and where it comes from. The data plane's gate applies it to every
/// request at its head.
enum AccessDecision: Equatable {
    /// Served; the caller is nil when no key was needed (no keys configured, an open route, a
    /// loopback client on a monitoring route).
    case allowed(Caller?)
    /// 401 (no valid key) or 403 (a key whose role may not use the route), with the message.
    case refused(HTTPResponse.Status, String)

    /// - Parameters:
    ///   - access: what the route needs.
    ///   - caller: who the presented key is; nil without a key or for an unknown key.
    ///   - keyPresented: whether the request carried a key at all.
    ///   - peerIsLoopback: whether the client is on this machine and loopback clients may read
    ///     the monitoring routes without a key.
    ///   - keysConfigured: whether the gateway has keys; without any, everything is allowed.
    ///   - route: `METHOD /path`, for the 403 message.
    static func decide(
        access: RouteAccess,
        caller: Caller?,
        keyPresented: Bool,
        peerIsLoopback: Bool,
        keysConfigured: Bool,
        route: String
    ) -> AccessDecision {
        guard keysConfigured, access != .open else { return .allowed(caller) }
        guard let caller else {
            if keyPresented { return .refused(.unauthorized, invalidKey) }
            if access == .metrics, peerIsLoopback { return .allowed(nil) }
            return .refused(.unauthorized, missingKey)
        }
        guard caller.role.permits(access) else {
            return .refused(.forbidden, "API key \"\(caller.name)\" (role \(caller.role.rawValue)) may not use \(route): \(needs(access))")
        }
        return .allowed(caller)
    }

    static let missingKey =
        "this gateway needs an API key: send it as \"Authorization: Bearer <key>\" or \"x-api-key: <key>\""
    static let invalidKey = "invalid API key: the gateway knows no such key"

    static func needs(_ access: RouteAccess) -> String {
        switch access {
        case .open: "it is open"
        case .inference: "it needs an inference or admin key"
        case .admin: "it needs an admin key"
        case .metrics: "it needs a metrics or admin key"
        }
    }
}
