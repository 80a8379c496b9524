import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// What an upstream connection reports to the request using it. Every call comes on the
/// connection's event loop, which is also the client connection's loop.
protocol UpstreamDelegate: AnyObject {
    func upstreamHead(_ head: HTTPResponseHead)
    func upstreamBody(_ buffer: ByteBuffer)
    /// The last read of a batch: the moment to flush what was relayed.
    func upstreamReadComplete()
    func upstreamEnd()
    /// The connection failed or closed before the answer ended.
    func upstreamFailed(_ error: any Error)
}

/// A keep-alive HTTP/1.1 connection to one node, used by one request at a time and only on its
/// event loop. A request costs one write-and-flush of head, body and end together.
final class UpstreamConnection {
    let channel: any Channel
    let handler: UpstreamHandler
    /// The node URL this connection belongs to (the pool's key).
    let node: String

    init(channel: any Channel, handler: UpstreamHandler, node: String) {
        self.channel = channel
        self.handler = handler
        self.node = node
    }

    /// Whether the connection can carry another request.
    var isReusable: Bool { channel.isActive && handler.keepAlive && handler.delegate == nil }

    /// Stops or resumes reading the answer (backpressure from a slow client).
    func setReading(_ reading: Bool) {
        try? channel.syncOptions?.setOption(.autoRead, value: reading)
        if reading { channel.read() }
    }

    /// Drops the connection: whatever request it carries is abandoned (the node sees the close).
    func abandon() {
        handler.delegate = nil
        channel.close(promise: nil)
    }

    /// Opens a connection to `address` on `loop`.
    static func connect(
        to address: NodeAddress,
        node: String,
        on loop: any EventLoop,
        tls: NIOSSLContext?,
        timeout: TimeAmount
    ) -> EventLoopFuture<any Channel> {
        // An IP address is no SNI name (NIOSSL refuses it): the certificate is then checked
        // against the address connected to (its IP SAN).
        let serverName = address.hostIsIPAddress ? nil : address.host
        if address.tls, tls == nil {
            return loop.makeFailedFuture(UpstreamError(description: "TLS is not available (no system trust store)"))
        }
        return ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls, address.tls {
                        try sync.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    // The request heads are built from fields HTTPTypes already checked (the client's
                    // request) and from the node's configured address: validating them again on
                    // every request costs about 5% of the gateway's CPU.
                    try sync.addHTTPClientHandlers(enableOutboundHeaderValidation: false)
                    try sync.addHandler(UpstreamHandler())
                }
            }
            .connect(host: address.host, port: address.port)
    }
}

/// The channel handler behind ``UpstreamConnection``: writes a request, hands the answer's parts
/// to the delegate as they arrive, and tells it when the connection breaks mid-answer.
final class UpstreamHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    /// The request in flight; nil while the connection is idle.
    weak var delegate: (any UpstreamDelegate)?
    /// Whether the node keeps the connection open after the current answer.
    private(set) var keepAlive = true
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Writes one request with a single flush; a failed write reports the connection as broken.
    func send(head: HTTPRequestHead, body: ByteBuffer?, to delegate: any UpstreamDelegate) {
        self.delegate = delegate
        guard let context, context.channel.isActive else {
            detach()?.upstreamFailed(ChannelError.ioOnClosedChannel)
            return
        }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body, body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenFailure { [weak self] error in
            self?.detach()?.upstreamFailed(error)
            context.close(promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            keepAlive = head.isKeepAlive
            delegate?.upstreamHead(head)
        case .body(let buffer):
            delegate?.upstreamBody(buffer)
        case .end:
            detach()?.upstreamEnd()
            if !keepAlive { context.close(promise: nil) }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        delegate?.upstreamReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        keepAlive = false
        detach()?.upstreamFailed(ChannelError.eof)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        keepAlive = false
        detach()?.upstreamFailed(error)
        context.close(promise: nil)
    }

    private func detach() -> (any UpstreamDelegate)? {
        defer { delegate = nil }
        return delegate
    }
}
