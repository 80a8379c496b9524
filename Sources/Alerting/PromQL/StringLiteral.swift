/// PromQL string literals: Go's quoting rules for `"…"` and `'…'`, no escapes in backquoted raw strings.
enum StringLiteral {
    /// The value of a quoted token (quotes included); throws on a bad escape.
    static func unquote(_ token: String, at position: (line: Int, column: Int)?) throws(PromQLError) -> String {
        var bytes = Array(token.utf8)
        guard bytes.count >= 2, let quote = bytes.first, bytes.last == quote else {
            throw .parse("error unquoting string \(GoQuote.quote(token))", at: position)
        }
        bytes = Array(bytes[1..<(bytes.count - 1)])
        if quote == UInt8(ascii: "`") { return String(decoding: bytes, as: UTF8.self) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        func fail(_ why: String) -> PromQLError {
            .parse("error unquoting string \(GoQuote.quote(token)): \(why)", at: position)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == quote { throw fail("invalid syntax") }
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                continue
            }
            guard index < bytes.count else { throw fail("invalid syntax") }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "a"): output.append(0x07)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "v"): output.append(0x0B)
            case UInt8(ascii: "\\"): output.append(0x5C)
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                guard escape == quote else { throw fail("invalid syntax") }
                output.append(escape)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard index + 1 < bytes.count + 0, index + 2 <= bytes.count else { throw fail("invalid syntax") }
                var value = UInt32(escape - 0x30)
                for _ in 0..<2 {
                    let digit = bytes[index]
                    guard digit >= 0x30 && digit <= 0x37 else { throw fail("invalid syntax") }
                    value = value * 8 + UInt32(digit - 0x30)
                    index += 1
                }
                guard value <= 255 else { throw fail("invalid syntax") }
                output.append(UInt8(value))
            case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let count = escape == UInt8(ascii: "x") ? 2 : escape == UInt8(ascii: "u") ? 4 : 8
                guard index + count <= bytes.count else { throw fail("invalid syntax") }
                let digits = String(decoding: bytes[index..<(index + count)], as: UTF8.self)
                guard let value = UInt32(digits, radix: 16) else { throw fail("invalid syntax") }
                index += count
                if escape == UInt8(ascii: "x") {
                    output.append(UInt8(value))
                } else {
                    guard let scalar = Unicode.Scalar(value) else { throw fail("invalid syntax") }
                    output.append(contentsOf: Array(String(Character(scalar)).utf8))
                }
            default:
                throw fail("invalid syntax")
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
