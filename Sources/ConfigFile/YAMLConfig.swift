import Foundation
import Yams

/// A configuration problem, with a message that names the input, the key and the fix.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// The keys a YAML document may have, so a misspelt key is an error instead of being ignored.
public indirect enum KeySchema: Sendable {
    /// A mapping with these keys.
    case map([String: KeySchema])
    /// A list whose elements follow the schema.
    case list(KeySchema)
    /// Any value; its type is checked by decoding.
    case value

    /// A mapping whose keys all hold plain values.
    public static func keys(_ names: [String]) -> KeySchema {
        .map(Dictionary(uniqueKeysWithValues: names.map { ($0, .value) }))
    }
}

/// Reading YAML configuration files with errors that point at the key.
public enum YAMLConfig {
    /// Reads `path` and decodes it after checking its keys against `schema`.
    public static func load<T: Decodable>(_ type: T.Type, path: String, schema: KeySchema, empty: T) throws(ConfigError) -> T {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError("\(path): cannot read the file (\(error.localizedDescription))")
        }
        return try parse(type, text: text, source: path, schema: schema, empty: empty)
    }

    /// Decodes YAML `text`; `source` names it in errors; an empty document gives `empty`.
    public static func parse<T: Decodable>(
        _ type: T.Type,
        text: String,
        source: String,
        schema: KeySchema,
        empty: T
    )
        throws(ConfigError) -> T
    {
        let tree: Any?
        do {
            tree = try Yams.load(yaml: text)
        } catch {
            throw ConfigError("\(source): not valid YAML: \(error)")
        }
        guard let tree else { return empty }
        guard tree is [String: Any] else {
            throw ConfigError("\(source): the top level must be a mapping of settings (key: value lines)")
        }
        try check(tree, against: schema, at: "", source: source)
        do {
            return try YAMLDecoder().decode(T.self, from: text)
        } catch let error as DecodingError {
            throw ConfigError("\(source): \(describe(error))")
        } catch {
            throw ConfigError("\(source): \(error)")
        }
    }

    private static func check(
        _ node: Any,
        against schema: KeySchema,
        at path: String,
        source: String
    )
        throws(ConfigError)
    {
        switch schema {
        case .value:
            return
        case .list(let element):
            guard let list = node as? [Any] else { return }  // the decoder reports the type
            for (index, item) in list.enumerated() {
                try check(item, against: element, at: "\(path)[\(index)]", source: source)
            }
        case .map(let keys):
            guard let map = node as? [String: Any] else {
                throw ConfigError("\(source): \(path.isEmpty ? "top level" : path): must be a mapping of keys")
            }
            for key in map.keys.sorted() {
                let full = path.isEmpty ? key : "\(path).\(key)"
                guard let child = keys[key] else {
                    throw ConfigError(
                        "\(source): unknown key \"\(full)\"; known keys here: \(keys.keys.sorted().joined(separator: ", "))"
                    )
                }
                if let value = map[key] { try check(value, against: child, at: full, source: source) }
            }
        }
    }

    /// `models[0].decode_tokens_per_second: expected a number`.
    public static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(typeWord(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): missing \(typeWord(type))"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeWord(_ type: Any.Type) -> String {
        switch String(describing: type) {
        case "Int", "Int64", "UInt64": "an integer"
        case "Double": "a number"
        case "String": "a string"
        case "Bool": "true or false"
        default: "a value of type \(type)"
        }
    }
}
