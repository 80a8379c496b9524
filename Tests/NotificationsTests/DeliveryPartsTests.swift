import Foundation
import NIOCore
import NIOEmbedded
import Testing

@testable import Notifications

/// The pure parts of delivery: backoff, redaction, SMTP reply parsing.
@Suite struct DeliveryPartsTests {
    @Test func backoffDoublesFromOneSecondWithinItsJitter() {
        let policy = RetryPolicy()
        #expect(policy.attempts == 3)
        #expect(policy.timeout == .seconds(10))
        #expect((1...4).map { policy.backoff(afterAttempt: $0, random: 0.5) } == [.seconds(1), .seconds(2), .seconds(4), .seconds(8)])
        #expect(policy.backoff(afterAttempt: 1, random: 0) == .milliseconds(800))
        #expect(policy.backoff(afterAttempt: 3, random: 0.999_999) == .milliseconds(4800))
        #expect(policy.backoff(afterAttempt: 10, random: 0.5) == .seconds(30))
        #expect(RetryPolicy(initialBackoff: .zero).backoff(afterAttempt: 2, random: 0.9) == .zero)
        #expect(RetryPolicy(attempts: 0).attempts == 1)
    }

    @Test func theRedactorMasksSecretURLsAndTheirParts() {
        let redactor = Redactor([Secret("https://hooks.slack.com/services/T0/B1/XYZ?token=abc1234"), Secret("pw")])
        #expect(redactor.clean("posting https://hooks.slack.com/services/T0/B1/XYZ?token=abc1234 failed") == "posting <secret> failed")
        #expect(redactor.clean("no route for /services/T0/B1/XYZ") == "no route for <secret>")
        #expect(redactor.clean("bad query token=abc1234") == "bad query <secret>")
        #expect(redactor.clean("password pw") == "password <secret>")
    }

    @Test func smtpRepliesAreAssembledFromTheirLines() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
        try channel.writeInbound(
            ByteBuffer(string: "250-test-smtp\r\n250-SIZE 100\r\n250-AUTH=LOGIN\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n354 go on")
        )
        let ehlo = try #require(try channel.readInbound(as: SMTPReply.self))
        #expect(ehlo.code == 250)
        #expect(ehlo.lines == ["test-smtp", "SIZE 100", "AUTH=LOGIN", "AUTH PLAIN LOGIN", "STARTTLS"])
        #expect(ehlo.extensions == ["SIZE": ["100"], "AUTH": ["LOGIN", "PLAIN", "LOGIN"], "STARTTLS": []])
        #expect(try channel.readInbound(as: SMTPReply.self) == nil)
        try channel.writeInbound(ByteBuffer(string: "\r\n"))
        #expect(try channel.readInbound(as: SMTPReply.self) == SMTPReply(code: 354, lines: ["go on"]))
        #expect(throws: SMTPDecodingError.self) { try channel.writeInbound(ByteBuffer(string: "hello\r\n")) }
        _ = try? channel.finish()
    }
}
