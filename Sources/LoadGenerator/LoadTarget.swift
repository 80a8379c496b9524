import Foundation
import OllamaAPI

/// What a load run sends: which server, API, endpoint, model and whether answers stream.
public struct LoadTarget: Sendable, Hashable {
    /// The API dialect: Ollama's own, OpenAI's chat-completions family, Anthropic Messages
    /// (`/v1/messages`) or OpenAI Responses (`/v1/responses`).
    public enum API: String, Sendable, Hashable, CaseIterable, Codable {
        case ollama, openai, anthropic, responses

        /// The endpoints this API has a route for: Anthropic Messages and Responses are chat only.
        public var endpoints: [Endpoint] {
            switch self {
            case .ollama, .openai: Endpoint.allCases
            case .anthropic, .responses: [.chat]
            }
        }

        /// The endpoint a run uses when none is named: `generate` where there is one, else `chat`.
        public var defaultEndpoint: Endpoint {
            endpoints.contains(.generate) ? .generate : .chat
        }

        /// Whether a streamed answer is server-sent events (else NDJSON lines).
        var streamsEvents: Bool { self != .ollama }
    }

    /// The kind of request; each API has its own route for it.
    public enum Endpoint: String, Sendable, Hashable, CaseIterable, Codable {
        case generate, chat, embed
    }

    /// The server's base URL, e.g. `http://127.0.0.1:8080`.
    public var url: String
    public var model: String
    public var api: API
    public var endpoint: Endpoint
    /// Streamed answers give time to first token and inter-token gaps; embeddings never stream.
    public var stream: Bool
    /// A request that has not finished after this long counts as a timeout.
    public var timeout: Duration
    /// The key every request sends (`Authorization: Bearer`), for a gateway with API keys.
    public var credential: GatewayCredential?

    /// A target; `url` loses a trailing slash, and an `embed` target never streams.
    public init(
        url: String,
        model: String,
        api: API = .ollama,
        endpoint: Endpoint = .generate,
        stream: Bool = true,
        timeout: Duration = .seconds(120),
        credential: GatewayCredential? = nil
    ) {
        self.url = Self.normalized(url)
        self.model = model
        self.api = api
        self.endpoint = endpoint
        self.stream = endpoint == .embed ? false : stream
        self.timeout = timeout
        self.credential = credential
    }

    /// What to tell the user when the server refused this target's key (or its lack of one) on
    /// any of `results` (a 401 or 403); nil when none was refused.
    public func refusal(in results: [RequestResult]) -> String? {
        guard let refused = results.first(where: { $0.status == 401 || $0.status == 403 })?.status else { return nil }
        return GatewayCredential.refusal(status: refused, url: url, role: "inference or admin", sent: credential)
    }

    /// `url` as a target keeps it: without a trailing slash.
    public static func normalized(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// What is wrong with asking `api` for `endpoint`, or nil when the API has that route:
    /// `the anthropic API has no embed route (it serves chat only)`.
    public static func problem(api: API, endpoint: Endpoint) -> String? {
        guard !api.endpoints.contains(endpoint) else { return nil }
        let served = api.endpoints.map(\.rawValue).joined(separator: ", ")
        return "the \(api.rawValue) API has no \(endpoint.rawValue) route (it serves \(served)\(api.endpoints.count == 1 ? " only" : ""))"
    }

    /// The route of this target's requests (an API's only route for an endpoint it does not
    /// serve, which ``problem(api:endpoint:)`` names and ``LoadRunner`` refuses).
    public var path: String {
        switch (api, endpoint) {
        case (.ollama, .generate): "/api/generate"
        case (.ollama, .chat): "/api/chat"
        case (.ollama, .embed): "/api/embed"
        case (.openai, .generate): "/v1/completions"
        case (.openai, .chat): "/v1/chat/completions"
        case (.openai, .embed): "/v1/embeddings"
        case (.anthropic, _): "/v1/messages"
        case (.responses, _): "/v1/responses"
        }
    }

    /// The output-token cap of an Anthropic request without one: the Messages API requires `max_tokens`.
    static let anthropicDefaultMaxTokens = 4096

    /// The JSON body for one request with `prompt`, asking for at most `maxTokens` output tokens.
    public func body(prompt: String, maxTokens: Int?) -> Data {
        var object: JSONObject = ["model": .string(model)]
        switch (api, endpoint) {
        case (.ollama, .generate), (.openai, .generate):
            object["prompt"] = .string(prompt)
        case (.ollama, .chat), (.openai, .chat), (.anthropic, _):
            object["messages"] = .array([.object(["role": "user", "content": .string(prompt)])])
        case (.ollama, .embed), (.openai, .embed), (.responses, _):
            object["input"] = .string(prompt)
        }
        if endpoint != .embed {
            object["stream"] = .bool(stream)
            switch api {
            case .ollama:
                if let maxTokens { object["options"] = .object(["num_predict": .int(Int64(maxTokens))]) }
            case .openai:
                if let maxTokens { object["max_tokens"] = .int(Int64(maxTokens)) }
                // Without it an OpenAI stream carries no token counts.
                if stream { object["stream_options"] = .object(["include_usage": true]) }
            case .anthropic:
                object["max_tokens"] = .int(Int64(maxTokens ?? Self.anthropicDefaultMaxTokens))
            case .responses:
                if let maxTokens { object["max_output_tokens"] = .int(Int64(maxTokens)) }
            }
        }
        return (try? OllamaJSON.encode(object)) ?? Data()
    }
}
