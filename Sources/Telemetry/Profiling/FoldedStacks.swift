/// CPU samples as collapsed stacks, one line per distinct stack: `thread;root;...;leaf count`.
///
/// The format flame-graph tools (`flamegraph.pl`), speedscope and Pyroscope read. Built from the
/// text `perf script` prints for a `perf record -g` profile.
public struct FoldedStacks: Sendable, Hashable {
    /// Samples per stack, the stack written root first with `;` between frames.
    public var counts: [String: Int]

    public init(counts: [String: Int] = [:]) {
        self.counts = counts
    }

    /// All samples.
    public var samples: Int { counts.values.reduce(0, +) }

    /// One line per stack, the most sampled first (ties in name order), each ending in a newline.
    public var text: String {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.key) \($0.value)\n" }
            .joined()
    }

    /// Parses `perf script`'s default output.
    ///
    /// Each sample is a header line (`thread tid time: period event:`), then one frame per line,
    /// leaf first (`\t<address> <symbol>+0x<offset> (<object>)`), then a blank line. The thread
    /// name becomes the root frame, as `stackcollapse-perf.pl` does; a frame without a symbol is
    /// named after its object (`[libc.so.6]`). `demangle` turns a symbol into a readable name.
    public static func parse(perfScript text: String, demangle: (String) -> String = { $0 }) -> FoldedStacks {
        var stacks = FoldedStacks()
        var thread: String?
        var frames: [String] = []
        func flush() {
            if let thread {
                let stack = ([thread] + frames.reversed()).joined(separator: ";")
                stacks.counts[stack, default: 0] += 1
            }
            thread = nil
            frames.removeAll(keepingCapacity: true)
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) {
                flush()
            } else if line.first == "\t" || line.first == " " {
                if thread != nil, let frame = frame(line, demangle: demangle) { frames.append(frame) }
            } else {
                flush()
                thread = threadName(line)
            }
        }
        flush()
        return stacks
    }

    /// The thread name of a header line: the words before the thread id and the `time:` field.
    static func threadName(_ header: Substring) -> String {
        let words = header.split(separator: " ")
        guard let time = words.firstIndex(where: { $0.hasSuffix(":") && Double($0.dropLast()) != nil }), time >= 2
        else { return clean(String(words.first ?? "[unknown]")) }
        // Before the time: the tid (or pid/tid), and, with some perf options, a [cpu] field.
        var end = time - 1
        if words[end].hasPrefix("["), end >= 2 { end -= 1 }
        return clean(words[..<end].joined(separator: " "))
    }

    /// The name of one frame line, or nil for a line that is not a frame.
    static func frame(_ line: Substring, demangle: (String) -> String) -> String? {
        let trimmed = line.drop(while: \.isWhitespace)
        guard let space = trimmed.firstIndex(of: " ") else { return nil }
        var rest = trimmed[trimmed.index(after: space)...]
        var object = ""
        if rest.hasSuffix(")"), let open = lastStart(of: " (", in: rest) {
            object = String(rest[rest.index(open, offsetBy: 2)..<rest.index(before: rest.endIndex)])
            rest = rest[..<open]
        }
        if let plus = lastStart(of: "+0x", in: rest) { rest = rest[..<plus] }
        let symbol = String(rest)
        if symbol.isEmpty || symbol == "[unknown]" {
            let name = object.split(separator: "/").last.map(String.init) ?? "unknown"
            return "[\(name)]"
        }
        return clean(demangle(symbol))
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

    /// `;` separates frames and the last space separates the count, so a name keeps neither.
    static func clean(_ name: String) -> String {
        String(name.map { $0 == ";" ? ":" : ($0 == "\n" ? " " : $0) })
    }
}
