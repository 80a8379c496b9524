import Foundation

/// The encodings a mail needs: quoted-printable bodies (RFC 2045), encoded-word headers
/// (RFC 2047), folded header lines (RFC 5322), and HTML escapes.
enum MIMEText {
    /// `text` as quoted-printable with CRLF line breaks: lines of at most 76 characters, soft
    /// breaks (`=` at the end) where longer, `=`, control and non-ASCII bytes as `=XX`, and
    /// trailing spaces encoded so no relay strips them.
    static func quotedPrintable(_ text: String) -> String {
        let lines = normalizedLines(text)
        var out: [String] = []
        for line in lines {
            var encoded = ""
            var lineLength = 0
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast)
                let piece = literal ? String(UnicodeScalar(byte)) : "=" + hex(byte)
                if lineLength + piece.count > 75 {
                    encoded += "=\r\n"
                    lineLength = 0
                }
                encoded += piece
                lineLength += piece.count
            }
            out.append(encoded)
        }
        return out.joined(separator: "\r\n")
    }

    /// Reads quoted-printable back (for tests and checks): soft breaks joined, `=XX` decoded.
    static func decodeQuotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        let source = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var index = 0
        while index < source.count {
            if source[index] == 61, index + 2 < source.count,
                let value = UInt8(String(decoding: source[index + 1...index + 2], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A header value: line breaks removed (so no value can add a header), non-ASCII text as
    /// UTF-8 base64 encoded words.
    static func headerValue(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        guard flat.unicodeScalars.contains(where: { !$0.isASCII || $0.value < 32 }) else { return flat }
        // Each encoded word at most 75 characters: 45 bytes of UTF-8 become 60 of base64, whole
        // characters only.
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in flat {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// `Name: value` folded at spaces so lines stay under 78 characters where they can.
    static func header(_ name: String, _ value: String) -> String {
        let line = "\(name): \(value)"
        guard line.count > 78, !value.contains("\r\n") else { return line }
        var out = ""
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty && current.count + 1 + word.count > 78 {
                out += current + "\r\n"
                current = " " + word
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        return out + current
    }

    /// `text` safe inside HTML elements and attribute values.
    static func escapeHTML(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// The lines of `text`, whichever line breaks it used.
    static func normalizedLines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }
}
