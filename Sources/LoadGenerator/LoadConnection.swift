import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import OllamaAPI

/// One request handed to a ``LoadConnection``: what to send, when it was planned, where its result goes.
struct LoadRequest: Sendable {
    var head: HTTPRequestHead
    var body: ByteBuffer
    var recorder: ResponseRecorder
    /// The planned send time: every latency counts from it.
    var intended: ContinuousClock.Instant
    var timeout: TimeAmount
    var promise: EventLoopPromise<RequestResult>
}

/// A keep-alive HTTP/1.1 connection that carries one request at a time and times its answer on
/// its event loop.
///
/// Every chunk is timed where it arrives, in the channel handler, and a request costs one
/// write-and-flush and one promise. Used only on its loop, by ``LoadDriver``. A connection whose
/// server closed it, or whose request timed out, is dead; the driver opens a new one.
final class LoadConnection {
    private let channel: any Channel
    private let handler: LoadConnectionHandler
    /// Whether a request has gone over this connection (a reused connection may have been closed by the server while idle).
    private(set) var reused = false

    private init(channel: any Channel, handler: LoadConnectionHandler) {
        self.channel = channel
        self.handler = handler
    }

    var isActive: Bool { channel.isActive }

    /// Opens a connection to `address` on `loop` within `timeout` and hands it to `completion` on `loop`.
    static func connect(
        to address: LoadAddress,
        on loop: any EventLoop,
        tls: NIOSSLContext?,
        timeout: TimeAmount,
        completion: @escaping (Result<LoadConnection, any Error>) -> Void
    ) {
        let serverName = address.host
        ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls {
                        try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try sync.addHTTPClientHandlers()
                    try sync.addHandler(LoadConnectionHandler())
                }
            }
            .connect(host: address.host, port: address.port)
            .hop(to: loop)
            .assumeIsolated()
            .whenComplete { outcome in
                completion(
                    outcome.flatMap { channel in
                        Result {
                            LoadConnection(channel: channel, handler: try channel.pipeline.syncOperations.handler(type: LoadConnectionHandler.self))
                        }
                    }
                )
            }
    }

    /// Writes `request`; its promise gets the result (a failure is a result with an error kind).
    func start(_ request: LoadRequest) {
        reused = true
        handler.start(request)
    }

    /// Ends the request in flight as `cancelled`.
    func cancel() {
        handler.cancel()
    }

    /// Closes the connection.
    func close() {
        channel.close(promise: nil)
    }
}

/// The channel handler behind ``LoadConnection``: writes the request, feeds the answer's parts
/// to the request's ``ResponseRecorder`` as they arrive, and completes its promise exactly once.
final class LoadConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private struct InFlight {
        var recorder: ResponseRecorder
        let intended: ContinuousClock.Instant
        let promise: EventLoopPromise<RequestResult>
        var timeout: Scheduled<Void>?
        var keepAlive = true
    }

    private var current: InFlight?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        complete(error: .connect)
        self.context = nil
    }

    /// Writes `request`, or answers it at once when the connection is gone or busy.
    func start(_ request: LoadRequest) {
        guard let context, context.channel.isActive, current == nil else {
            request.promise.succeed(request.recorder.finish(at: Self.elapsed(since: request.intended), error: .connect))
            return
        }
        current = InFlight(recorder: request.recorder, intended: request.intended, promise: request.promise)
        current?.timeout = context.eventLoop.assumeIsolated().scheduleTask(in: request.timeout) { [weak self] in
            self?.fail(.timeout)
        }
        var head = request.head
        head.headers.replaceOrAdd(name: "content-length", value: String(request.body.readableBytes))
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(request.body))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenFailure { [weak self] _ in self?.fail(.connect) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let intended = current?.intended else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            current?.recorder.head(status: Int(head.status.code))
            current?.keepAlive = head.isKeepAlive
        case .body(let buffer):
            current?.recorder.body(buffer.readableBytesView, at: Self.elapsed(since: intended))
        case .end:
            let keepAlive = current?.keepAlive ?? false
            complete(error: nil)
            if !keepAlive { context.close(promise: nil) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(nil)
    }

    /// The run stopped while this request was in flight.
    func cancel() {
        fail(.cancelled)
    }

    /// Ends the request in flight with `kind` (nil: decided by how far the answer got) and closes the connection.
    private func fail(_ kind: ErrorKind?) {
        guard let current else { return }
        complete(error: kind ?? (current.recorder.gotHead ? .streamBroken : .connect))
        context?.close(promise: nil)
    }

    private func complete(error: ErrorKind?) {
        guard let finished = current else { return }
        current = nil
        finished.timeout?.cancel()
        finished.promise.succeed(finished.recorder.finish(at: Self.elapsed(since: finished.intended), error: error))
    }

    static func elapsed(since start: ContinuousClock.Instant) -> Double {
        (ContinuousClock.now - start).inSeconds
    }
}
