/// The samples of `perf script`'s default output for a `perf record -g` profile.
///
/// Each sample is a header line (`thread tid time: period event:`), then one frame per line,
/// leaf first (`\t<address> <symbol>+0x<offset> (<object>)`), then a blank line.
public enum PerfScript {
    /// One sample: the thread it ran on and its stack, leaf first.
    public struct Sample: Sendable, Hashable {
        public var thread: String
        public var frames: [Frame]

        public init(thread: String, frames: [Frame]) {
            self.thread = thread
            self.frames = frames
        }
    }

    /// One frame as perf printed it.
    public struct Frame: Sendable, Hashable {
        public var address: UInt64
        /// The symbol (mangled for Swift), nil when perf had none (`[unknown]`).
        public var symbol: String?
        /// The binary or library, as perf printed it (a path, `[kernel.kallsyms]`, or "").
        public var object: String

        public init(address: UInt64, symbol: String?, object: String) {
            self.address = address
            self.symbol = symbol
            self.object = object
        }
    }

    /// Every sample of `text`, in order. Lines before the first header and lines that are not
    /// frames are skipped.
    public static func samples(_ text: String) -> [Sample] {
        var samples: [Sample] = []
        var thread: String?
        var frames: [Frame] = []
        func flush() {
            if let thread { samples.append(Sample(thread: thread, frames: frames)) }
            thread = nil
            frames.removeAll(keepingCapacity: true)
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) {
                flush()
            } else if line.first == "\t" || line.first == " " {
                if thread != nil, let frame = frame(line) { frames.append(frame) }
            } else {
                flush()
                thread = threadName(line)
            }
        }
        flush()
        return samples
    }

    /// The thread name of a header line: the words before the thread id and the `time:` field.
    static func threadName(_ header: Substring) -> String {
        let words = header.split(separator: " ")
        guard let time = words.firstIndex(where: { $0.hasSuffix(":") && Double($0.dropLast()) != nil }), time >= 2
        else { return String(words.first ?? "[unknown]") }
        // Before the time: the tid (or pid/tid), and, with some perf options, a [cpu] field.
        var end = time - 1
        if words[end].hasPrefix("["), end >= 2 { end -= 1 }
        return words[..<end].joined(separator: " ")
    }

    /// One frame line, or nil for a line that is not a frame.
    static func frame(_ line: Substring) -> Frame? {
        let trimmed = line.drop(while: \.isWhitespace)
        guard let space = trimmed.firstIndex(of: " ") else { return nil }
        let address = UInt64(trimmed[..<space], radix: 16) ?? 0
        var rest = trimmed[trimmed.index(after: space)...]
        var object = ""
        if rest.hasSuffix(")"), let open = lastStart(of: " (", in: rest) {
            object = String(rest[rest.index(open, offsetBy: 2)..<rest.index(before: rest.endIndex)])
            rest = rest[..<open]
        }
        if let plus = lastStart(of: "+0x", in: rest) { rest = rest[..<plus] }
        let symbol = rest.isEmpty || rest == "[unknown]" ? nil : String(rest)
        return Frame(address: address, symbol: symbol, object: object)
    }

    /// Where the last `needle` in `text` starts.
    static func lastStart(of needle: String, in text: Substring) -> String.Index? {
        var index = text.endIndex
        while index > text.startIndex {
            index = text.index(before: index)
            if text[index...].hasPrefix(needle) { return index }
        }
        return nil
    }
}

extension PerfScript.Frame {
    /// The frame's readable name: its symbol through `demangle`, or `[object]` (the object's
    /// file name) without one, as flame-graph tools name such frames.
    public func name(demangle: (String) -> String) -> String {
        guard let symbol else {
            let file = object.split(separator: "/").last.map(String.init) ?? "unknown"
            return "[\(file)]"
        }
        return demangle(symbol)
    }
}
