import Foundation

/// What one soak request came to.
public enum SoakOutcome: String, Sendable, Codable, CaseIterable {
    /// The stream ended with its `done: true` line.
    case completed
    /// An HTTP error status, or an error line in the stream: the client learnt what went wrong.
    case cleanError = "clean_error"
    /// No byte for longer than the client timeout: the client gave up.
    case hang
    /// The connection was reset or closed before the stream's end (and without an error line).
    case reset
    /// Still running when the soak stopped (Ctrl-C, or the drain bound).
    case interrupted
}

/// Reads one Ollama NDJSON stream line by line and judges it. Pure: bytes in, a verdict out.
///
/// A line that is not a JSON object counts as malformed. A cut last line (bytes after the last
/// newline when the connection ends) is not judged: the outcome (a reset) already says it.
struct SoakStreamJudge {
    private var pending: [UInt8] = []
    /// Lines that were not a JSON object.
    private(set) var malformedLines = 0
    /// Whether a `done: true` line arrived.
    private(set) var sawDone = false
    /// The first error line's message, if any.
    private(set) var errorMessage: String?

    /// Takes the next bytes of the body.
    mutating func feed(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                judge(pending)
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
            }
        }
    }

    /// The outcome when the body ended normally.
    func ended() -> SoakOutcome {
        if errorMessage != nil { return .cleanError }
        return sawDone && pending.isEmpty ? .completed : .reset
    }

    /// The outcome when reading failed with `failure` (a timeout is a hang, anything else a
    /// reset), unless the stream had already ended or carried an error line.
    func failed(timedOut: Bool) -> SoakOutcome {
        if errorMessage != nil { return .cleanError }
        if sawDone { return .completed }
        return timedOut ? .hang : .reset
    }

    private mutating func judge(_ line: [UInt8]) {
        guard !line.isEmpty else { return }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
            malformedLines += 1
            return
        }
        if let error = object["error"], errorMessage == nil {
            errorMessage = (error as? String) ?? "\(error)"
        }
        if object["done"] as? Bool == true { sawDone = true }
    }
}
