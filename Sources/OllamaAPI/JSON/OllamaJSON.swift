import Foundation

/// A wire type that keeps the JSON fields it does not model in `extra`.
///
/// Decode and encode such types through ``OllamaJSON`` so `extra` is filled and written back:
/// a gateway must pass through what a newer client sends even if this package predates it.
public protocol PreservesUnknownFields: Codable {
    /// The keys this type models; every other top-level key lands in `extra`.
    static var knownKeys: Set<String> { get }
    /// Fields present in the JSON that this type does not model.
    var extra: JSONObject { get set }
}

/// JSON coding with the conventions of the Ollama API: compact output with sorted keys (as Go sorts map keys), no escaped slashes,
/// and unknown fields preserved for ``PreservesUnknownFields`` types.
public enum OllamaJSON {
    /// Decodes `type` from `data`, keeping unknown top-level fields when the type preserves them.
    public static func decode<T: Decodable>(_ type: T.Type, from data: some DataProtocol) throws -> T {
        let bytes = Data(data)
        var value = try JSONDecoder().decode(T.self, from: bytes)
        if var preserving = value as? any PreservesUnknownFields {
            let object = try JSONDecoder().decode(JSONObject.self, from: bytes)
            preserving.extra = object.filter { !Self.knownKeys(of: preserving).contains($0.key) }
            if let updated = preserving as? T { value = updated }
        }
        return value
    }

    /// Encodes `value` as compact JSON, merging back its unknown fields if it has any.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let data = try encoder.encode(value)
        guard let preserving = value as? any PreservesUnknownFields, !preserving.extra.isEmpty else {
            return data
        }
        var object = try JSONDecoder().decode(JSONObject.self, from: data)
        for (key, field) in preserving.extra where object[key] == nil {
            object[key] = field
        }
        return try encoder.encode(object)
    }

    /// Encodes `value` followed by a newline: one NDJSON line.
    public static func encodeLine<T: Encodable>(_ value: T) throws -> Data {
        var data = try encode(value)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    private static func knownKeys(of value: some PreservesUnknownFields) -> Set<String> {
        type(of: value).knownKeys
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }
}
