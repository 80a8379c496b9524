import HTTPTypes
import NIOCore
import NIOHTTP1
import Telemetry

/// The access check of every request, the router's too, at its head: before any body is read
/// and before it is routed. Only with keys configured (``DataPlane/access``); without them the
/// handler never calls it.
extension DataPlaneHandler {
    /// What the gate did with a request.
    enum GateOutcome {
        /// It goes on, with its caller (nil when no key was needed).
        case admitted(Caller?)
        /// It was answered here (401, 403 or 429); its body is to be discarded.
        case refused
    }

    /// Checks the request's key against the route's access and the key's rate limits, and
    /// answers a refusal in the route's error shape. The key headers are removed from `head`
    /// (no key reaches a node or a log line); a request for the router carries its key's name in
    /// ``AccessControl/callerHeader``.
    func gate(
        _ head: inout HTTPRequestHead,
        claim: DataPlane.Claim?,
        access: AccessControl,
        context: ChannelHandlerContext
    )
        -> GateOutcome
    {
        let presented = AccessControl.presentedKey(head.headers)
        AccessControl.removeCredentials(&head.headers)
        let (needs, methodLabel, routeLabel) = plane.access(head, claim: claim)
        let caller = presented.flatMap { access.caller(presenting: $0.utf8) }
        let path = DataPlane.route(of: head.uri)
        let decision = AccessDecision.decide(
            access: needs,
            caller: caller,
            keyPresented: presented != nil,
            peerIsLoopback: needs == .metrics && access.openMetricsOnLoopback && context.channel.remoteAddress.isLoopback,
            keysConfigured: true,
            route: "\(head.method.rawValue) \(path)"
        )
        switch decision {
        case .refused(let status, let message):
            access.limiter.refused(caller?.name, status: status.code)
            var headers = HTTPHeaders()
            if status == .unauthorized { headers.add(name: "WWW-Authenticate", value: "Bearer") }
            refuse(head, path: path, status: status, message: message, headers: headers, labels: (methodLabel, routeLabel))
            return .refused
        case .allowed(let caller):
            guard let caller else { return .admitted(nil) }
            if case .limited(let seconds, let what) = access.limiter.admit(caller.name) {
                let message = "rate limit of API key \"\(caller.name)\" reached (\(what)); retry after \(seconds) s"
                let headers: HTTPHeaders = ["Retry-After": String(seconds)]
                refuse(head, path: path, status: .tooManyRequests, message: message, headers: headers, labels: (methodLabel, routeLabel))
                return .refused
            }
            if claim == nil { head.headers.add(name: AccessControl.callerHeader, value: caller.name) }
            return .admitted(caller)
        }
    }

    /// Answers a refused request whole, in its route's error shape, and counts it in the HTTP
    /// metrics under its route's labels; the connection stays open (the body, if any, is read
    /// and dropped) unless the body is over the size limit or waits for a 100 Continue.
    private func refuse(
        _ head: HTTPRequestHead,
        path: String,
        status: HTTPResponse.Status,
        message: String,
        headers: HTTPHeaders,
        labels: (method: String, route: String)
    ) {
        let given = head.headers.first(name: "X-Request-ID")
        let id =
            given.flatMap { !$0.isEmpty && $0.utf8.count <= 200 ? $0 : nil }
            ?? RequestID.format(high: .random(in: .min ... .max), low: .random(in: .min ... .max))
        let body = ErrorStyle(path: path).body(message, status: status, requestID: id)
        var headers = headers
        headers.add(name: "X-Request-ID", value: id)
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        writeHead(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status.code), headers: headers))
        if head.method != .HEAD { writeBody(body) }
        let declared = head.headers.first(name: "Content-Length").flatMap(Int.init) ?? 0
        // A client that asked to send its body after a 100 Continue does not send it now: the
        // connection ends (with the data plane's lingering close) rather than wait for it.
        let awaitsContinue = head.headers.first(name: "Expect")?.lowercased() == "100-continue"
        let metrics = plane.metrics
        metrics.httpInFlight.add(1)  // ``RequestRecording/record`` counts the request out again
        metrics.activeTasks.add(1)
        RequestRecording.record(
            metrics,
            method: labels.method,
            route: labels.route,
            status: status.code,
            started: .now,
            sent: body.readableBytes,
            received: 0
        )
        finishAnswer(close: declared > plane.settings.maxBodyBytes || awaitsContinue)
    }
}

extension Optional where Wrapped == SocketAddress {
    /// Whether the peer is on this machine: 127.0.0.0/8, `::1`, or an IPv4-mapped loopback address.
    var isLoopback: Bool {
        guard let address = self?.ipAddress else { return false }
        if address.hasPrefix("127.") || address == "::1" { return true }
        return address.lowercased().hasPrefix("::ffff:127.")
    }
}
