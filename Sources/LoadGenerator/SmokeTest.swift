import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OllamaAPI

/// Production checks of a deployed gateway or Ollama node: is it up, does it list models, does a
/// tiny generate and chat work (streamed and not), is `/metrics` sane, and is it fast enough.
public struct SmokeTest: Sendable {
    /// One check's outcome.
    public struct Check: Sendable, Hashable {
        public var name: String
        public var passed: Bool
        /// Seconds the check took.
        public var seconds: Double
        public var detail: String
    }

    public let client: HTTPClient
    public let url: String
    /// The model to try; `nil` takes the first one the server lists.
    public let model: String?
    /// Longest acceptable time for one tiny request.
    public let latencySLO: Duration
    /// Longest acceptable time to the first token of a stream.
    public let ttftSLO: Duration
    /// A request unanswered after this long fails its check.
    public let timeout: Duration
    /// The key every check sends (`Authorization: Bearer`), for a gateway with API keys.
    public let credential: GatewayCredential?

    /// Checks for the server at `url`.
    /// - Parameters:
    ///   - client: the HTTP client the checks use.
    ///   - url: the gateway's or node's base URL, e.g. `http://127.0.0.1:8080`.
    ///   - model: the model to try; `nil` takes the first one the server lists.
    ///   - latencySLO: longest acceptable time for one tiny request.
    ///   - ttftSLO: longest acceptable time to the first streamed token.
    ///   - timeout: a request unanswered after this long fails its check.
    ///   - credential: the key to send, for a gateway with API keys (an `inference` key; an `admin`
    ///     key also reads `/metrics`).
    public init(
        client: HTTPClient,
        url: String,
        model: String?,
        latencySLO: Duration = .seconds(10),
        ttftSLO: Duration = .seconds(5),
        timeout: Duration = .seconds(30),
        credential: GatewayCredential? = nil
    ) {
        self.credential = credential
        self.client = client
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.model = model
        self.latencySLO = latencySLO
        self.ttftSLO = ttftSLO
        self.timeout = timeout
    }

    /// Runs every check in order; later checks that need a model are failed when none is found.
    public func run() async -> [Check] {
        var checks: [Check] = []
        checks.append(
            await check("liveness") { _ in
                let answer = try await get("/")
                guard answer.status == 200 else { throw Failure("GET / answered \(answer.status)") }
                return "\(answer.status) \(answer.text.prefix(40))"
            }
        )
        checks.append(
            await check("version") { _ in
                let answer = try await get("/api/version")
                guard answer.status == 200, let version = try? JSONDecoder().decode(VersionResponse.self, from: answer.body) else {
                    throw Failure("GET /api/version answered \(answer.status) without a version")
                }
                return "version \(version.version)"
            }
        )
        var chosen = model
        checks.append(
            await check("models") { _ in
                let answer = try await get("/api/tags")
                guard answer.status == 200, let list = try? JSONDecoder().decode(ListResponse.self, from: answer.body) else {
                    throw Failure("GET /api/tags answered \(answer.status) without a model list")
                }
                let names = list.models.map(\.name)
                if let model = self.model {
                    let normalized = model.contains(":") ? model : model + ":latest"
                    guard names.contains(model) || names.contains(normalized) else {
                        throw Failure("model \"\(model)\" is not listed (\(names.count) models: \(names.prefix(5).joined(separator: ", ")))")
                    }
                } else {
                    guard let first = names.first else { throw Failure("no models listed") }
                    chosen = first
                }
                return "\(names.count) models"
            }
        )
        let trial = chosen ?? ""
        for endpoint in [LoadTarget.Endpoint.generate, .chat] {
            for stream in [false, true] {
                let name = "\(endpoint.rawValue)\(stream ? " stream" : "")"
                checks.append(
                    await check(name) { elapsed in
                        guard !trial.isEmpty else { throw Failure("no model to try") }
                        return try await inference(endpoint: endpoint, stream: stream, model: trial, elapsed: elapsed)
                    }
                )
            }
        }
        checks.append(
            await check("openai models") { _ in
                let answer = try await get("/v1/models")
                guard answer.status == 200 else { throw Failure("GET /v1/models answered \(answer.status)") }
                return "200"
            }
        )
        checks.append(
            await check("metrics") { _ in
                let answer = try await get("/metrics", refusalIsFailure: false)
                if answer.status == 404 { return "not served here (404): skipped" }
                if answer.status == 401 || answer.status == 403 {
                    return "this key may not read it (\(answer.status)): skipped; a metrics or admin key checks it"
                }
                guard answer.status == 200 else { throw Failure("GET /metrics answered \(answer.status)") }
                guard answer.text.contains("# TYPE ") else { throw Failure("GET /metrics is not Prometheus text (no # TYPE line)") }
                return "\(answer.text.split(separator: "\n").filter { !$0.hasPrefix("#") }.count) series"
            }
        )
        return checks
    }

    private func inference(
        endpoint: LoadTarget.Endpoint,
        stream: Bool,
        model: String,
        elapsed: @Sendable () -> Double
    )
        async throws -> String
    {
        let target = LoadTarget(url: url, model: model, api: .ollama, endpoint: endpoint, stream: stream, timeout: timeout)
        var request = HTTPClientRequest(url: url + target.path)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        if let credential { request.headers.add(name: "Authorization", value: credential.authorization) }
        request.body = .bytes(ByteBuffer(bytes: target.body(prompt: "Reply with one word.", maxTokens: 8)))
        let response = try await client.execute(request, timeout: timeout.timeAmount)
        if let refusal = refusal(Int(response.status.code)) { throw Failure(refusal) }
        var timing = StreamTiming(streamed: stream, api: .ollama)
        var body = ByteBuffer()
        for try await chunk in response.body {
            timing.feed(chunk.readableBytesView, at: elapsed())
            if body.readableBytes < 1 << 20 { body.writeImmutableBuffer(chunk) }
        }
        let total = elapsed()
        guard response.status == .ok else {
            throw Failure("\(target.path) answered \(response.status.code): \(String(buffer: body).prefix(200))")
        }
        if stream {
            guard timing.finished, !timing.malformed else { throw Failure("the stream did not end with \"done\":true") }
            guard let ttft = timing.tokenTimes.first else { throw Failure("no token arrived") }
            guard ttft <= ttftSLO.inSeconds else {
                throw Failure(String(format: "first token after %.0f ms (SLO %.0f ms)", ttft * 1000, ttftSLO.inSeconds * 1000))
            }
        } else {
            guard (try? JSONDecoder().decode(JSONObject.self, from: Data(body.readableBytesView)))?["done"] == true else {
                throw Failure("the answer is not a finished Ollama JSON object")
            }
        }
        guard total <= latencySLO.inSeconds else {
            throw Failure(String(format: "took %.0f ms (SLO %.0f ms)", total * 1000, latencySLO.inSeconds * 1000))
        }
        return "\(timing.outputTokens.map { "\($0) tokens" } ?? "answered")"
    }

    private func check(_ name: String, _ body: (@escaping @Sendable () -> Double) async throws -> String) async -> Check {
        let started = ContinuousClock.now
        let elapsed: @Sendable () -> Double = { (ContinuousClock.now - started).inSeconds }
        do {
            let detail = try await body(elapsed)
            return Check(name: name, passed: true, seconds: elapsed(), detail: detail)
        } catch let failure as Failure {
            return Check(name: name, passed: false, seconds: elapsed(), detail: failure.description)
        } catch {
            return Check(name: name, passed: false, seconds: elapsed(), detail: "\(error)")
        }
    }

    /// GETs `path` with the key; a 401 or 403 fails the check with which key to set, unless
    /// the check judges it itself.
    private func get(_ path: String, refusalIsFailure: Bool = true) async throws -> (status: Int, body: Data, text: String) {
        var request = HTTPClientRequest(url: url + path)
        if let credential { request.headers.add(name: "Authorization", value: credential.authorization) }
        let response = try await client.execute(request, timeout: timeout.timeAmount)
        if refusalIsFailure, let refusal = refusal(Int(response.status.code)) { throw Failure(refusal) }
        let buffer = try await response.body.collect(upTo: 16 << 20)
        let data = Data(buffer.readableBytesView)
        return (Int(response.status.code), data, String(decoding: data, as: UTF8.self))
    }

    /// What to say when the server refused the key (401 or 403); nil for any other status.
    private func refusal(_ status: Int) -> String? {
        GatewayCredential.refusal(status: status, url: url, role: "inference or admin", sent: credential)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

extension SmokeTest.Check {
    /// `PASS version (3 ms): version 0.12.6`.
    public var line: String {
        "\(passed ? "PASS" : "FAIL") \(name) (\(Int((seconds * 1000).rounded())) ms): \(detail)"
    }
}

extension [SmokeTest.Check] {
    /// JUnit XML: one test case per check.
    public func junit(suite: String = "smoke") -> String {
        func xml(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let failures = filter { !$0.passed }.count
        var text = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        text += #"<testsuite name="\#(xml(suite))" tests="\#(count)" failures="\#(failures)" errors="0">"# + "\n"
        for check in self {
            text += #"  <testcase classname="\#(xml(suite))" name="\#(xml(check.name))" time="\#(check.seconds)">"#
            if !check.passed { text += #"<failure message="\#(xml(check.detail))"/>"# }
            text += "</testcase>\n"
        }
        return text + "</testsuite>\n"
    }
}
