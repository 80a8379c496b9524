import Foundation
import OllamaAPI

/// Request bodies decoded the way Ollama's Go server reports problems, so clients see the same
/// 400 messages: `missing request body`, `invalid character ...`, `json: cannot unmarshal ...`.
enum BodyDecoding {
    /// Decodes `type` from `bytes`. Keys in `zeroValues` that the body lacks get those values, as
    /// Go leaves missing fields at their zero value instead of failing.
    ///
    /// - Parameter goName: the Go struct name used in type errors (`GenerateRequest`).
    static func decode<T: Decodable>(
        _ type: T.Type,
        goName: String,
        from bytes: [UInt8],
        zeroValues: JSONObject = ["model": ""]
    ) -> Result<T, ErrorResponse> {
        guard bytes.contains(where: { !Self.isSpace($0) }) else {
            return .failure(ErrorResponse(error: "missing request body"))
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            return .failure(ErrorResponse(error: syntaxMessage(bytes)))
        }
        guard var object = value.objectValue else {
            return .failure(ErrorResponse(error: "json: cannot unmarshal \(value.typeName) into Go value of type api.\(goName)"))
        }
        for (key, zero) in zeroValues where object[key] == nil || object[key] == .null {
            object[key] = zero
        }
        do {
            let data = try JSONEncoder().encode(object)
            return .success(try OllamaJSON.decode(T.self, from: data))
        } catch let DecodingError.typeMismatch(expected, context) {
            let path = context.codingPath.filter { $0.intValue == nil }.map(\.stringValue).joined(separator: ".")
            let actual = Self.value(at: context.codingPath, in: .object(object))?.typeName ?? "value"
            return .failure(
                ErrorResponse(
                    error: "json: cannot unmarshal \(actual) into Go struct field \(goName).\(path) of type \(goTypeName(expected))"
                )
            )
        } catch let DecodingError.valueNotFound(expected, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return .failure(
                ErrorResponse(error: "json: cannot unmarshal null into Go struct field \(goName).\(path) of type \(goTypeName(expected))")
            )
        } catch let DecodingError.keyNotFound(key, context) {
            let path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            return .failure(ErrorResponse(error: "\(path) is required"))
        } catch {
            return .failure(ErrorResponse(error: "invalid request body: \(error)"))
        }
    }

    /// Go's message for the first syntax error, for the two cases clients meet: a body that does
    /// not start like JSON, and one that ends too soon.
    static func syntaxMessage(_ bytes: [UInt8]) -> String {
        guard let first = bytes.first(where: { !isSpace($0) }) else { return "unexpected EOF" }
        let starts = Array("{[\"tfn-0123456789".utf8)
        if !starts.contains(first) {
            let character = String(decoding: [first], as: UTF8.self)
            return "invalid character '\(character)' looking for beginning of value"
        }
        return "unexpected EOF"
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func value(at path: [any CodingKey], in root: JSONValue) -> JSONValue? {
        var current: JSONValue? = root
        for key in path {
            if let index = key.intValue {
                current = current?.arrayValue.flatMap { index < $0.count ? $0[index] : nil }
            } else {
                current = current?.objectValue?[key.stringValue]
            }
        }
        return current
    }

    private static func goTypeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "String": return "string"
        case "Bool": return "bool"
        case "Int", "Int64": return "int"
        case "Double", "Float": return "float64"
        default:
            if name.hasPrefix("Array") { return "[]string" }
            if name.hasPrefix("Dictionary") { return "map[string]interface {}" }
            return name.lowercased()
        }
    }
}
