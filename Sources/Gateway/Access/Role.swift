/// What an API key may do. Each role is a set of ``RouteAccess`` levels it reaches.
///
/// - `inference`: the model routes (generate, chat, embed, show, the OpenAI, Anthropic and
///   Responses routes) and the read-only model lists (tags, ps, version, `/v1/models`).
/// - `admin`: everything, also pull, push, create, copy, delete, blobs, the gateway's own
///   writes, `/debug/pprof/*` and routes the gateway does not know.
/// - `metrics`: only monitoring: `/metrics` and the read-only `GET /ollamamax/*` pages.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    case inference
    case admin
    case metrics

    /// Whether a key of this role may use a route that needs `access`.
    public func permits(_ access: RouteAccess) -> Bool {
        switch (self, access) {
        case (_, .open), (.admin, _): true
        case (.inference, .inference), (.metrics, .metrics): true
        default: false
        }
    }
}

/// What a route needs, declared where the route is declared (``RouterRoute``, ``DataPlane/routes``).
public enum RouteAccess: String, Sendable, Hashable, CaseIterable {
    /// Anyone, without a key: only `GET` and `HEAD /` ("Ollama is running").
    case open
    /// An `inference` or `admin` key.
    case inference
    /// An `admin` key.
    case admin
    /// A `metrics` or `admin` key; loopback clients need none (``AccessSettings/openMetricsOnLoopback``).
    case metrics
}
