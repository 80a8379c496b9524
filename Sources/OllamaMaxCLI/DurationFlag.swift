import OllamaAPI

/// The one parser for every duration flag (`--timeout 30s`, `--keep-alive 5m`, `--interval 2`).
///
/// Values are written as Ollama writes them (Go's `time.ParseDuration`: `500ms`, `30s`, `1h30m`;
/// a bare number is seconds). Errors name the flag, the value and an example.
enum DurationFlag {
    /// A duration greater than zero, or a ``CLIError`` naming `flag`.
    static func positive(_ text: String, flag: String) throws(CLIError) -> Duration {
        guard let seconds = GoDuration.parse(text), seconds > 0 else {
            throw .invalidInput("\(flag): \"\(text)\" is not a positive duration; write e.g. 500ms, 30s or 5m")
        }
        return .seconds(seconds)
    }

    /// Any duration, negative included (Ollama's `-1` for "forever"), or a ``CLIError`` naming `flag`.
    static func any(_ text: String, flag: String) throws(CLIError) -> Duration {
        guard let seconds = GoDuration.parse(text) else {
            throw .invalidInput("\(flag): \"\(text)\" is not a duration; use e.g. 5m, 30s, 1h30m or -1 (forever)")
        }
        return .seconds(seconds)
    }
}
