/// Why one attempt to deliver a notification failed, in words that name the step and the
/// answer but never a URL, a password or a key.
public struct DeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case status(Int)
        case transport
        case timeout
        case smtpReply(Int)
        case smtpProtocol
        case render
    }

    private let code: Code
    /// What went wrong and, where it helps, what to do.
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// Whether another attempt may succeed: transport failures, timeouts, HTTP 5xx, 408 and 429,
    /// and SMTP's transient 4xx replies. Other HTTP 4xx and SMTP 5xx answers are final.
    public var isRetryable: Bool {
        switch code {
        case .status(let status): status >= 500 || status == 408 || status == 429
        case .transport, .timeout: true
        case .smtpReply(let reply): (400..<500).contains(reply)
        case .smtpProtocol, .render: false
        }
    }

    /// The HTTP status of a rejected post, if that is what failed.
    public var httpStatus: Int? {
        if case .status(let status) = code { return status }
        return nil
    }

    /// The SMTP reply code of a refused step, if that is what failed.
    public var smtpCode: Int? {
        if case .smtpReply(let reply) = code { return reply }
        return nil
    }

    /// The endpoint answered a status outside 2xx; `body` is the start of its answer.
    static func status(_ status: Int, body: String) -> DeliveryError {
        let answer = body.isEmpty ? "" : ": \(body)"
        return DeliveryError(.status(status), "the endpoint answered HTTP \(status)\(answer)")
    }

    /// The connection failed or broke.
    static func transport(_ what: String) -> DeliveryError {
        DeliveryError(.transport, what)
    }

    /// No answer within `limit`.
    static func timeout(_ limit: Duration, during step: String) -> DeliveryError {
        DeliveryError(.timeout, "no answer within \(DurationText.format(limit)) (\(step)); check that the endpoint is up and reachable")
    }

    /// The SMTP server refused `step` with `reply`.
    static func smtp(_ relay: Smarthost, step: String, reply: SMTPReply) -> DeliveryError {
        DeliveryError(.smtpReply(reply.code), "smtp \(relay): \(step) was refused: \(reply.code) \(reply.text)")
    }

    /// The SMTP exchange cannot go on (a missing extension, an unreadable reply).
    static func smtpProtocol(_ relay: Smarthost, _ what: String) -> DeliveryError {
        DeliveryError(.smtpProtocol, "smtp \(relay): \(what)")
    }

    /// The payload could not be made.
    static func render(_ what: String) -> DeliveryError {
        DeliveryError(.render, "the message could not be made: \(what)")
    }

    /// The same error with every secret in its text replaced by ``Secret/mask``.
    func redacted(by redactor: Redactor) -> DeliveryError {
        DeliveryError(code, redactor.clean(description))
    }
}
