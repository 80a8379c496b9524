import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends one mail through an SMTP relay (RFC 5321): greeting, EHLO, STARTTLS (RFC 3207) with
/// certificate verification, AUTH PLAIN or LOGIN (RFC 4954), MAIL FROM, RCPT TO for each
/// recipient, DATA with dot-stuffing, QUIT.
///
/// STARTTLS is used whenever the relay offers it, and its absence is an error when
/// `require_tls` is set. AUTH is refused on an unencrypted connection unless the relay is on
/// loopback, so a password never crosses a network in clear text. Errors name the relay, the
/// step and the reply code and text; never the password.
struct SMTPClient: Sendable {
    let group: any EventLoopGroup

    init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.group = group
    }

    /// Delivers `message` (a whole MIME message) with `settings`, within `timeout` in all.
    func send(_ message: String, settings: EmailSettings, timeout: Duration) async throws(DeliveryError) {
        let relay = settings.smarthost
        let limit = TimeAmount.nanoseconds(Int64(timeout.timeInterval * 1e9))
        let loop = group.next()
        let greeting = loop.makePromise(of: SMTPReply.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(limit)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers(
                            ByteToMessageHandler(SMTPReplyDecoder()),
                            SMTPClientHandler(greeting: greeting)
                        )
                    }
                }
                .connect(host: relay.host, port: relay.port)
                .get()
        } catch {
            greeting.fail(error)
            throw .transport("smtp \(relay): cannot connect (\(ErrorText.describe(error))); check smarthost and that the relay is up")
        }
        let deadline = ContinuousClock.now + timeout
        let timer = channel.eventLoop.scheduleTask(in: limit) { channel.close(promise: nil) }
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        let session = SMTPSession(channel: channel, relay: relay, deadline: deadline, timeout: timeout, greeting: greeting.futureResult)
        do {
            try await withTaskCancellationHandler {
                try await session.run(message, settings: settings)
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch let error as DeliveryError {
            throw error
        } catch {
            throw .transport("smtp \(relay): \(ErrorText.describe(error))")
        }
    }
}

/// One SMTP conversation on a connected channel.
struct SMTPSession: Sendable {
    let channel: any Channel
    let relay: Smarthost
    let deadline: ContinuousClock.Instant
    let timeout: Duration
    let greeting: EventLoopFuture<SMTPReply>

    func run(_ message: String, settings: EmailSettings) async throws {
        let welcome = try await reply(to: "the greeting") { greeting }
        guard welcome.code == 220 else { throw DeliveryError.smtp(relay, step: "the greeting", reply: welcome) }
        var extensions = try await hello(settings.hello)
        var encrypted = false
        if extensions["STARTTLS"] != nil {
            try await expect("STARTTLS", step: "STARTTLS", codes: [220])
            try await startTLS(settings)
            encrypted = true
            extensions = try await hello(settings.hello)
        } else if settings.requireTLS {
            throw DeliveryError.smtpProtocol(
                relay,
                "the relay does not offer STARTTLS and require_tls is true; enable STARTTLS on the relay, "
                    + "or set require_tls: false to send without encryption"
            )
        }
        if let username = settings.authUsername {
            try await authenticate(username, password: settings.authPassword?.revealed ?? "", extensions: extensions, encrypted: encrypted)
        }
        try await expect("MAIL FROM:<\(settings.from.address)>", step: "MAIL FROM <\(settings.from.address)>", codes: [250])
        for recipient in settings.to {
            try await expect("RCPT TO:<\(recipient.address)>", step: "RCPT TO <\(recipient.address)>", codes: [250, 251])
        }
        try await expect("DATA", step: "DATA", codes: [354])
        try await expect(SMTPData.stuffed(message) + ".", step: "the end of the message data", codes: [250])
        // The mail is accepted; a relay that drops the line before answering QUIT changes nothing.
        _ = try? await exchange("QUIT", step: "QUIT")
    }

    /// EHLO, falling back to HELO (no extensions) for a relay that does not know EHLO.
    private func hello(_ name: String) async throws -> [String: [String]] {
        let reply = try await exchange("EHLO \(name)", step: "EHLO")
        if reply.code == 250 { return reply.extensions }
        try await expect("HELO \(name)", step: "HELO (after EHLO was refused with \(reply.code) \(reply.text))", codes: [250])
        return [:]
    }

    private func authenticate(_ username: String, password: String, extensions: [String: [String]], encrypted: Bool) async throws {
        guard encrypted || Self.isLoopback(relay.host) else {
            throw DeliveryError.smtpProtocol(
                relay,
                "AUTH over an unencrypted connection would send the password in clear text; enable STARTTLS on the relay"
            )
        }
        let mechanisms = extensions["AUTH"] ?? []
        if mechanisms.contains("PLAIN") {
            let token = Data(([0] + Array(username.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            try await expect("AUTH PLAIN \(token)", step: "AUTH PLAIN as \(username)", codes: [235])
        } else if mechanisms.contains("LOGIN") {
            try await expect("AUTH LOGIN", step: "AUTH LOGIN", codes: [334])
            try await expect(Data(username.utf8).base64EncodedString(), step: "AUTH LOGIN user name \(username)", codes: [334])
            try await expect(Data(password.utf8).base64EncodedString(), step: "AUTH LOGIN password for \(username)", codes: [235])
        } else if mechanisms.isEmpty {
            throw DeliveryError.smtpProtocol(
                relay,
                "auth_username is set but the relay offers no AUTH; remove auth_username or enable AUTH on the relay"
            )
        } else {
            throw DeliveryError.smtpProtocol(
                relay,
                "the relay offers AUTH \(mechanisms.joined(separator: " ")) but neither PLAIN nor LOGIN; enable one of them"
            )
        }
    }

    private func startTLS(_ settings: EmailSettings) async throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile = settings.tls.caFile { configuration.additionalTrustRoots = [.file(caFile)] }
        if settings.tls.insecureSkipVerify { configuration.certificateVerification = .none }
        let serverName = settings.tls.serverName ?? (Self.isIPAddress(relay.host) ? nil : relay.host)
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw DeliveryError.smtpProtocol(relay, "cannot set up TLS (\(ErrorText.describe(error))); check tls_config.ca_file")
        }
        let channel = self.channel
        let handshake = channel.eventLoop.makePromise(of: Void.self)
        do {
            try await channel.eventLoop.submit {
                let tls = try NIOSSLClientHandler(context: context, serverHostname: serverName)
                try channel.pipeline.syncOperations.addHandler(tls, position: .first)
                try channel.pipeline.syncOperations.addHandler(TLSHandshakeWatcher(handshake), position: .after(tls))
            }.get()
        } catch {
            handshake.fail(error)
        }
        do {
            try await handshake.futureResult.get()
        } catch {
            if ContinuousClock.now >= deadline { throw DeliveryError.timeout(timeout, during: "smtp \(relay): the TLS handshake") }
            throw DeliveryError.transport("smtp \(relay): the TLS handshake after STARTTLS failed: \(ErrorText.describe(error))")
        }
    }

    /// Sends `line` and requires a reply with one of `codes`.
    @discardableResult
    private func expect(_ line: String, step: String, codes: Set<Int>) async throws -> SMTPReply {
        let reply = try await exchange(line, step: step)
        guard codes.contains(reply.code) else { throw DeliveryError.smtp(relay, step: step, reply: reply) }
        return reply
    }

    /// Sends `line` with CRLF and waits for the reply.
    private func exchange(_ line: String, step: String) async throws -> SMTPReply {
        let channel = self.channel
        return try await reply(to: step) {
            let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
            // A write that fails before it reaches the handler (the channel is gone) fails the
            // reply once the channel has closed, after the handler failed it with the real cause.
            channel.writeAndFlush(SMTPRequest(bytes: ByteBuffer(string: line + "\r\n"), reply: promise)).whenFailure { error in
                channel.closeFuture.whenComplete { _ in promise.fail(error) }
            }
            return promise.futureResult
        }
    }

    /// The reply `start` leads to, with failures described as failures of `step`.
    private func reply(to step: String, _ start: () -> EventLoopFuture<SMTPReply>) async throws -> SMTPReply {
        do {
            return try await start().get()
        } catch {
            if ContinuousClock.now >= deadline { throw DeliveryError.timeout(timeout, during: "smtp \(relay): \(step)") }
            throw DeliveryError.transport("smtp \(relay): \(step) failed: \(ErrorText.describe(error))")
        }
    }

    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || (!host.isEmpty && host.allSatisfy { $0.isNumber || $0 == "." })
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// The DATA section of an SMTP transaction (RFC 5321 §4.5.2).
enum SMTPData {
    /// `message` with CRLF line breaks, every line that starts with `.` given another `.`, and
    /// a final CRLF, ready for the terminating `.` line.
    static func stuffed(_ message: String) -> String {
        var lines = MIMEText.normalizedLines(message)
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n") + "\r\n"
    }
}
