import NIOCore
import NIOHTTP1

/// The front of every client connection: requests the data plane claims (its routed endpoints,
/// and routes the gateway does not know) are answered here (by a ``RelayExchange``), the
/// router's go on to Hummingbird, in order.
///
/// It sits before the conversion to HTTPTypes (``DataPlaneChannel``), so it reads and writes
/// NIO's own HTTP parts.
///
/// Clients may pipeline, so a request that arrives while an answer is still being written waits
/// here (and reading stops) until that answer ended. The handler also keeps the connection's
/// idle timeout, since only it sees both kinds of traffic, and holds a shutdown's quiesce event
/// back until the answer it is writing has ended.
final class DataPlaneHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    enum Reading {
        case between
        case ours
        case theirs
        case discarding
    }

    let plane: DataPlane
    private(set) var upstreams: UpstreamPool?
    private var context: ChannelHandlerContext?
    var reading = Reading.between
    /// Whether an answer (ours or the router's) is still being written.
    var responding = false
    private var exchange: RelayExchange?
    var queued = CircularBuffer<HTTPServerRequestPart>()
    private var draining = false
    private var readHeld = false
    private var quiesceHeld = false
    private var closeAfterAnswer = false
    private var lastActivity = NIODeadline.now()
    var idleTimer: Scheduled<Void>?
    private var date = HTTPDate()
    var ids = RequestID()
    /// The slow-header watch before the decoder, told when a head arrives and a request ends.
    let headerTimeout: HeaderTimeout?
    /// Whether the request's body (announced by its head) has not all arrived yet.
    var bodyPending = false
    /// Body bytes of the request gone on to the router, and whether its route has a size limit
    /// (every route but a blob upload).
    var theirBody = 0
    var theirBodyLimited = true
    /// Body bytes of a refused request dropped so far (``Reading/discarding``).
    var discardedBody = 0
    /// The connection is ending with a lingering close: set when a request is refused while its
    /// body may still come, until the connection closes (see ``LingeringClose``).
    var lingering: LingeringClose?
    var lingerTimer: Scheduled<Void>?

    init(plane: DataPlane, headerTimeout: HeaderTimeout? = nil) {
        self.plane = plane
        self.headerTimeout = headerTimeout
    }

    private var idleTimeout: TimeAmount {
        plane.settings.clientIdleTimeout
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        upstreams = plane.upstreams.pool(for: context.eventLoop)
        if context.channel.isActive { scheduleIdleCheck(in: idleTimeout) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        lingerTimer?.cancel()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        scheduleIdleCheck(in: idleTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        lingerTimer?.cancel()
        exchange?.clientGone()
        exchange = nil
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        exchange?.clientWritabilityChanged(context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, exchange != nil {
            quiesceHeld = true
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: Requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if lingering != nil {
            drop(part, context: context)
            return
        }
        lastActivity = .now()
        switch part {
        case .head: headerTimeout?.headArrived()
        case .end: headerTimeout?.requestEnded()
        case .body: break
        }
        if !queued.isEmpty || (part.isHead && responding) {
            queued.append(part)
            return
        }
        process(part, context: context)
    }

    func read(context: ChannelHandlerContext) {
        if queued.isEmpty || lingering != nil {
            context.read()
        } else {
            readHeld = true
        }
    }

    /// Handles one part; true when it went on to the router.
    @discardableResult
    private func process(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) -> Bool {
        switch part {
        case .head(var head):
            responding = true
            bodyPending = head.announcesBody
            // Connection: close, or HTTP/1.0 without keep-alive: the connection ends after this answer.
            closeAfterAnswer = !head.isKeepAlive
            let claimed = plane.claim(head)
            var caller: Caller?
            if let access = plane.access {  // keys configured: every request passes the gate
                guard case .admitted(let admitted) = gate(&head, claim: claimed, access: access, context: context) else {
                    reading = .discarding
                    return false
                }
                caller = admitted
            }
            guard let claim = claimed else {
                guard admitsBody(head, context: context) else {
                    reading = .discarding
                    return false
                }
                reading = .theirs
                context.fireChannelRead(wrapInboundOut(.head(head)))
                return true
            }
            reading = .ours
            let given = head.headers.first(name: "X-Request-ID")
            let id = given.flatMap { !$0.isEmpty && $0.utf8.count <= 200 ? $0 : nil } ?? ids.next()
            let exchange = RelayExchange(
                plane: plane,
                request: head,
                claim: claim,
                front: self,
                loop: context.eventLoop,
                requestID: id,
                caller: caller
            )
            self.exchange = exchange
            if !exchange.accept(declaredLength: head.headers.first(name: "Content-Length").flatMap(Int.init)) {
                reading = .discarding
            } else if head.headers.first(name: "Expect")?.lowercased() == "100-continue" {
                // As Ollama (Go's net/http) does: otherwise curl waits a second before sending a
                // body over 1 MiB.
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .continue))), promise: nil)
            }
            return false
        case .body(let buffer):
            switch reading {
            case .ours:
                if exchange?.receive(buffer) == false { reading = .discarding }
            case .theirs:
                context.fireChannelRead(wrapInboundOut(part))
                countTheirs(buffer, context: context)
                return true
            case .discarding:
                countDiscarded(buffer, context: context)
            case .between:
                break
            }
            return false
        case .end:
            // Between requests before the exchange runs: it may answer at once and let the next one in.
            let was = reading
            reading = .between
            bodyPending = false
            switch was {
            case .ours: exchange?.requestComplete()
            case .theirs:
                context.fireChannelRead(wrapInboundOut(part))
                return true
            case .between, .discarding: break
            }
            return false
        }
    }

    /// The router's answer passes here on its way out: its end lets the next request in (or
    /// closes a connection the client did not keep alive).
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        lastActivity = .now()
        guard case .end = unwrapOutboundIn(data), closeAfterAnswer || lingering != nil else {
            context.write(data, promise: promise)
            if case .end = unwrapOutboundIn(data) { answerEnded(context: context) }
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.cascade(to: promise)
        written.futureResult.assumeIsolated().whenComplete { [self] _ in closeAfterWrite(context: context) }
        context.write(data, promise: written)
        answerEnded(context: context)
    }

    private func answerEnded(context: ChannelHandlerContext) {
        responding = false
        exchange = nil
        lastActivity = .now()
        if quiesceHeld {
            quiesceHeld = false
            context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        drainQueue(context: context)
    }

    private func drainQueue(context: ChannelHandlerContext) {
        guard !draining, lingering == nil else { return }
        draining = true
        defer { draining = false }
        var forwarded = false
        while let next = queued.first, !(next.isHead && responding) {
            queued.removeFirst()
            forwarded = process(next, context: context) || forwarded
        }
        // The router's channel (NIOAsyncChannel) hands reads on at the end of a read batch.
        if forwarded { context.fireChannelReadComplete() }
        if queued.isEmpty, readHeld {
            readHeld = false
            context.read()
        }
    }

    // MARK: Writing an answer (for the exchange)

    /// Whether the client takes more bytes without buffering.
    var isWritable: Bool { context?.channel.isWritable ?? false }

    /// The allocator of the client connection.
    var allocator: ByteBufferAllocator { context?.channel.allocator ?? ByteBufferAllocator() }

    func writeHead(_ response: HTTPResponseHead) {
        guard let context else { return }
        var response = response
        response.headers.add(name: "Date", value: date.now())
        response.headers.add(name: "Server", value: "ollamamax")
        context.write(wrapOutboundOut(.head(response)), promise: nil)
    }

    func writeBody(_ buffer: ByteBuffer) {
        guard let context else { return }
        lastActivity = .now()
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
    }

    func flush() {
        context?.flush()
    }

    /// Ends the answer; `close` (or a client that asked for it) closes the connection after it.
    func finishAnswer(close: Bool = false) {
        guard let context else { return }
        if close || closeAfterAnswer || lingering != nil {
            // A refused body may still be coming: then a lingering close (``closeAfterWrite``).
            if bodyPending, lingering == nil { lingering = LingeringClose(limits: lingeringLimits, now: .now()) }
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { [self] _ in
                closeAfterWrite(context: context)
            }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        answerEnded(context: context)
    }

    /// Closes the connection without ending the answer: how a broken non-streamed answer ends.
    func abort() {
        guard let context else { return }
        exchange = nil
        context.close(promise: nil)
    }

    // MARK: Idle timeout

    private func scheduleIdleCheck(in delay: TimeAmount) {
        guard let context else { return }
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [weak self] in self?.idleCheck() }
    }

    /// Closes a connection that had no traffic either way for the idle timeout, unless an
    /// answer to a fully read request is pending (as Hummingbird's own rule: a non-streamed pull
    /// may take longer; node timeouts bound the data plane's answers).
    private func idleCheck() {
        guard let context, context.channel.isActive else { return }
        if responding, reading == .between {
            scheduleIdleCheck(in: idleTimeout)
            return
        }
        let idleFor = NIODeadline.now() - lastActivity
        if idleFor >= idleTimeout {
            context.close(promise: nil)
        } else {
            scheduleIdleCheck(in: idleTimeout - idleFor)
        }
    }
}

extension HTTPServerRequestPart {
    var isHead: Bool {
        if case .head = self { return true }
        return false
    }
}
