import Foundation
import LocalCluster
import NIOCore
import NIOPosix
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

@testable import Gateway

/// The body size limit on every route: a 413 in the route's error shape, at the head when
/// `Content-Length` says so, mid-body for a chunked one, then a lingering close, so a client
/// still sending reads the 413 instead of a reset. Blob uploads have no limit.
@Suite(.timeLimit(.minutes(3)))
struct BodyLimitTests {
    /// Sends only a head announcing `length` bytes and reads until the gateway ends its side:
    /// the 413 arrives though no byte of the body was sent.
    static func headOnly(port: Int, _ path: String, length: Int) async throws -> String {
        let head = "POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(length)\r\n\r\n"
        return try await DataPlaneTests.exchange(port: port, head)
    }

    static func port(_ cluster: LocalCluster) throws -> Int {
        try #require(URLComponents(string: cluster.gatewayURL)?.port)
    }

    static func body(of raw: String) throws -> JSONObject {
        let head = try #require(raw.range(of: "\r\n\r\n"))
        return try JSONDecoder().decode(JSONObject.self, from: Data(raw[head.upperBound...].utf8))
    }

    @Test func aContentLengthOverTheLimitIsAnswered413BeforeTheBodyIsSentOnEveryKindOfRoute() async throws {
        try await withCluster([fastNode()]) { _, cluster in
            let port = try Self.port(cluster)
            let length = 33 << 20
            // The data plane's routes, the router's, one the gateway does not know.
            for path in ["/api/generate", "/api/pull", "/api/create", "/api/not-yet-invented"] {
                let raw = try await Self.headOnly(port: port, path, length: length)
                #expect(raw.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"), "\(path): \(raw)")
                #expect(try Self.body(of: raw)["error"] == "request body too large (limit 33554432 bytes)", "\(path)")
            }
            // OpenAI's error object on its routes.
            let openAI = try await Self.headOnly(port: port, "/v1/chat/completions", length: length)
            #expect(openAI.hasPrefix("HTTP/1.1 413 "))
            let error = try Self.body(of: openAI)["error"]?.objectValue
            #expect(error?["message"] == "request body too large (limit 33554432 bytes)")
            #expect(error?["type"] != nil)
        }
    }

    @Test func aBlobUploadIsNotBoundByTheBodyLimit() async throws {
        try await withCluster([fastNode()], configure: { $0.maxBodyBytes = 1024 }) { client, _ in
            let upload = try await client.post("/api/blobs/\(GatewayBlobTests.digest)", GatewayBlobTests.content)
            #expect(upload.status == 201)
            // Any other route with the same body: 413.
            let pull = try await client.post("/api/pull", GatewayBlobTests.content)
            #expect(pull.status == 413)
        }
    }

    /// Python's `http.client` sends its whole body before it reads the answer: it is the client
    /// that saw a reset instead of the 413 before the lingering close.
    static let sender = """
        import http.client, json, sys
        port, path, mode, size = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
        prefix = b'{"model":"llama3.2","prompt":"'
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Content-Type": "application/json"}
        if mode == "length":
            connection.request("POST", path, body=prefix + b"a" * (size - len(prefix) - 2) + b'"}', headers=headers)
        else:
            def chunks():
                yield prefix
                for _ in range(size // (1 << 20)):
                    yield b"a" * (1 << 20)
                yield b'"}'
            connection.request("POST", path, body=chunks(), headers=headers, encode_chunked=True)
        response = connection.getresponse()
        print(response.status)
        print(response.read().decode())
        """

    static let python = ExternalTool("python3", install: "apt-get install -y python3")

    /// Runs ``sender`` on its own thread; its status line and body, or the test fails with its stderr.
    static func send(port: Int, _ path: String, mode: String, size: Int) async throws -> (status: String, body: JSONObject) {
        let python = try Self.python.path()
        let arguments = ["-c", sender, String(port), path, mode, String(size)]
        let (exit, stdout, stderr) = try await MonitoringStack.run(python, arguments)
        try #require(exit == 0, "python http.client on \(path) (\(mode)): \(stderr)")
        let lines = stdout.split(separator: "\n", maxSplits: 1).map(String.init)
        try #require(lines.count == 2, "\(stdout)")
        return (lines[0], try JSONDecoder().decode(JSONObject.self, from: Data(lines[1].utf8)))
    }

    @Test(python.enabled)
    func pythonsHTTPClientSendingItsWholeBodyReadsThe413NotAReset() async throws {
        // At the default limit (32 MiB), as a client meets it: a 64 MiB body announced by
        // Content-Length is answered at the head and then read and dropped; a 40 MiB chunked one
        // is answered when it passes the limit. Without the lingering close both were resets.
        try await withCluster([fastNode()]) { client, cluster in
            let port = try Self.port(cluster)
            let message = "request body too large (limit 33554432 bytes)"
            let length = try await Self.send(port: port, "/api/generate", mode: "length", size: 64 << 20)
            #expect(length.status == "413")
            #expect(length.body["error"] == .string(message))
            let chunked = try await Self.send(port: port, "/api/generate", mode: "chunked", size: 40 << 20)
            #expect(chunked.status == "413")
            #expect(chunked.body["error"] == .string(message))
            #expect(cluster.gateway.pool.status().allSatisfy { $0.requests == 0 && $0.node.inFlight == 0 })
            #expect(try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"x","stream":false}"#).status == 200)
        }
        // The router's routes and the OpenAI shape, over a 1 MiB limit: bodies many times the
        // loopback socket buffers past it, without sending hundreds of MiB more.
        try await withCluster([fastNode()], configure: { $0.maxBodyBytes = 1 << 20 }) { client, cluster in
            let port = try Self.port(cluster)
            let message = "request body too large (limit 1048576 bytes)"
            for mode in ["length", "chunked"] {
                let answer = try await Self.send(port: port, "/api/pull", mode: mode, size: 12 << 20)
                #expect(answer.status == "413")
                #expect(answer.body["error"] == .string(message), "\(mode)")
            }
            let openAI = try await Self.send(port: port, "/v1/chat/completions", mode: "chunked", size: 12 << 20)
            #expect(openAI.status == "413")
            #expect(openAI.body["error"]?.objectValue?["message"] == .string(message))
            // No node was asked, no lease is left, and the gateway serves on.
            #expect(cluster.gateway.pool.status().allSatisfy { $0.requests == 0 && $0.node.inFlight == 0 })
            let after = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"x","stream":false}"#)
            #expect(after.status == 200)
        }
    }
}
