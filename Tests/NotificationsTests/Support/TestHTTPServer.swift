import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import TestHTTP

/// A tiny HTTP/1.1 server on 127.0.0.1 and an ephemeral port: it records each request in
/// ``requests`` and answers as its responder says, or never.
final class TestHTTPServer: Sendable {
    /// A request as received.
    struct Request: Sendable {
        let method: String
        let path: String
        let headers: [String: String]
        let body: Data

        /// The body as a JSON object.
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw TestServerError("the body is not a JSON object: \(String(decoding: body, as: UTF8.self))")
            }
            return object
        }
    }

    /// How to answer a request.
    enum Answer: Sendable {
        /// This status and body.
        case status(Int, String)
        /// No answer at all (the connection stays open until the server stops).
        case hang
    }

    /// Every request, in arrival order.
    let requests: Inbox<Request>
    /// The port it listens on.
    let port: Int
    private let server: any Channel
    private let connections: Connections

    /// The connections a server accepted, closed when it stops.
    private final class Connections: Sendable {
        let channels = Mutex<[any Channel]>([])
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String = "/") -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Starts a server; `respond` gets each request and its number (from 1).
    static func start(_ respond: @escaping @Sendable (Request, Int) -> Answer = { _, _ in .status(200, "ok") }) async throws -> TestHTTPServer {
        let requests = Inbox<Request>()
        let count = Mutex(0)
        let connections = Connections()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                connections.channels.withLock { $0.append(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        RecordingHandler { request in
                            let number = count.withLock { count in
                                count += 1
                                return count
                            }
                            requests.put(request)
                            return respond(request, number)
                        }
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = server.localAddress?.port else { throw TestServerError("the server has no port") }
        return TestHTTPServer(requests: requests, port: port, server: server, connections: connections)
    }

    private init(requests: Inbox<Request>, port: Int, server: any Channel, connections: Connections) {
        self.requests = requests
        self.port = port
        self.server = server
        self.connections = connections
    }

    /// Closes the server and every connection it accepted.
    func stop() async {
        try? await server.close()
        for connection in connections.channels.withLock({ $0 }) { try? await connection.close() }
    }
}

/// Collects one request's parts and answers it.
private final class RecordingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let respond: @Sendable (TestHTTPServer.Request) -> TestHTTPServer.Answer
    private var head: HTTPRequestHead?
    private var body = Data()

    init(_ respond: @escaping @Sendable (TestHTTPServer.Request) -> TestHTTPServer.Answer) {
        self.respond = respond
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = Data()
        case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let request = TestHTTPServer.Request(method: head.method.rawValue, path: head.uri, headers: headers, body: body)
            switch respond(request) {
            case .hang:
                return
            case .status(let status, let text):
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: String(text.utf8.count))
                headers.add(name: "Content-Type", value: "text/plain")
                context.write(
                    wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .init(statusCode: status), headers: headers))),
                    promise: nil
                )
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
