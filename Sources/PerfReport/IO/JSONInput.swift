import Foundation

/// Turns Foundation's JSON failures into messages that say what is wrong with which file.
enum JSONInput {
    /// Parses `data` as JSON, throwing a message that tells truncated files from non-JSON ones.
    static func object(_ data: Data, source: String) throws(ReportError) -> Any {
        guard let first = data.first(where: { !InputFormat.isWhitespace($0) }) else {
            throw .notJSON(source, detail: "the file is empty")
        }
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            throw .notJSON(source, detail: "expected \"{\" or \"[\" but the file starts with \(ReportError.quoted(prefix(of: data)))")
        }
        do {
            return try JSONSerialization.jsonObject(with: data)
        } catch {
            if isTruncated(data) { throw .truncated(source) }
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw .notJSON(source, detail: detail ?? "syntax error")
        }
    }

    /// Decodes `type` from `data`, which ``object(_:source:)`` has already checked is JSON.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, source: String) throws(ReportError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw describe(error, source: source)
        } catch {
            throw .notJSON(source, detail: "\(error)")
        }
    }

    /// True when every bracket opened outside strings is still open at the end, or a string is
    /// unterminated: the signature of a file cut off mid-write.
    static func isTruncated(_ data: Data) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return inString || depth > 0
    }

    /// Maps a decoding failure to `file: at benchmarks[0].metrics[1]: missing key "unit"`.
    static func describe(_ error: DecodingError, source: String) -> ReportError {
        switch error {
        case .keyNotFound(let key, let context):
            return .badStructure(source, path: path(context.codingPath), problem: "missing key \(ReportError.quoted(key.stringValue))")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return .badStructure(source, path: path(context.codingPath), problem: "expected \(typeName(type))")
        case .dataCorrupted(let context):
            return .badStructure(source, path: path(context.codingPath), problem: context.debugDescription)
        @unknown default:
            return .badStructure(source, path: "", problem: "\(error)")
        }
    }

    /// A coding path as `benchmarks[0].metrics[1].unit`.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Double.Type: return "a number"
        case is [Any].Type: return "an array"
        default: return "a value of type \(type)"
        }
    }

    private static func prefix(of data: Data) -> String {
        let text = String(decoding: data.prefix(40), as: UTF8.self)
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return firstLine.trimmingCharacters(in: .whitespaces)
    }
}
