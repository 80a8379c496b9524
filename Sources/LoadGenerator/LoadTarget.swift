import Foundation
import OllamaAPI

/// What a load run sends: which server, API, endpoint, model and whether answers stream.
public struct LoadTarget: Sendable, Hashable {
    /// The API dialect.
    public enum API: String, Sendable, Hashable, CaseIterable, Codable {
        case ollama, openai
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

    /// A target; `url` loses a trailing slash, and an `embed` target never streams.
    public init(
        url: String,
        model: String,
        api: API = .ollama,
        endpoint: Endpoint = .generate,
        stream: Bool = true,
        timeout: Duration = .seconds(120)
    ) {
        self.url = Self.normalized(url)
        self.model = model
        self.api = api
        self.endpoint = endpoint
        self.stream = endpoint == .embed ? false : stream
        self.timeout = timeout
    }

    /// `url` as a target keeps it: without a trailing slash.
    public static func normalized(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// The route of this target's requests.
    public var path: String {
        switch (api, endpoint) {
        case (.ollama, .generate): "/api/generate"
        case (.ollama, .chat): "/api/chat"
        case (.ollama, .embed): "/api/embed"
        case (.openai, .generate): "/v1/completions"
        case (.openai, .chat): "/v1/chat/completions"
        case (.openai, .embed): "/v1/embeddings"
        }
    }

    /// The JSON body for one request with `prompt`, asking for at most `maxTokens` output tokens.
    public func body(prompt: String, maxTokens: Int?) -> Data {
        var object: JSONObject = ["model": .string(model)]
        switch (api, endpoint) {
        case (.ollama, .generate):
            object["prompt"] = .string(prompt)
        case (.ollama, .chat), (.openai, .chat):
            object["messages"] = .array([.object(["role": "user", "content": .string(prompt)])])
        case (.ollama, .embed), (.openai, .embed):
            object["input"] = .string(prompt)
        case (.openai, .generate):
            object["prompt"] = .string(prompt)
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
            }
        }
        return (try? OllamaJSON.encode(object)) ?? Data()
    }
}
