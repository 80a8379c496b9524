import Foundation
import Gateway
import LocalCluster
import NIOHTTP1
import OllamaAPI
import Telemetry
import TestHTTP
import Testing

/// Per-key limits end to end: a real gateway with keys over a simulated node, on 127.0.0.1.
@Suite(.timeLimit(.minutes(3)))
struct KeyLimitTests {
    static let ciKey = "sk-test-ci-3f9a2c"
    static let adminKey = "sk-test-admin-77b1e0"
    static let bearer = [("Authorization", "Bearer \(ciKey)")]
    static let generate = #"{"model":"llama3.2","prompt":"hello there","stream":false,"options":{"num_predict":5}}"#

    /// A gateway whose key "ci" (inference) has `limits`, plus an unlimited admin key "ops";
    /// loopback clients need a key for `/metrics` too (as a remote Prometheus would).
    static func withKeys<T: Sendable>(_ limits: KeyLimits, _ body: @Sendable (TestClient, Cluster) async throws -> T) async throws -> T {
        try await withCluster(
            [fastNode()],
            configure: { configuration in
                configuration.access = AccessSettings(
                    keys: [
                        APIKey(name: "ci", key: ciKey, role: .inference, limits: limits),
                        APIKey(name: "ops", key: adminKey, role: .admin),
                    ],
                    openMetricsOnLoopback: false
                )
            },
            body
        )
    }

    static func keys(_ client: TestClient) async throws -> [String: KeyStatus] {
        let answer = try await client.send(.GET, "/ollamamax/keys", headers: [("x-api-key", adminKey)])
        #expect(answer.status == 200)
        let report = try answer.decode(KeysReport.self)
        return Dictionary(uniqueKeysWithValues: report.keys.map { ($0.name, $0) })
    }

    static func metric(_ client: TestClient, _ name: String, _ labels: [String: String]) async throws -> Double? {
        let answer = try await client.send(.GET, "/metrics", headers: [("Authorization", "Bearer \(adminKey)")])
        #expect(answer.status == 200)
        let families = try Exposition.parse(answer.text)
        return families.first { $0.name == name }?.samples.first { $0.labels == labels }?.value
    }

    @Test func overItsRequestLimitAKeyGets429WithRetryAfterInEachRoutesErrorShape() async throws {
        // One a minute: the bucket stays empty for 60 s after the first request, however slowly a
        // loaded machine runs the refused ones (3 a minute, refilling every 20 s, once let the
        // fourth request through when the suite ran on two busy cores).
        try await Self.withKeys(KeyLimits(requestsPerMinute: 1)) { client, _ in
            #expect(try await client.post("/api/generate", Self.generate, headers: Self.bearer).status == 200)
            let ollama = try await client.post("/api/generate", Self.generate, headers: Self.bearer)
            #expect(ollama.status == 429)
            let retryAfter = try #require(ollama.headers.first(name: "Retry-After").flatMap(Int.init))
            #expect((1...60).contains(retryAfter))
            let message = try #require(try ollama.json()["error"]?.stringValue)
            #expect(message.contains("\"ci\"") && message.contains("1 request per minute"))
            #expect(!message.contains(Self.ciKey))

            let openAI = try await client.post(
                "/v1/chat/completions",
                #"{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}"#,
                headers: Self.bearer
            )
            #expect(openAI.status == 429)
            #expect(try openAI.json()["error"]?.objectValue?["message"]?.stringValue?.contains("1 request per minute") == true)

            let anthropic = try await client.post(
                "/v1/messages",
                #"{"model":"llama3.2","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#,
                headers: [("x-api-key", Self.ciKey)]
            )
            #expect(anthropic.status == 429)
            #expect(try anthropic.json()["error"]?.objectValue?["type"]?.stringValue == "rate_limit_error")

            // A router route counts against the same bucket.
            let tags = try await client.send(.GET, "/api/tags", headers: Self.bearer)
            #expect(tags.status == 429)
            #expect(tags.headers.first(name: "Retry-After") != nil)

            // Another key is not limited by ci's bucket.
            #expect(try await client.post("/api/generate", Self.generate, headers: [("x-api-key", Self.adminKey)]).status == 200)

            let ci = try #require(try await Self.keys(client)["ci"])
            #expect(ci.requests == 1)
            #expect(ci.rateLimited == 4)
            #expect(ci.role == .inference)
            #expect(ci.requestsPerMinute == 1)
            #expect(try await Self.metric(client, "ollamamax_key_requests_total", ["key": "ci"]) == 1)
            #expect(try await Self.metric(client, "ollamamax_key_rejections_total", ["key": "ci", "reason": "rate_limited"]) == 4)
        }
    }

    @Test func aLimitedKeyIsServedAgainAfterRetryAfter() async throws {
        // 60 a minute refill one request a second: the wait is short enough to take for real.
        try await Self.withKeys(KeyLimits(requestsPerMinute: 60)) { client, _ in
            var limited: HTTPAnswer?
            for _ in 0..<200 {
                let answer = try await client.send(.GET, "/api/version", headers: Self.bearer)
                if answer.status == 429 {
                    limited = answer
                    break
                }
                #expect(answer.status == 200)
            }
            let refusal = try #require(limited, "60 requests a minute never ran out in 200 requests")
            #expect(refusal.headers.first(name: "Retry-After") == "1")
            // How soon is the token bucket's arithmetic, tested with a manual clock in KeyLimiterTests;
            // here only that the key is served again by itself, without a restart.
            try await yieldUntil("the key is served again") {
                try await client.send(.GET, "/api/version", headers: Self.bearer).status == 200
            }
            let ci = try #require(try await Self.keys(client)["ci"])
            #expect(ci.rateLimited >= 1)
        }
    }

    @Test func tokensPerMinuteAreChargedFromTheAnswersTheNodeSent() async throws {
        try await Self.withKeys(KeyLimits(tokensPerMinute: 10)) { client, _ in
            let answer = try await client.post("/api/generate", Self.generate, headers: Self.bearer)
            #expect(answer.status == 200)
            let body = try answer.json()
            let prompt = try #require(body["prompt_eval_count"]?.intValue)
            let output = try #require(body["eval_count"]?.intValue)
            #expect(prompt + output > 10)
            // A streamed answer is charged from its last line.
            let streamed = try await client.post(
                "/api/chat",
                #"{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],"options":{"num_predict":3}}"#,
                headers: [("x-api-key", Self.adminKey)]
            )
            #expect(streamed.status == 200)
            let last = try #require(try streamed.lines().last)
            let ops = (prompt: try #require(last["prompt_eval_count"]?.intValue), output: try #require(last["eval_count"]?.intValue))

            let keys = try await Self.keys(client)
            #expect(keys["ci"]?.promptTokens == prompt)
            #expect(keys["ci"]?.outputTokens == output)
            #expect(keys["ci"]?.tokensPerMinute == 10)
            #expect(keys["ops"]?.promptTokens == ops.prompt)
            #expect(keys["ops"]?.outputTokens == ops.output)
            #expect(try await Self.metric(client, "ollamamax_key_tokens_total", ["key": "ci", "kind": "prompt"]) == Double(prompt))
            #expect(try await Self.metric(client, "ollamamax_key_tokens_total", ["key": "ci", "kind": "output"]) == Double(output))

            // The answer put the 10-token bucket into debt: the next request waits for it.
            let refused = try await client.post("/api/generate", Self.generate, headers: Self.bearer)
            #expect(refused.status == 429)
            let retryAfter = try #require(refused.headers.first(name: "Retry-After").flatMap(Int.init))
            // (1 + debt) tokens at 10 a minute: at least 6 s a token.
            #expect(retryAfter >= 6)
            #expect(try refused.json()["error"]?.stringValue?.contains("10 tokens per minute") == true)
        }
    }

    @Test func statusReadsTheKeyTableWithAKeyAndSaysWhichKeyToSetWithoutOne() async throws {
        try await Self.withKeys(KeyLimits(requestsPerMinute: 100)) { client, cluster in
            #expect(try await client.post("/api/generate", Self.generate, headers: Self.bearer).status == 200)
            let admin = StatusClient(url: cluster.gatewayURL, credential: GatewayCredential(key: Self.adminKey))
            let read = try await admin.fetch()
            let keys = try #require(try await admin.fetchKeys())
            let table = StatusTable.render(read.report, keys: keys, url: cluster.gatewayURL)
            #expect(table.contains("ci   inference  1"))
            #expect(!table.contains(Self.ciKey) && !table.contains(Self.adminKey))

            let anonymous = StatusClient(url: cluster.gatewayURL)
            await #expect {
                _ = try await anonymous.fetch()
            } throws: { error in
                let description = "\(error)"
                return description
                    == "the gateway at \(cluster.gatewayURL) needs an API key (HTTP 401): set OLLAMAMAX_API_KEY to a key with role metrics or admin"
            }
            // An inference key may not read the monitoring routes.
            let inference = StatusClient(url: cluster.gatewayURL, credential: GatewayCredential(key: Self.ciKey))
            await #expect {
                _ = try await inference.fetch()
            } throws: { error in
                "\(error)".hasPrefix("the gateway at \(cluster.gatewayURL) refused the key (HTTP 403")
            }
        }
    }
}
