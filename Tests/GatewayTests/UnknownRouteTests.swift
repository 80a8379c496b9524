import Foundation
import HTTPTypes
import Hummingbird
import LocalCluster
import Logging
import NIOCore
import NIOHTTP1
import OllamaAPI
import Synchronization
import Telemetry
import TestHTTP
import Testing

@testable import Gateway

/// Routes the gateway has no handler for: the nodes answer them through the gateway, byte for
/// byte, by the body's model when a POST names one, else on any healthy node.
@Suite(.timeLimit(.minutes(3)))
struct UnknownRouteTests {
    /// Requests each node's experimental routes saw.
    final class Hits: Sendable {
        private let counts = Mutex<[String: Int]>([:])
        func add(_ node: String) { counts.withLock { $0[node, default: 0] += 1 } }
        var all: [String: Int] { counts.withLock { $0 } }
    }

    /// A node with routes Ollama might add one day: an echo (the body back, with a header and
    /// status 201), a stream of lines, a GET that names the node, and a GET that fails with 500.
    static func node(_ name: String, models: [String], hits: Hits) -> FakeNode {
        FakeNode(name, models: models) { router, name in
            router.post("/api/experimental/echo") { request, _ in
                hits.add(name)
                let body = try await request.body.collect(upTo: 1 << 20)
                return Response(
                    status: .created,
                    headers: [.contentType: "application/x-echo", HTTPField.Name("X-Echo-Node")!: name],
                    body: ResponseBody(byteBuffer: body)
                )
            }
            router.post("/api/experimental/stream") { _, _ in
                hits.add(name)
                return Response(
                    status: .ok,
                    headers: [.contentType: "application/x-ndjson"],
                    body: ResponseBody { writer in
                        for index in 0..<3 { try await writer.write(ByteBuffer(string: #"{"node":"\#(name)","part":\#(index)}"# + "\n")) }
                        try await writer.finish(nil)
                    }
                )
            }
            router.get("/api/experimental/info") { request, _ in
                hits.add(name)
                return "info from \(name), query \(request.uri.query ?? "-")"
            }
            router.head("/api/experimental/info") { _, _ in
                Response(status: .ok, headers: [.contentType: "text/plain", HTTPField.Name("X-Node")!: name, .contentLength: "42"])
            }
            router.get("/api/experimental/fail") { _, _ -> Response in
                hits.add(name)
                return Response(
                    status: .internalServerError,
                    headers: [.contentType: "text/plain"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "broken on \(name)"))
                )
            }
        }
    }

    @Test func aPostNamingAModelGoesToTheNodeThatHasItAndComesBackByteForByte() async throws {
        let hits = Hits()
        let nodes = [Self.node("a", models: ["llama3.2:latest"], hits: hits), Self.node("b", models: ["qwen3:4b"], hits: hits)]
        try await withFakeNodes(nodes) { client, _ in
            let body = #"{"prompt":"x",  "model":"qwen3:4b", "odd": [1, 2.50, "\u00e9"]}"#
            for _ in 0..<4 {
                let answer = try await client.post("/api/experimental/echo?key=value", body)
                #expect(answer.status == 201)
                #expect(answer.text == body)
                #expect(answer.contentType == "application/x-echo")
                #expect(answer.headers.first(name: "X-Echo-Node") == "b")
                #expect(answer.node == "b")
            }
            let other = try await client.post("/api/experimental/echo", #"{"model":"llama3.2"}"#)
            #expect(other.headers.first(name: "X-Echo-Node") == "a")
            let streamed = try await client.post("/api/experimental/stream", #"{"model":"llama3.2"}"#)
            #expect(streamed.status == 200)
            #expect(streamed.text == (0..<3).map { #"{"node":"a","part":\#($0)}"# + "\n" }.joined())
            #expect(hits.all == ["a": 2, "b": 4])
        }
    }

    @Test func requestsWithoutAModelGoToAHealthyNode() async throws {
        let hits = Hits()
        let nodes = [Self.node("a", models: ["llama3.2:latest"], hits: hits), Self.node("b", models: ["qwen3:4b"], hits: hits)]
        try await withFakeNodes(nodes) { client, cluster in
            for _ in 0..<2 {
                cluster.gateway.pool.applyProbe("a", latency: nil, version: nil, models: nil, resident: nil, error: "probe failed")
            }
            for _ in 0..<3 {
                let answer = try await client.get("/api/experimental/info?x=1")
                #expect(answer.status == 200)
                #expect(answer.text == "info from b, query x=1")
                #expect(answer.node == "b")
            }
            let unnamed = try await client.post("/api/experimental/echo", #"{"prompt":"no model"}"#)
            #expect(unnamed.headers.first(name: "X-Echo-Node") == "b")
            #expect(hits.all == ["b": 4])
        }
    }

    @Test func aNodesFailureOnARouteWithoutAModelPassesThroughUntried() async throws {
        let hits = Hits()
        let nodes = [Self.node("a", models: [], hits: hits), Self.node("b", models: [], hits: hits)]
        try await withFakeNodes(nodes) { client, cluster in
            let answer = try await client.get("/api/experimental/fail")
            #expect(answer.status == 500)
            #expect(answer.contentType == "text/plain")
            let node = try #require(answer.node)
            #expect(answer.text == "broken on \(node)")
            #expect(hits.all == [node: 1])
            // No verdict on the node: its circuit and failures stay as they were.
            #expect(cluster.gateway.pool.status().map(\.failures) == [0, 0])
        }
    }

    @Test func headAndGetOnUnknownRoutesKeepTheConnectionInStep() async throws {
        let hits = Hits()
        try await withFakeNodes([Self.node("a", models: [], hits: hits)]) { _, cluster in
            let port = try #require(URLComponents(string: cluster.gatewayURL)?.port)
            let requests =
                "HEAD /api/experimental/info HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /api/experimental/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            let text = try await DataPlaneTests.exchange(port: port, requests)
            let answers = text.components(separatedBy: "HTTP/1.1 200 OK\r\n")
            #expect(answers.count == 3)
            // The HEAD answer has the node's headers (its length included) and no body.
            #expect(answers[1].lowercased().contains("x-node: a\r\n"))
            #expect(answers[1].lowercased().contains("content-length: 42\r\n"))
            #expect(answers[1].hasSuffix("\r\n\r\n"))
            #expect(answers[2].hasSuffix("\r\n\r\ninfo from a, query -"))
        }
    }

    @Test func unknownRoutesAreCountedUnderTheRouteOtherNeverTheirPath() async throws {
        let hits = Hits()
        try await withFakeNodes([Self.node("a", models: ["llama3.2:latest"], hits: hits)]) { client, _ in
            _ = try await client.post("/api/experimental/echo", #"{"model":"llama3.2"}"#)
            _ = try await client.get("/api/experimental/info")
            _ = try await client.get("/api/experimental/info")
            _ = try await client.send(HTTPMethod(rawValue: "PURGE"), "/api/experimental/info")
            let families = try await GatewayMetricsTests.scrape(client)
            #expect(families.value("http_requests_total", ["method": "POST", "route": "other", "status": "201"]) == 1)
            #expect(families.value("http_requests_total", ["method": "GET", "route": "other", "status": "200"]) == 2)
            #expect(families.value("http_requests_total", ["method": "other", "route": "other", "status": "404"]) == 1)
            let labels = families.flatMap { $0.samples.flatMap { $0.labels.values } }
            #expect(!labels.contains { $0.contains("experimental") || $0 == "PURGE" })
        }
    }

    @Test func theGatewaysOwnPathsAreStillItsOwn() async throws {
        let hits = Hits()
        try await withFakeNodes([Self.node("a", models: [], hits: hits)], configure: { $0.debugEndpoints = false }) { client, _ in
            let unknownPage = try await client.get("/ollamamax/nope")
            #expect(unknownPage.status == 404)
            let debugOff = try await client.get("/debug/pprof/heap")
            #expect(debugOff.status == 404)
            let tags = try await client.get("/api/tags")
            #expect(tags.status == 200)
            #expect(tags.node == nil)
            #expect(hits.all.isEmpty)
        }
    }

    @Test func theDebugLineNamesMethodAndPath() {
        let lines = LogLines()
        var logger = Logger(label: "test") { _ in lines }
        logger.logLevel = .debug
        logger.unknownRoute(requestID: "r1", method: "POST", path: "/api/experimental/echo")
        #expect(lines.all == [#"debug unknown route method=POST path=/api/experimental/echo request_id=r1"#])
        logger.logLevel = .info
        logger.unknownRoute(requestID: "r2", method: "GET", path: "/x")
        #expect(lines.all.count == 1)
    }
}
