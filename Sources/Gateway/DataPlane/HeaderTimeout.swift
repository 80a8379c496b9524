import NIOCore

/// Closes a connection whose client does not send a whole request head within the header
/// timeout (a "slowloris" client dripping its headers to hold connections open).
///
/// It sits before the HTTP decoder (after TLS), so it sees a head's bytes before they are a
/// head: the clock starts when the connection opens and, on a kept-alive connection, with the
/// first byte after the previous request's end (an idle connection between requests is the
/// idle timeout's business, as Go's `ReadHeaderTimeout` and `IdleTimeout` split it). The
/// ``DataPlaneHandler`` says when a head arrived and when a request ended. A client without a
/// head never reaches the router or the data plane, so it holds no node, lease or queue place.
///
/// One timer at most per connection, re-armed only while a head is due: a request costs two
/// stores and a clock read, not a scheduled task. Time is the loop's (``EventLoop/now``), so
/// tests drive it on an embedded loop.
final class HeaderTimeout: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let timeout: TimeAmount
    private var context: ChannelHandlerContext?
    /// Whether the next bytes are a request head (true until the first head, and after each
    /// request's end).
    private var awaitingHead = true
    /// When the head being waited for started: the connection's opening or its first byte.
    private var headStarted: NIODeadline?
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { startClock() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        startClock()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if awaitingHead, headStarted == nil { startClock() }
        context.fireChannelRead(data)
    }

    /// A whole request head was decoded: nothing is due until its request ends.
    func headArrived() {
        awaitingHead = false
        headStarted = nil
    }

    /// The request's body ended: the next bytes start the next head's clock.
    func requestEnded() {
        awaitingHead = true
    }

    private func startClock() {
        guard headStarted == nil, let context else { return }
        headStarted = context.eventLoop.now
        arm(in: timeout)
    }

    private func arm(in delay: TimeAmount) {
        guard timer == nil, let context else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [weak self] in
            self?.timer = nil
            self?.check()
        }
    }

    private func check() {
        guard let context, context.channel.isActive, awaitingHead, let headStarted else { return }
        let waited = context.eventLoop.now - headStarted
        if waited >= timeout {
            context.close(promise: nil)
        } else {
            arm(in: timeout - waited)
        }
    }
}
