/// The Anthropic error body, as Ollama's `/v1/messages` writes it:
/// `{"type": "error", "error": {"type": T, "message": M}, "request_id": "req_..."}`.
///
/// `error.type` follows the HTTP status (``errorType(status:)``); `request_id` is left out when nil.
public struct AnthropicErrorResponse: Codable, Sendable, Hashable {
    /// Always `"error"`.
    public var type: String
    /// What went wrong.
    public var error: Detail
    /// The request's id (`req_...`), or nil to leave `request_id` out of the JSON.
    public var requestID: String?

    /// The `error` object: a type from Anthropic's list and a readable message.
    public struct Detail: Codable, Sendable, Hashable {
        /// One of Anthropic's error types, e.g. `invalid_request_error` or `overloaded_error`.
        public var type: String
        /// The message a client shows.
        public var message: String

        /// A detail with an explicit type.
        public init(type: String, message: String) {
            self.type = type
            self.message = message
        }
    }

    enum CodingKeys: String, CodingKey {
        case type, error
        case requestID = "request_id"
    }

    /// The error for an HTTP status; the detail's type is ``errorType(status:)``.
    /// - Parameters:
    ///   - status: the HTTP status the body is sent with.
    ///   - message: what went wrong, shown by the client.
    ///   - requestID: the `request_id` field, or nil to leave it out.
    public init(status: Int, message: String, requestID: String? = nil) {
        self.type = "error"
        self.error = Detail(type: Self.errorType(status: status), message: message)
        self.requestID = requestID
    }

    /// Anthropic's error type for an HTTP status, as Ollama maps it: 400 `invalid_request_error`,
    /// 401 `authentication_error`, 403 `permission_error`, 404 `not_found_error`, 413 `request_too_large`,
    /// 429 `rate_limit_error`, 503 and 529 `overloaded_error`, anything else `api_error`.
    public static func errorType(status: Int) -> String {
        switch status {
        case 400: "invalid_request_error"
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 503, 529: "overloaded_error"
        default: "api_error"
        }
    }
}
