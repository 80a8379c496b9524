/// The body of `GET /ollamamax/keys`: every API key's usage since the gateway started, by name
/// (never the key). Empty when no keys are configured.
public struct KeysReport: Sendable, Hashable, Codable {
    public var keys: [KeyStatus]

    public init(keys: [KeyStatus]) {
        self.keys = keys
    }
}

/// One key's row: its name, role, limits and what it has done.
public struct KeyStatus: Sendable, Hashable, Codable {
    public var name: String
    public var role: Role
    /// Requests admitted.
    public var requests: Int
    public var promptTokens: Int
    public var outputTokens: Int
    /// Requests refused with 429.
    public var rateLimited: Int
    /// Requests refused with 403.
    public var forbidden: Int
    public var requestsPerMinute: Int?
    public var tokensPerMinute: Int?

    /// The row for `usage` of a key with `role`.
    public init(_ usage: KeyUsage, role: Role) {
        name = usage.name
        self.role = role
        requests = usage.requests
        promptTokens = usage.promptTokens
        outputTokens = usage.outputTokens
        rateLimited = usage.rateLimited
        forbidden = usage.forbidden
        requestsPerMinute = usage.limits.requestsPerMinute
        tokensPerMinute = usage.limits.tokensPerMinute
    }
}
