import NIOCore
import NIOSSL
import NIOTLS

/// A command to write and the promise its reply completes.
struct SMTPRequest: Sendable {
    let bytes: ByteBuffer
    let reply: EventLoopPromise<SMTPReply>
}

/// Pairs each reply with the request waiting for it, in order.
///
/// Once the connection fails, every pending and later request fails with the first error seen
/// (a TLS handshake failure, say), not with the closed channel that follows it. A reply nobody
/// waits for closes the connection: the server is out of step, or text was injected before TLS.
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = SMTPReply
    typealias OutboundIn = SMTPRequest
    typealias OutboundOut = ByteBuffer

    private var waiting = CircularBuffer<EventLoopPromise<SMTPReply>>()
    private var failure: (any Error)?

    /// A handler whose first reply, the server's greeting, completes `greeting`: the server
    /// speaks first, possibly before anyone could ask.
    init(greeting: EventLoopPromise<SMTPReply>) {
        waiting.append(greeting)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.reply.fail(failure)
            promise?.fail(failure)
            return
        }
        waiting.append(request.reply)
        context.write(wrapOutboundOut(request.bytes), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        guard let promise = waiting.popFirst() else {
            fail(SMTPDecodingError("a reply nobody asked for: \(reply.code) \(reply.text)"))
            context.close(promise: nil)
            return
        }
        promise.succeed(reply)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        fail(ChannelError.ioOnClosedChannel)
    }

    /// Fails everything pending with the first error seen.
    private func fail(_ error: any Error) {
        let first = failure ?? error
        failure = first
        while let promise = waiting.popFirst() { promise.fail(first) }
    }
}

/// Completes a promise when the TLS handshake after STARTTLS succeeds, or fails it with the
/// handshake's error, so the conversation goes on over TLS only once it is up.
final class TLSHandshakeWatcher: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    private let done: EventLoopPromise<Void>

    init(_ done: EventLoopPromise<Void>) {
        self.done = done
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent { done.succeed() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        done.fail(ChannelError.ioOnClosedChannel)
    }
}
