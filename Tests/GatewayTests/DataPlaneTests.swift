import Foundation
import HTTPTypes
import Hummingbird
import LocalCluster
import NIOCore
import NIOHTTP1
import NIOPosix
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

@testable import Gateway

/// The data plane's own duties: order on a pipelined connection, node timeouts, the headers
/// it writes, and the pure pieces it is built from.
@Suite(.timeLimit(.minutes(3)))
struct DataPlaneTests {
    @Test func pipelinedRequestsAreAnsweredInOrderAcrossBothPaths() async throws {
        try await withCluster([fastNode()]) { _, cluster in
            let port = try #require(URLComponents(string: cluster.gatewayURL)?.port)
            let generate = #"{"model":"llama3.2","prompt":"x","stream":false,"options":{"num_predict":2}}"#
            let show = #"{"model":"llama3.2"}"#
            // Three requests in one write: routed, router, routed; the last one closes the connection.
            let requests =
                Self.post("/api/generate", generate) + "GET /api/version HTTP/1.1\r\nHost: x\r\n\r\n"
                + Self.post("/api/show", show, close: true)
            let text = try await Self.exchange(port: port, requests)
            #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 4)
            let generated = try #require(text.range(of: #""done_reason""#))
            let version = try #require(text.range(of: #"{"version""#))
            let shown = try #require(text.range(of: #""modelfile""#))
            #expect(generated.lowerBound < version.lowerBound)
            #expect(version.lowerBound < shown.lowerBound)
        }
    }

    @Test func anAnswerMadeAtOnceLetsThePipelinedRequestBehindItThrough() async throws {
        try await withCluster([fastNode(), fastNode(models: ["nomic-embed-text:latest"])]) { _, cluster in
            for _ in 0..<2 {
                cluster.gateway.pool.applyProbe(
                    "sim-0",
                    latency: nil,
                    version: nil,
                    models: nil,
                    resident: nil,
                    error: "probe failed"
                )
            }
            let port = try #require(URLComponents(string: cluster.gatewayURL)?.port)
            // The second is refused without waiting (no healthy node has the model) while the
            // requests queued behind the first are let in; the third must still be read whole
            // and answered, after the others.
            let embed = #"{"model":"nomic-embed-text","input":"x"}"#
            let requests =
                Self.post("/api/embed", embed) + Self.post("/api/generate", #"{"model":"llama3.2","prompt":"x"}"#)
                + Self.post("/api/embed", embed, close: true)
            let text = try await Self.exchange(port: port, requests)
            let first = try #require(text.range(of: #""embeddings""#))
            let refused = try #require(text.range(of: "HTTP/1.1 503 Service Unavailable"))
            let third = try #require(text.range(of: #""embeddings""#, range: refused.upperBound..<text.endIndex))
            #expect(first.lowerBound < refused.lowerBound && refused.lowerBound < third.lowerBound)
        }
    }

    @Test func http10ClientsWithoutKeepAliveAreDisconnectedAfterTheirAnswerOnBothPaths() async throws {
        try await withCluster([fastNode()]) { _, cluster in
            let port = try #require(URLComponents(string: cluster.gatewayURL)?.port)
            // `exchange` returns when the gateway closes the connection (ab without -k waits for that).
            let generate = #"{"model":"llama3.2","prompt":"x","stream":false,"options":{"num_predict":2}}"#
            let routed = try await Self.exchange(
                port: port,
                "POST /api/generate HTTP/1.0\r\nHost: x\r\nContent-Length: \(generate.utf8.count)\r\n\r\n" + generate
            )
            #expect(routed.contains(#""done_reason""#))
            let router = try await Self.exchange(port: port, "GET /api/version HTTP/1.0\r\nHost: x\r\n\r\n")
            #expect(router.contains(#"{"version""#))
        }
    }

    @Test func aNodeThatNeverAnswersTimesOutAndTheClientGets502() async throws {
        var hanging = fastNode()
        hanging.faults.hangRate = 1
        try await withCluster([hanging], configure: { $0.responseTimeout = .seconds(0.2) }) { client, cluster in
            let answer = try await client.post(
                "/api/generate",
                #"{"model":"llama3.2","prompt":"x","stream":false}"#
            )
            #expect(answer.status == 502)
            let error = try #require(try answer.json()["error"]?.stringValue)
            #expect(error == "no node could serve the request: sim-0: no answer within 0.2s")
            try await eventually("the node is free again") { cluster.gateway.pool.snapshot()[0].inFlight == 0 }
        }
    }

    @Test func aNodeThatGoesSilentMidStreamEndsItWithAnErrorLine() async throws {
        // One token a second, against a gateway that gives a silent node 0.2 s.
        try await withCluster([fastNode(decodeRate: 1)], configure: { $0.idleTimeout = .seconds(0.2) }) { client, cluster in
            let answer = try await client.post(
                "/api/generate",
                #"{"model":"llama3.2","prompt":"x","options":{"num_predict":50}}"#
            )
            #expect(answer.status == 200)
            let lines = try answer.lines()
            let error = try #require(lines.last?["error"]?.stringValue)
            #expect(error == "node sim-0 failed mid-stream: no data for 0.2s")
            let node = try #require(cluster.gateway.pool.status().first)
            #expect(node.failures == 1)
        }
    }

    @Test func answersCarryTheGatewaysHeadersAndTheNodesLength() async throws {
        try await withCluster([fastNode()]) { client, _ in
            let answer = try await client.post(
                "/api/generate",
                #"{"model":"llama3.2","prompt":"x","stream":false,"options":{"num_predict":2}}"#
            )
            #expect(answer.status == 200)
            #expect(answer.headers.first(name: "Server") == "ollamamax")
            #expect(answer.headers.first(name: "X-OllamaMax-Node") == "sim-0")
            #expect(answer.headers.first(name: "Content-Length") == String(answer.body.count))
            #expect(answer.headers["Date"].count == 1)
            let date = try #require(answer.headers.first(name: "Date"))
            #expect(date.hasSuffix(" GMT") && date.count == 29)
        }
    }

    @Test func aChunkedRequestBodyIsCollectedAndRouted() async throws {
        try await withCluster([fastNode()]) { _, cluster in
            let port = try #require(URLComponents(string: cluster.gatewayURL)?.port)
            let body = #"{"model":"llama3.2","prompt":"x","stream":false,"options":{"num_predict":1}}"#
            let half = body.utf8.count / 2
            let first = String(body.prefix(half))
            let second = String(body.dropFirst(half))
            let request =
                "POST /api/generate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + String(first.utf8.count, radix: 16) + "\r\n" + first + "\r\n"
                + String(second.utf8.count, radix: 16) + "\r\n" + second + "\r\n0\r\n\r\n"
            let text = try await Self.exchange(port: port, request)
            #expect(text.hasPrefix("HTTP/1.1 200 OK"))
            #expect(text.contains(#""done":true"#))
        }
    }

    @Test func aClientThatExpects100ContinueGetsIt() async throws {
        try await withCluster([fastNode()]) { _, cluster in
            let port = try #require(URLComponents(string: cluster.gatewayURL)?.port)
            let body = #"{"model":"nomic-embed-text","input":"x"}"#
            let head =
                "POST /api/embed HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Expect: 100-continue\r\nConnection: close\r\n\r\n"
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            let text = try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: head))
                var received = ""
                var iterator = inbound.makeAsyncIterator()
                // The body goes only after the interim answer, as curl does.
                while !received.contains("\r\n\r\n"), let part = try await iterator.next() {
                    received += String(buffer: part)
                }
                #expect(received.hasPrefix("HTTP/1.1 100 Continue\r\n"))
                try await outbound.write(ByteBuffer(string: body))
                while let part = try await iterator.next() { received += String(buffer: part) }
                return received
            }
            #expect(text.contains("HTTP/1.1 200 OK"))
            #expect(text.contains(#""embeddings""#))
        }
    }

    @Test func silentClientsAreClosedButClientsWaitingForAnAnswerAreNot() async throws {
        // One token a second: a whole answer of 5 tokens takes longer than the 2 s idle timeout
        // (long enough that a loaded machine still sends the request in time).
        try await withCluster([fastNode(decodeRate: 1)], configure: { $0.clientIdleTimeout = .seconds(2) }) {
            client,
            cluster in
            let port = try #require(URLComponents(string: cluster.gatewayURL)?.port)
            let silent = try await Self.exchange(port: port, "")
            #expect(silent.isEmpty)
            let answer = try await client.post(
                "/api/generate",
                #"{"model":"llama3.2","prompt":"x","stream":false,"options":{"num_predict":5}}"#
            )
            #expect(answer.status == 200)
            #expect(try answer.json()["eval_count"] == 5)
        }
    }

    // MARK: Pure parts

    @Test func datesAreIMFFixdate() {
        #expect(HTTPDate.format(epochSeconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(epochSeconds: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(epochSeconds: 951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.format(epochSeconds: 1_798_761_599) == "Thu, 31 Dec 2026 23:59:59 GMT")
        var cache = HTTPDate()
        #expect(cache.value(at: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(cache.value(at: 1) == "Thu, 01 Jan 1970 00:00:01 GMT")
    }

    @Test func requestIDsAreVersion4UUIDsAndDiffer() {
        var ids = RequestID(seed: 42)
        let made = (0..<1000).map { _ in ids.next() }
        #expect(Set(made).count == 1000)
        for id in made {
            let parsed = UUID(uuidString: id)
            #expect(parsed?.uuidString.lowercased() == id)
            let characters = Array(id)
            #expect(characters[14] == "4")
            #expect("89ab".contains(characters[19]))
        }
        #expect(RequestID.format(high: 0, low: 0) == "00000000-0000-4000-8000-000000000000")
        #expect(RequestID.format(high: .max, low: .max) == "ffffffff-ffff-4fff-bfff-ffffffffffff")
        #expect(RequestID.format(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210) == "01234567-89ab-4def-bedc-ba9876543210")
    }

    @Test func nodeAddressesParseHostPortTLSAndBasePath() throws {
        let plain = try #require(NodeAddress(url: "http://127.0.0.1:11434"))
        #expect(plain.host == "127.0.0.1" && plain.port == 11434 && !plain.tls && plain.basePath == "")
        #expect(plain.hostHeader == "127.0.0.1:11434")
        let secure = try #require(NodeAddress(url: "https://ollama.internal/base/"))
        #expect(secure.port == 443 && secure.tls && secure.basePath == "/base" && secure.hostHeader == "ollama.internal")
        let six = try #require(NodeAddress(url: "http://[::1]:8080"))
        #expect(six.host == "::1" && six.hostHeader == "[::1]:8080")
        #expect(NodeAddress(url: "ftp://x") == nil)
        #expect(NodeAddress(url: "not a url") == nil)
    }

    @Test(arguments: [
        "llama3.2:latest", "llama3.2", "Llama3.2", " llama3.2:1b ", "library/llama3.2", "hf.co/x/y:q4",
        "a:b/c", "a:b/", "qwen:", "\tllama3.2:latest", "Ünïcode:latest", "fast", "x/y",
    ])
    func theFastModelKeyCheckAgreesWithTheFullNormalisation(name: String) {
        let slow = ModelKey.normalize(" " + name)  // the leading space forces the full path
        #expect(ModelKey.normalize(name) == slow)
    }

    @Test func postsToRoutedPathsAreRoutedTheRoutersGoOnAndEveryOtherIsAnUnknownRoute() {
        let table = GatewayRoutes.routerTable(debugEndpoints: true)
        func claim(_ method: HTTPMethod, _ uri: String) -> DataPlane.Claim? {
            DataPlane.claim(.init(version: .http1_1, method: method, uri: uri), routerTable: table)
        }
        #expect(claim(.POST, "/api/generate") == .routed("/api/generate"))
        #expect(claim(.POST, "/v1/chat/completions?x=1") == .routed("/v1/chat/completions"))
        #expect(claim(.POST, "/v1/messages") == .routed("/v1/messages"))
        #expect(claim(.POST, "/v1/responses?stream=1") == .routed("/v1/responses"))
        // The router's routes, literal and with parameters, with or without a trailing slash.
        #expect(claim(.POST, "/api/pull") == nil)
        #expect(claim(.GET, "/api/tags/") == nil)
        #expect(claim(.HEAD, "/") == nil)
        #expect(claim(.GET, "/v1/models/library/llama3.2:latest") == nil)
        #expect(claim(.POST, "/api/blobs/sha256:abc") == nil)
        #expect(claim(.GET, "/metrics?x=1") == nil)
        // The gateway's own namespaces stay with the router, known or not.
        #expect(claim(.GET, "/ollamamax/nope") == nil)
        #expect(claim(.GET, "/debug/pprof/heap") == nil)
        // Everything else is a route the gateway does not know, by its path without the query.
        #expect(claim(.GET, "/api/generate") == .unknown("/api/generate"))
        #expect(claim(.POST, "/api/generate/x") == .unknown("/api/generate/x"))
        #expect(claim(.POST, "/api/experimental/echo?key=secret") == .unknown("/api/experimental/echo"))
        #expect(claim(.DELETE, "/api/tags") == .unknown("/api/tags"))
        #expect(claim(.GET, "/v1/models/") == nil)
        #expect(claim(.GET, "/api/blobs/sha256:abc") == .unknown("/api/blobs/sha256:abc"))
        // Without the debug endpoints their paths are still the gateway's (its 404).
        #expect(
            DataPlane.claim(
                .init(version: .http1_1, method: .GET, uri: "/debug/pprof"),
                routerTable: GatewayRoutes.routerTable(debugEndpoints: false)
            ) == nil
        )
    }

    @Test func everyRouteTheRouterRegistersIsInTheTableTheDataPlaneReads() async throws {
        try await withCluster([fastNode()]) { _, cluster in
            let registered = cluster.gateway.makeRouter().routes.map { "\($0.method.rawValue) \($0.path.description)" }
            let table = (GatewayRoutes.table.map(\.signature) + ConsoleRoutes.table.map(\.signature) + DebugRoutes.table.map(\.signature)).map {
                "\($0.method) \(RouterPath($0.path).description)"
            }
            #expect(registered.sorted() == table.sorted())
            let served = GatewayRoutes.routerTable(debugEndpoints: true)
            for route in cluster.gateway.makeRouter().routes {
                let path = GatewayMetricsTests.concretePath(route.path.description)
                #expect(served.serves(method: route.method.rawValue, path: path), "\(route.method) \(path)")
            }
        }
    }

    // MARK: Raw HTTP

    static func post(_ path: String, _ body: String, close: Bool = false) -> String {
        "POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
            + (close ? "Connection: close\r\n" : "") + "\r\n" + body
    }

    /// Writes `text` on a new connection to the gateway and reads until the gateway closes it.
    static func exchange(port: Int, _ text: String) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            // Nothing to send: only wait (the gateway may already have closed a silent connection).
            if !text.isEmpty { try await outbound.write(ByteBuffer(string: text)) }
            var received = ByteBuffer()
            for try await var part in inbound { received.writeBuffer(&part) }
            return String(buffer: received)
        }
    }
}
