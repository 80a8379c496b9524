import Foundation

/// Reads Go benchmark text (`go test -bench`, the format of Go proposal 14313).
///
/// - `key: value` configuration lines apply to the results after them (an empty value removes
///   the key); `pkg` becomes each
///   benchmark's `group`, and keys with one value for the whole file become metadata labels
///   (`goos` and `cpu` also fill the host).
/// - Each result line `Benchmark<Name>-<procs> <iterations> <value> <unit>…` adds one sample
///   to every metric on it, so `-count N` repetitions become N samples.
/// - `Unit <unit> better=lower|higher assume=nothing|exact` lines set a unit's direction and
///   exactness wherever they appear in the file.
/// - A line that starts like a result but does not parse is an error naming file and line;
///   a bare benchmark name (printed by `go test -v` before sub-benchmarks) and every other
///   line are ignored.
public struct GoBenchImporter: Sendable {
    /// Whether to drop the `-<GOMAXPROCS>` suffix from names (`Join-8` becomes `Join`).
    ///
    /// When one file has several GOMAXPROCS values for a benchmark (`-cpu 1,2,4`) they stay
    /// apart as `Join/gomaxprocs=4`. A benchmark whose own name ends in `-<digits>` is
    /// mistaken for a suffix; turn this off for such files.
    public var stripProcsSuffix: Bool

    /// Creates an importer.
    public init(stripProcsSuffix: Bool = true) {
        self.stripProcsSuffix = stripProcsSuffix
    }

    /// Parses Go benchmark text from `data` (UTF-8).
    public func parse(_ data: Data, source: String, createdAt: Date) throws(ReportError) -> PerformanceReport {
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalid(source, "not UTF-8 text")
        }
        return try parse(text: text, source: source, createdAt: createdAt)
    }

    /// Parses Go benchmark text.
    /// - Throws: for a malformed result or `Unit` line, naming the file and line number.
    public func parse(text: String, source: String, createdAt: Date) throws(ReportError) -> PerformanceReport {
        var state = GoBenchParseState()
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, rawLine) in lines.enumerated() {
            let line = String(rawLine)
            let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let first = fields.first else { continue }
            do throws(GoLineError) {
                if Self.isBenchmarkName(first) {
                    if fields.count > 1 { try state.addResult(fields, stripProcsSuffix: stripProcsSuffix) }
                } else if first == "Unit" {
                    try state.addUnitMetadata(fields)
                } else if let (key, value) = Self.configEntry(line) {
                    state.config[key] = value.isEmpty ? nil : value
                }
            } catch {
                throw .malformedLine(source, line: index + 1, error.message(line: line))
            }
        }
        return state.report(createdAt: Metadata.timestamp(createdAt))
    }

    /// True for a result line that has a name, an iteration count and at least one measurement.
    static func looksLikeResultLine(_ line: String) -> Bool {
        let fields = line.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 4, let first = fields.first else { return false }
        return isBenchmarkName(String(first)) && Int(fields[1]) != nil
    }

    /// `Benchmark` followed by nothing or by a character that is not a lower-case letter.
    static func isBenchmarkName(_ field: String) -> Bool {
        guard field.hasPrefix("Benchmark") else { return false }
        guard let next = field.dropFirst("Benchmark".count).first else { return true }
        return !next.isLowercase
    }

    /// `key: value` where the key starts with a lower-case letter and has no spaces or
    /// upper-case letters.
    static func configEntry(_ line: String) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let key = line[..<colon]
        guard let first = key.first, first.isLowercase,
            !key.contains(where: { $0.isWhitespace || $0.isUppercase })
        else { return nil }
        let rest = line[line.index(after: colon)...]
        guard rest.isEmpty || rest.first?.isWhitespace == true else { return nil }
        return (String(key), rest.trimmingCharacters(in: .whitespaces))
    }
}

/// A problem with one line, turned into a message once the line number is known.
struct GoLineError: Error {
    var problem: String

    func message(line: String) -> String {
        let shown = line.count > 120 ? String(line.prefix(117)) + "..." : line
        return "malformed line \(ReportError.quoted(shown)): \(problem)"
    }
}
