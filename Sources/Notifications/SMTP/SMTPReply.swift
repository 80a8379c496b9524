import Foundation
import NIOCore

/// One SMTP reply (RFC 5321 §4.2): a three-digit code and its lines of text.
struct SMTPReply: Sendable, Hashable {
    /// The reply code: 2xx done, 3xx go on, 4xx transient failure, 5xx permanent failure.
    let code: Int
    /// The text of each line, without the code.
    let lines: [String]

    /// The lines joined by spaces.
    var text: String { lines.joined(separator: " ") }

    /// Whether the code says the step succeeded (2xx) or may go on (3xx).
    var isPositive: Bool { (200..<400).contains(code) }

    /// The extensions an EHLO reply announces, upper-cased keyword first: `["STARTTLS": [],
    /// "AUTH": ["PLAIN", "LOGIN"]]`. The first line is the greeting and is skipped.
    var extensions: [String: [String]] {
        var found: [String: [String]] = [:]
        for line in lines.dropFirst() {
            // "AUTH=LOGIN PLAIN" is an old spelling of "AUTH LOGIN PLAIN".
            let words = line.replacingOccurrences(of: "=", with: " ").split(separator: " ").map { $0.uppercased() }
            guard let keyword = words.first else { continue }
            found[keyword, default: []] += words.dropFirst()
        }
        return found
    }
}

/// Splits the byte stream from an SMTP server into replies: lines `NNN-text` continue a reply,
/// a line `NNN text` (or just `NNN`) ends it.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// The longest line accepted (RFC 5321 allows 512 octets; servers send longer banners).
    static let maximumLineLength = 4096
    /// The most lines one reply may have.
    static let maximumLines = 256

    private var lines: [String] = []
    private var code: Int?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineLength { throw SMTPDecodingError("a reply line longer than \(Self.maximumLineLength) bytes") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard var line = buffer.readString(length: length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, let lineCode = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200..<600).contains(lineCode) else {
            throw SMTPDecodingError("a reply line that does not start with a reply code: \(String(line.prefix(80)))")
        }
        if let code, code != lineCode { throw SMTPDecodingError("reply lines with different codes (\(code) then \(lineCode))") }
        code = lineCode
        let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard lines.count <= Self.maximumLines else { throw SMTPDecodingError("a reply of more than \(Self.maximumLines) lines") }
        if separator == UInt8(ascii: "-") { return .continue }
        context.fireChannelRead(wrapInboundOut(SMTPReply(code: lineCode, lines: lines)))
        lines = []
        code = nil
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue, buffer.readableBytes > 0 {}
        return .needMoreData
    }
}

/// The server sent something that is not an SMTP reply.
struct SMTPDecodingError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = "the server's answer is not SMTP: \(description)"
    }
}
