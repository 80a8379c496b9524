import NIOCore

/// Finds the chunks of a streamed answer that carry tokens, on routes whose streams also have
/// events without any (the time to first token and the gaps between tokens are measured on
/// token chunks only).
///
/// On the Ollama and OpenAI chat routes every chunk carries a token, and no finder is used. The
/// Anthropic Messages stream starts with `message_start` (Ollama sends it with the first token,
/// another server may send it at once) and has `content_block_start`/`_stop`, `message_delta`
/// and `ping` events; its tokens are `content_block_delta` events (text, thinking and tool input
/// alike). The Responses stream starts with `response.created` and `response.in_progress`; its
/// tokens are the events whose name ends in `.delta` (`response.output_text.delta`, the reasoning
/// and function-call argument deltas).
///
/// A chunk is a token chunk when it holds the event's name followed by a line end: an `event:`
/// line, since a line end never occurs raw inside a JSON `data:` line, so answer text that
/// mentions the name does not count. A name split across two reads is still found (the match
/// carries over). A byte search with no allocation: bytes are skipped to the name's first byte.
struct ContentDeltas: Sendable {
    private let name: StaticString
    /// How many bytes of `name` (and then its line end) the last chunk ended with.
    private var matched = 0

    /// Anthropic's content delta event.
    static let anthropic = ContentDeltas(name: "content_block_delta")
    /// The Responses delta events: every name ending in `.delta`.
    static let responses = ContentDeltas(name: ".delta")

    private init(name: StaticString) {
        self.name = name
    }

    /// The finder for a route's answers, nil where every chunk is a token.
    static func of(_ style: ErrorStyle) -> ContentDeltas? {
        switch style {
        case .anthropic: anthropic
        case .responses: responses
        case .ollama, .openAI: nil
        }
    }

    /// Whether `chunk` completes at least one token event.
    mutating func carriesTokens(_ chunk: ByteBuffer) -> Bool {
        chunk.withUnsafeReadableBytes { bytes in
            name.withUTF8Buffer { name in scan(bytes, name) }
        }
    }

    private mutating func scan(_ bytes: UnsafeRawBufferPointer, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        var found = false
        var index = 0
        let first = name[0]
        while index < bytes.count {
            if matched == 0 {
                // Skip to the next byte that can start the name.
                while index < bytes.count, bytes[index] != first { index += 1 }
                guard index < bytes.count else { break }
            }
            let byte = bytes[index]
            if matched == name.count {
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { found = true }
                matched = byte == first ? 1 : 0
            } else if byte == name[matched] {
                matched += 1
            } else {
                matched = byte == first ? 1 : 0
            }
            index += 1
        }
        return found
    }
}
