import Foundation
import OllamaAPI

/// The message of an error answer or error event, in whichever API's shape it came: Ollama's
/// `{"error":"M"}`, OpenAI's `{"error":{"message":"M"}}`, Anthropic's
/// `{"type":"error","error":{"type":T,"message":"M"}}`, a Responses `error` event's
/// `{"type":"error","message":"M"}` or `response.failed`'s `{"response":{"error":{"message":"M"}}}`.
enum ErrorText {
    /// The longest message kept: an error page is not a message.
    static let limit = 300

    /// The message in `bytes`, else the bytes themselves as text (trimmed, at most ``limit`` characters).
    static func message(in bytes: some Collection<UInt8>) -> String {
        if let object = try? JSONDecoder().decode(JSONObject.self, from: Data(bytes)) {
            let error = object["error"]
            let candidates = [
                error?.stringValue, error?.objectValue?["message"]?.stringValue, object["message"]?.stringValue,
                object["response"]?.objectValue?["error"]?.objectValue?["message"]?.stringValue,
            ]
            if let found = candidates.compactMap({ $0 }).first { return clipped(found) }
        }
        return clipped(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The `type` of an event's JSON data, for an event sent without an `event:` line.
    static func type(in data: String) -> String? {
        (try? JSONDecoder().decode(JSONObject.self, from: Data(data.utf8)))?["type"]?.stringValue
    }

    private static func clipped(_ text: String) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
