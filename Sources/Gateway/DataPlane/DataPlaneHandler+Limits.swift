import HTTPTypes
import NIOCore
import NIOHTTP1

/// The bounds on what a client sends: the body size limit on every route (a 413 in the route's
/// error shape, at the head when `Content-Length` says so, else when the body goes over),
/// request heads over the decoder's limits (431), and the lingering close after either, so a
/// client still sending reads the answer instead of a reset (``LingeringClose``).
///
/// The data plane's own routes check their bodies in ``RelayExchange``; here are the router's
/// routes (whose parts the handler forwards) and the lingering itself. A blob upload
/// (`POST /api/blobs/:digest`) carries model weights, gigabytes, spooled to a file: it has no
/// size limit.
extension DataPlaneHandler {
    var lingeringLimits: LingeringClose.Limits {
        .forBodies(upTo: plane.settings.maxBodyBytes)
    }

    /// Whether a router request may send its body: false when its `Content-Length` is over the
    /// limit (then the 413 is sent, before any of the body is read).
    func admitsBody(_ head: HTTPRequestHead, context: ChannelHandlerContext) -> Bool {
        theirBody = 0
        theirBodyLimited = !Self.isBlobUpload(head)
        let limit = plane.settings.maxBodyBytes
        guard theirBodyLimited, let declared = head.headers.first(name: "Content-Length").flatMap(Int.init), declared > limit
        else { return true }
        let path = DataPlane.route(of: head.uri)
        let given = head.headers.first(name: "X-Request-ID")
        let id = given.flatMap { !$0.isEmpty && $0.utf8.count <= 200 ? $0 : nil } ?? ids.next()
        answerWhole(
            status: .contentTooLarge,
            body: ErrorStyle(path: path).body(Self.tooLargeMessage(limit), status: .contentTooLarge, requestID: id),
            headers: ["X-Request-ID": id]
        )
        return false
    }

    /// Counts a router request's body part; past the limit (a chunked body), the router's
    /// request ends here: its route reads one byte over the limit and answers its 413
    /// (`collect(upTo:)`), the rest is dropped and the connection closes after that answer.
    func countTheirs(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        guard theirBodyLimited else { return }
        theirBody += buffer.readableBytes
        guard theirBody > plane.settings.maxBodyBytes else { return }
        reading = .discarding
        context.fireChannelRead(wrapInboundOut(.end(nil)))
        beginLingering(context: context)
    }

    /// Counts a refused request's dropped body: past the size limit, the connection closes
    /// (lingering) instead of reading on to the body's end.
    func countDiscarded(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        discardedBody += buffer.readableBytes
        if discardedBody > plane.settings.maxBodyBytes { beginLingering(context: context) }
    }

    /// The connection ends with a lingering close: at once when no answer is being written,
    /// else once it is.
    func beginLingering(context: ChannelHandlerContext) {
        if lingering == nil { lingering = LingeringClose(limits: lingeringLimits, now: .now()) }
        queued.removeAll()
        if !responding { closeAfterWrite(context: context) }
    }

    /// After an answer that ends the connection: a lingering close while the client may still
    /// be sending, else a close.
    func closeAfterWrite(context: ChannelHandlerContext) {
        guard lingering != nil || bodyPending else {
            context.close(promise: nil)
            return
        }
        let now = NIODeadline.now()
        var record = lingering ?? LingeringClose(limits: lingeringLimits, now: now)
        guard record.started == nil else { return }
        record.answerSent(now: now)
        lingering = record
        idleTimer?.cancel()
        // Only the sending side: the client reads the answer, then end-of-stream; what it still
        // sends is read and dropped. A channel that cannot half-close is closed whole.
        context.close(mode: .output).assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        context.read()
        scheduleLingerCheck(context: context)
    }

    /// Drops a part that arrived while lingering.
    func drop(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        guard case .body(let buffer) = part else { return }
        noteDropped(buffer.readableBytes, context: context)
    }

    private func noteDropped(_ bytes: Int, context: ChannelHandlerContext) {
        lingering?.read(bytes, now: .now())
        if lingering?.overBytes == true { context.close(promise: nil) }
    }

    private func scheduleLingerCheck(context: ChannelHandlerContext) {
        guard let deadline = lingering?.deadline else { return }
        lingerTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            guard let self, let lingering = self.lingering, context.channel.isActive else { return }
            if lingering.isOver(now: .now()) {
                context.close(promise: nil)
            } else {
                self.scheduleLingerCheck(context: context)
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // While lingering nothing is passed on, so nothing behind asks for more: read on here.
        if lingering?.started != nil { context.read() }
        context.fireChannelReadComplete()
    }

    /// A request head over the decoder's limits gets a 431 (in Ollama's shape: its path is
    /// unknown), then a lingering close; bytes the decoder drops after its error count as
    /// lingering reads. Other errors go on (the router answers a malformed request 400).
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if lingering != nil {
            if case .dataReceivedInErrorState(_, let buffer) = error as? ByteToMessageDecoderError {
                noteDropped(buffer.readableBytes, context: context)
            }
            return
        }
        guard let parserError = error as? HTTPParserError, parserError == .headerOverflow else {
            context.fireErrorCaught(error)
            return
        }
        let limits = HeaderLimits()
        let message =
            "request header too large (limits: \(limits.maxHeaderListSize) bytes in all, \(limits.maxHeaderFieldSize) bytes a field, "
            + "\(limits.maxHeaderFieldCount) fields)"
        lingering = LingeringClose(limits: lingeringLimits, now: .now())
        queued.removeAll()
        guard !responding else { return }  // the answer being written ends the connection
        let id = ids.next()
        responding = true
        answerWhole(
            status: .requestHeaderFieldsTooLarge,
            body: ErrorStyle.ollama.body(message, status: .requestHeaderFieldsTooLarge, requestID: id),
            headers: ["X-Request-ID": id]
        )
    }

    /// Writes a whole gateway-made JSON answer and ends it.
    private func answerWhole(status: HTTPResponse.Status, body: ByteBuffer, headers: HTTPHeaders) {
        var headers = headers
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        writeHead(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status.code), headers: headers))
        writeBody(body)
        finishAnswer(close: true)
    }

    static func tooLargeMessage(_ limit: Int) -> String {
        "request body too large (limit \(limit) bytes)"
    }

    /// `POST /api/blobs/:digest`: model weights, without a size limit.
    static func isBlobUpload(_ head: HTTPRequestHead) -> Bool {
        head.method == .POST && DataPlane.route(of: head.uri).hasPrefix("/api/blobs/")
    }
}

extension HTTPRequestHead {
    /// Whether a body follows the head: a `Content-Length` over zero, or a chunked one.
    var announcesBody: Bool {
        if let length = headers.first(name: "Content-Length") { return length != "0" }
        return headers.contains(name: "Transfer-Encoding")
    }
}
