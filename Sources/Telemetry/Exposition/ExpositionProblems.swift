extension Exposition {
    /// Everything wrong with a body that `promtool check metrics` does not catch, as
    /// sentences naming the line and the family or series. An empty array means clean.
    ///
    /// Reported: parse errors (every bad line, not just the first), CRLF line endings, a
    /// body not ending in `\n`, a TYPE line repeated or after samples of its family, a
    /// repeated HELP line, families whose samples are not contiguous, duplicate series,
    /// reserved `__` label names, and histogram series with buckets out of `le` order,
    /// non-cumulative counts, no `le="+Inf"` bucket, `+Inf` ≠ `_count`, or no
    /// `_sum`/`_count` (summaries: no `_sum`/`_count`). An empty body is clean.
    public static func problems(in text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var found: [(line: Int, message: String)] = []
        var bytes = Array(text.utf8)
        if bytes.last != UInt8(ascii: "\n") {
            found.append((.max, "body does not end with a newline: the last line needs a trailing \\n too"))
        }
        if hasCRLF(bytes) {
            found.append((0, "body uses CRLF (\\r\\n) line endings; the text format needs plain \\n"))
            // Checked once here; stripping \r keeps every line from also failing to lex.
            bytes = stripCRBeforeLF(bytes)
        }
        var lines: [NumberedLine] = []
        for raw in RawLine.split(String(decoding: bytes, as: UTF8.self)) {
            switch LineLexer.lex(raw) {
            case .success(let line): lines.append(NumberedLine(number: raw.number, line: line))
            case .failure(let error): found.append((error.line, error.description))
            }
        }
        found += ExpositionChecker(lines).problems()
        return found.enumerated()
            .sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .map(\.element.message)
    }

    private static func hasCRLF(_ bytes: [UInt8]) -> Bool {
        zip(bytes, bytes.dropFirst()).contains { $0 == UInt8(ascii: "\r") && $1 == UInt8(ascii: "\n") }
    }

    private static func stripCRBeforeLF(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (index, byte) in bytes.enumerated() {
            let beforeLF = index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n")
            if byte == UInt8(ascii: "\r") && beforeLF { continue }
            out.append(byte)
        }
        return out
    }
}

/// A lexed line with its 1-based number.
struct NumberedLine {
    var number: Int
    var line: ExpositionLine
}

/// A sample with its line number and the family it was grouped into.
struct PlacedSample {
    var line: Int
    var family: String
    var sample: ExpositionSample
}

/// The semantic checks behind `Exposition.problems(in:)`, over well-formed lines only.
struct ExpositionChecker {
    let lines: [NumberedLine]
    let resolver: FamilyResolver
    let samples: [PlacedSample]

    init(_ lines: [NumberedLine]) {
        self.lines = lines
        let resolver = FamilyResolver(lines.map(\.line))
        self.resolver = resolver
        samples = lines.compactMap { numbered in
            guard case .sample(let sample) = numbered.line else { return nil }
            return PlacedSample(line: numbered.number, family: resolver.family(of: sample.name), sample: sample)
        }
    }

    func problems() -> [(line: Int, message: String)] {
        metadata() + contiguity() + duplicates() + reservedLabels() + histograms() + summaries()
    }

    /// TYPE twice, TYPE after samples of its family, HELP twice.
    private func metadata() -> [(line: Int, message: String)] {
        var found: [(line: Int, message: String)] = []
        var firstSample: [String: Int] = [:]
        var firstType: [String: (line: Int, type: String)] = [:]
        var firstHelp: [String: Int] = [:]
        for numbered in lines {
            let number = numbered.number
            switch numbered.line {
            case .sample(let sample):
                let family = resolver.family(of: sample.name)
                if firstSample[family] == nil { firstSample[family] = number }
            case .type(let name, let type):
                if let first = firstType[name] {
                    found.append(
                        (
                            number,
                            "line \(number): second TYPE line for \(name) (first at line \(first.line), "
                                + "declaring \(first.type)); a family has exactly one TYPE"
                        )
                    )
                } else {
                    firstType[name] = (number, type)
                }
                if let sampleLine = firstSample[name] {
                    found.append(
                        (
                            number,
                            "line \(number): TYPE line for \(name) comes after its samples "
                                + "(first at line \(sampleLine)); TYPE must precede them"
                        )
                    )
                }
            case .help(let name, _):
                if let first = firstHelp[name] {
                    found.append((number, "line \(number): second HELP line for \(name) (first at line \(first))"))
                } else {
                    firstHelp[name] = number
                }
            case .blank, .comment:
                break
            }
        }
        return found
    }

    /// Samples of one family must form one block; report each family once.
    private func contiguity() -> [(line: Int, message: String)] {
        var found: [(line: Int, message: String)] = []
        var current: (family: String, line: Int)?
        var finished: Set<String> = []
        var reported: Set<String> = []
        for placed in samples where placed.family != current?.family {
            if let previous = current { finished.insert(previous.family) }
            if finished.contains(placed.family), let interrupter = current, reported.insert(placed.family).inserted {
                found.append(
                    (
                        placed.line,
                        "line \(placed.line): samples of \(placed.family) resume here after "
                            + "\(interrupter.family) began at line \(interrupter.line); "
                            + "a family's samples must be contiguous"
                    )
                )
            }
            current = (placed.family, placed.line)
        }
        return found
    }

    private func duplicates() -> [(line: Int, message: String)] {
        var seen: [ExpositionSeriesKey: Int] = [:]
        var found: [(line: Int, message: String)] = []
        for placed in samples {
            let key = ExpositionSeriesKey(name: placed.sample.name, labels: placed.sample.labels)
            if let first = seen[key] {
                let series = ExpositionFormat.series(key.name, key.labels)
                found.append((placed.line, "line \(placed.line): duplicate series \(series) (first at line \(first))"))
            } else {
                seen[key] = placed.line
            }
        }
        return found
    }

    private func reservedLabels() -> [(line: Int, message: String)] {
        samples.flatMap { placed in
            placed.sample.labels.keys.filter { $0.hasPrefix("__") }.sorted().map { label in
                (
                    placed.line,
                    "line \(placed.line): label name \"\(label)\" on \(placed.sample.name) is reserved: "
                        + "names starting with \"__\" are for Prometheus' internal use"
                )
            }
        }
    }
}

/// A series identity: sample name plus its full label set.
struct ExpositionSeriesKey: Hashable {
    var name: String
    var labels: [String: String]
}
