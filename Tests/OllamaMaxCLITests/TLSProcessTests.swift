import Foundation
import NIOCore
import NIOHTTP1
import TestHTTP
import Testing

/// HTTPS end to end, as processes: the gateway serving a certificate made at test time, and a
/// simulated node serving HTTPS behind a gateway that trusts its CA with `--node-ca`.
struct TLSProcessTests {
    static let chat = #"{"model":"qwen2.5:0.5b","messages":[{"role":"user","content":"hi"}],"options":{"num_predict":4}}"#

    /// The first `scheme://` URL in a "listening on" line.
    static func url(in line: String, scheme: String) throws -> String {
        try #require(line.split(separator: " ").first { $0.hasPrefix("\(scheme)://") }.map(String.init), "no \(scheme) URL in \(line)")
    }

    @Test(ExternalTool.openssl.enabled, .timeLimit(.minutes(3)))
    func theGatewayServesHTTPSWithTheGivenCertificate() async throws {
        let certificates = try await TestCertificates.make()
        let gateway = try ChildProcess(
            ChildProcess.binary,
            [
                "start", "--simulate", "2", "--listen", "127.0.0.1:0",
                "--tls-cert", certificates.certificatePath, "--tls-key", certificates.keyPath,
            ]
        )
        try gateway.start()
        defer { gateway.stop() }
        let url = try Self.url(in: try await gateway.waitForLine(containing: "listening on"), scheme: "https")
        #expect(url.hasPrefix("https://127.0.0.1:"))
        try await certificates.withHTTPClient { http in
            let client = TestClient(base: url, client: http)
            let tags = try await client.get("/api/tags")
            #expect(tags.status == 200)
            #expect(tags.text.contains(#""name":"qwen2.5:0.5b""#))
            let chat = try await client.post("/api/chat", Self.chat)
            #expect(chat.status == 200)
            let lines = try chat.lines()
            #expect(lines.count >= 2, "a streamed answer: \(chat.text)")
            #expect(chat.text.split(separator: "\n").last?.contains(#""done":true"#) == true, "\(chat.text)")
        }
        // A client that does not trust the CA fails the handshake; plain HTTP to the TLS port is
        // no TLS handshake at all: the gateway closes the connection and goes on serving.
        // (A short deadline: the client retries a failed connection until its deadline.)
        await #expect(throws: (any Error).self) { _ = try await TestClient(base: url).send(.GET, "/api/version", timeout: .seconds(2)) }
        let plain = "http://" + url.dropFirst("https://".count)
        await #expect(throws: (any Error).self) { _ = try await TestClient(base: plain).send(.GET, "/api/version", timeout: .seconds(2)) }
        let version = try await certificates.withHTTPClient { http in try await TestClient(base: url, client: http).get("/api/version") }
        #expect(version.status == 200)
        #expect(gateway.process.isRunning)
        #expect(!gateway.stderr.contains("error"), "\(gateway.stderr)")
    }

    @Test(ExternalTool.openssl.enabled, .timeLimit(.minutes(3)))
    func anHTTPSNodeIsServedWhenTheGatewayTrustsItsCA() async throws {
        let certificates = try await TestCertificates.make()
        let node = try ChildProcess(
            ChildProcess.binary,
            [
                "node-sim", "--port", "0", "--load-time", "0",
                "--tls-cert", certificates.certificatePath, "--tls-key", certificates.keyPath,
            ]
        )
        try node.start()
        defer { node.stop() }
        let nodeURL = try Self.url(in: try await node.waitForLine(containing: "listening on"), scheme: "https")
        // Both node clients: the node client (probes, /api/tags) and the data plane (/api/chat).
        try await withGateway(["--node", nodeURL, "--node-ca", certificates.caPath]) { client in
            let tags = try await client.get("/api/tags")
            #expect(tags.status == 200)
            #expect(tags.text.contains(#""name":"qwen2.5:0.5b""#))
            let chat = try await client.post("/api/chat", Self.chat)
            #expect(chat.status == 200)
            #expect(chat.text.contains(#""done":true"#), "\(chat.text)")
            let nodes = try await client.get("/ollamamax/nodes")
            // Up: healthy, or degraded when a loaded machine makes a probe slow.
            #expect(nodes.text.contains(#""state":"healthy""#) || nodes.text.contains(#""state":"degraded""#), "\(nodes.text)")
        }
        // Without --node-ca the node's certificate is not trusted: the node is down.
        try await withGateway(["--node", nodeURL]) { client in
            let chat = try await client.post("/api/chat", Self.chat)
            #expect(chat.status == 503, "\(chat.text)")
        }
    }

    /// Runs `body` against a plain-HTTP gateway started with `arguments`.
    func withGateway(_ arguments: [String], _ body: (TestClient) async throws -> Void) async throws {
        let gateway = try ChildProcess(ChildProcess.binary, ["start", "--listen", "127.0.0.1:0"] + arguments)
        try gateway.start()
        defer { gateway.stop() }
        let url = try Self.url(in: try await gateway.waitForLine(containing: "listening on"), scheme: "http")
        try await body(TestClient(base: url))
    }
}
