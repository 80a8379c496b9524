import Foundation
import HTTPTypes
import Hummingbird
import LocalCluster
import NIOHTTP1
import OllamaAPI
import Synchronization
import TestHTTP
import Testing

@testable import Gateway

/// Keys at work in a real gateway on 127.0.0.1: loopback monitoring, model lists, the
/// environment's admin key, a rate limit at the gate, and no key ever passed on to a node.
@Suite(.timeLimit(.minutes(3)))
struct AccessGatewayTests {
    static func bearer(_ key: String) -> [(String, String)] { [("Authorization", "Bearer \(key)")] }

    /// `error.<name>` of an OpenAI or Anthropic error body.
    static func errorField(_ answer: HTTPAnswer, _ name: String) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
        return (object?["error"] as? [String: Any])?[name] as? String
    }

    static func withKeys<T: Sendable>(
        _ keys: [APIKey],
        openMetricsOnLoopback: Bool = true,
        _ body: @Sendable (TestClient, Cluster) async throws -> T
    ) async throws -> T {
        try await withCluster([fastNode()], configure: { $0.access = AccessSettings(keys: keys, openMetricsOnLoopback: openMetricsOnLoopback) }, body)
    }

    @Test func loopbackClientsReadTheMonitoringRoutesWithoutAKeyButNothingElse() async throws {
        let cases: [(path: String, key: String?, status: Int)] = [
            ("/metrics", nil, 200), ("/ollamamax/nodes", nil, 200), ("/", nil, 200), ("/api/tags", nil, 401),
            ("/debug/pprof/heap", nil, 401),
            // A wrong key is refused on loopback too: the operator learns the key is wrong.
            ("/metrics", "nope", 401), ("/debug/pprof/heap", "root-key", 200),
        ]
        try await Self.withKeys([APIKey(name: "root", key: "root-key", role: .admin)]) { client, _ in
            for (path, key, status) in cases {
                let answer = try await client.send(.GET, path, headers: key.map(Self.bearer) ?? [])
                #expect(answer.status == status, "\(path) with key \(key ?? "-")")
            }
        }
    }

    @Test func aKeysModelListRefusesOtherModelsWith403NamingTheModelAndTheKey() async throws {
        let keys = [
            APIKey(name: "bob", key: "bob-key", role: .inference, models: ["llama3.2"]),
            APIKey(name: "ops", key: "ops-key", role: .admin, models: ["qwen2.5:0.5b"]),
        ]
        try await Self.withKeys(keys) { client, _ in
            let bob = Self.bearer("bob-key")
            let allowed = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"hi","stream":false}"#, headers: bob)
            #expect(allowed.status == 200)
            let refused = try await client.post("/api/generate", #"{"model":"qwen2.5:0.5b","prompt":"hi"}"#, headers: bob)
            #expect(refused.status == 403)
            #expect(try refused.json()["error"]?.stringValue == #"API key "bob" may not use model "qwen2.5:0.5b"; its models: llama3.2:latest"#)
            let openAI = try await client.post("/v1/chat/completions", #"{"model":"qwen2.5:0.5b","messages":[]}"#, headers: bob)
            #expect(openAI.status == 403)
            #expect(Self.errorField(openAI, "message")?.hasPrefix(#"API key "bob" may not use model"#) == true)
            let anthropic = try await client.post("/v1/messages", #"{"model":"qwen2.5:0.5b","max_tokens":5,"messages":[]}"#, headers: bob)
            #expect(anthropic.status == 403)
            #expect(Self.errorField(anthropic, "type") == "permission_error")
            #expect(try await client.send(.GET, "/v1/models/qwen2.5:0.5b", headers: bob).status == 403)
            #expect(try await client.send(.GET, "/v1/models/llama3.2", headers: bob).status == 200)
            // The router's model management routes read the model from the body.
            let ops = Self.bearer("ops-key")
            for (method, path, body) in [
                (HTTPMethod.POST, "/api/pull", #"{"model":"llama3.2"}"#),
                (.POST, "/api/create", #"{"model":"llama3.2","from":"qwen2.5:0.5b"}"#),
                (.POST, "/api/copy", #"{"source":"llama3.2","destination":"mine"}"#),
                (.DELETE, "/api/delete", #"{"name":"llama3.2"}"#),
            ] {
                let answer = try await client.send(method, path, body, headers: ops)
                #expect(answer.status == 403, "\(path): \(answer.text)")
                #expect(try answer.json()["error"]?.stringValue?.hasPrefix(#"API key "ops" may not use model "llama3.2""#) == true)
            }
            let copy = try await client.send(.POST, "/api/copy", #"{"source":"qwen2.5:0.5b","destination":"mine"}"#, headers: ops)
            #expect(copy.status == 200, "\(copy.text)")
        }
    }

    @Test func theEnvironmentsKeyIsAnAdminKey() async throws {
        let keys = try AccessSettings.keys(file: nil, environment: ["OLLAMAMAX_API_KEY": "env-admin-key"])
        try await Self.withKeys(keys, openMetricsOnLoopback: false) { client, _ in
            let admin = Self.bearer("env-admin-key")
            let tags = try await client.send(.GET, "/api/tags", headers: admin)
            #expect(tags.status == 200)
            #expect(try await client.send(.GET, "/metrics", headers: [("x-api-key", "env-admin-key")]).status == 200)
            #expect(try await client.send(.GET, "/debug/pprof/heap", headers: admin).status == 200)
            #expect(try await client.send(.GET, "/api/tags").status == 401)
        }
    }

    @Test func aKeyOverItsRequestLimitGets429WithRetryAfterInTheRoutesShape() async throws {
        let keys = [APIKey(name: "tiny", key: "tiny-key", role: .inference, limits: KeyLimits(requestsPerMinute: 1))]
        try await Self.withKeys(keys) { client, _ in
            let key = Self.bearer("tiny-key")
            #expect(try await client.send(.GET, "/api/tags", headers: key).status == 200)
            let limited = try await client.post("/v1/messages", #"{"model":"llama3.2","max_tokens":5,"messages":[]}"#, headers: key)
            #expect(limited.status == 429)
            let retryAfter = try #require(limited.headers.first(name: "Retry-After").flatMap(Int.init))
            #expect(retryAfter >= 1)
            #expect(Self.errorField(limited, "type") == "rate_limit_error")
            #expect(!limited.text.contains("tiny-key"))
        }
    }

    /// What each node saw of the key headers.
    final class Seen: Sendable {
        private let values = Mutex<[String]>([])
        func add(_ value: String) { values.withLock { $0.append(value) } }
        var all: [String] { values.withLock { $0 } }
    }

    @Test func noKeyHeaderReachesANode() async throws {
        let seen = Seen()
        let node = FakeNode("a", models: ["llama3.2:latest"]) { router, _ in
            let record: @Sendable (Request) -> Void = { request in
                for name in ["authorization", "x-api-key", "x-ollamamax-key-name"] {
                    if let field = HTTPField.Name(name), let value = request.headers[field] { seen.add("\(name): \(value)") }
                }
                seen.add("request")
            }
            router.post("/api/show") { request, _ in
                record(request)
                return #"{"modelfile":""}"#
            }
            router.get("/v1/models/**") { request, _ in
                record(request)
                return #"{"id":"llama3.2:latest","object":"model"}"#
            }
            router.post("/api/experimental/echo") { request, _ in
                record(request)
                return "{}"
            }
        }
        let keys = [APIKey(name: "root", key: "root-key", role: .admin)]
        try await withFakeNodes([node], configure: { $0.access = AccessSettings(keys: keys) }) { client, _ in
            for headers in [Self.bearer("root-key"), [("x-api-key", "root-key")]] {
                let show = try await client.post("/api/show", #"{"model":"llama3.2"}"#, headers: headers)
                #expect(show.status == 200)
                #expect(try await client.send(.GET, "/v1/models/llama3.2", headers: headers).status == 200)
                #expect(try await client.post("/api/experimental/echo", #"{"model":"llama3.2"}"#, headers: headers).status == 200)
            }
            // A client's own key-name header is dropped too, never trusted.
            let forged = [("x-api-key", "root-key"), ("X-OllamaMax-Key-Name", "someone")]
            #expect(try await client.send(.GET, "/v1/models/llama3.2", headers: forged).status == 200)
        }
        #expect(seen.all == Array(repeating: "request", count: 7))
    }
}
