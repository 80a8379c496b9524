/// Splits a byte stream into NDJSON lines, whatever the chunk boundaries.
///
/// Feed it chunks as they arrive; each call returns the lines completed so far, without the
/// newline (and without a trailing `\r`). Blank lines are skipped. `finish()` returns a last
/// line that had no newline. The buffer is bounded: a line longer than `maxLineLength` throws
/// rather than growing without limit.
public struct NDJSONDecoder: Sendable {
    /// The longest line accepted, in bytes.
    public let maxLineLength: Int
    private var buffer: [UInt8] = []
    /// How far `buffer` has been searched for a newline, so a long line is scanned once.
    private var scanned = 0

    public init(maxLineLength: Int = 16 << 20) {
        self.maxLineLength = maxLineLength
    }

    /// Appends `bytes` and returns every line they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(FramingError) -> [[UInt8]] {
        buffer.append(contentsOf: bytes)
        var lines: [[UInt8]] = []
        var start = 0
        var index = scanned
        while index < buffer.count {
            if buffer[index] == UInt8(ascii: "\n") {
                appendLine(buffer[start..<index], to: &lines)
                start = index + 1
            }
            index += 1
        }
        if start > 0 { buffer.removeFirst(start) }
        scanned = buffer.count
        if buffer.count > maxLineLength {
            throw FramingError.lineTooLong(limit: maxLineLength)
        }
        return lines
    }

    /// Returns the last line if the stream ended without a newline, and resets the decoder.
    public mutating func finish() -> [UInt8]? {
        defer {
            buffer = []
            scanned = 0
        }
        var lines: [[UInt8]] = []
        appendLine(buffer[...], to: &lines)
        return lines.first
    }

    private func appendLine(_ line: ArraySlice<UInt8>, to lines: inout [[UInt8]]) {
        var line = line
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else { return }
        lines.append(Array(line))
    }
}

/// A stream that cannot be framed.
public enum FramingError: Error, Sendable, Hashable, CustomStringConvertible {
    case lineTooLong(limit: Int)

    public var description: String {
        switch self {
        case .lineTooLong(let limit): "a stream line is longer than \(limit) bytes"
        }
    }
}
