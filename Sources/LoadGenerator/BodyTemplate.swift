import NIOCore

/// A request body with the prompt left out: the JSON before and after the prompt's string, so
/// that a request's body is two copies and one escaped string instead of a `JSONEncoder` run
/// (which was a sixth of the load generator's CPU per request).
struct BodyTemplate {
    private let prefix: [UInt8]
    private let suffix: [UInt8]

    /// The template of `target`'s bodies with `maxTokens`; nil when the encoded body does not
    /// hold the prompt's string exactly once (then each body is encoded whole).
    init?(target: LoadTarget, maxTokens: Int?) {
        let marker = "ollamamax-load-prompt-4f9c2e"
        let whole = Array(target.body(prompt: marker, maxTokens: maxTokens))
        let quoted = Array("\"\(marker)\"".utf8)
        guard let found = whole.firstRange(of: quoted), whole[found.upperBound...].firstRange(of: quoted) == nil else {
            return nil
        }
        prefix = Array(whole[..<found.lowerBound])
        suffix = Array(whole[found.upperBound...])
    }

    /// The body for `prompt`.
    func body(prompt: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(prefix.count + suffix.count + prompt.utf8.count + 8)
        buffer.writeBytes(prefix)
        Self.writeJSONString(prompt, into: &buffer)
        buffer.writeBytes(suffix)
        return buffer
    }

    /// Writes `string` as a JSON string (RFC 8259 §7): quotation mark, reverse solidus and the
    /// control characters escaped, everything else as its UTF-8 bytes.
    static func writeJSONString(_ string: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        if !string.utf8.contains(where: needsEscape) {
            buffer.writeString(string)
        } else {
            let hex = Array("0123456789abcdef".utf8)
            for byte in string.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    buffer.writeInteger(UInt8(ascii: "\\"))
                    buffer.writeInteger(byte)
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                case 0x09: buffer.writeStaticString("\\t")
                case ..<0x20:
                    buffer.writeStaticString("\\u00")
                    buffer.writeInteger(hex[Int(byte >> 4)])
                    buffer.writeInteger(hex[Int(byte & 0x0F)])
                default:
                    buffer.writeInteger(byte)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }
}
