import Foundation

/// The file formats ``PerformanceReport/load(path:format:)`` reads.
public enum InputFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// Detect the format from the content (see ``detect(_:)``).
    case auto
    /// This module's own report JSON (`schema_version` at the top).
    case report
    /// Go benchmark text (`go test -bench`, proposal 14313).
    case goBench = "go"
    /// package-benchmark's `--format jmh` export (ordo-one/benchmark).
    case packageBenchmark = "package-benchmark"
    /// hyperfine's `--export-json` output.
    case hyperfine

    /// Guesses the format of `data` from its content; nil when nothing matches.
    ///
    /// A JSON object with `schema_version` is a report, one with a `results` array of
    /// `command`/`times` objects is hyperfine, a JSON array of `benchmark`/`primaryMetric`
    /// objects is package-benchmark's JMH export; text with a `Benchmark…` result line is Go.
    public static func detect(_ data: Data) -> InputFormat? {
        guard let first = data.first(where: { !Self.isWhitespace($0) }) else { return nil }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            return detectJSON(data)
        }
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        let hasResultLine = text.split(whereSeparator: \.isNewline).contains { line in
            GoBenchImporter.looksLikeResultLine(String(line))
        }
        return hasResultLine ? .goBench : nil
    }

    private static func detectJSON(_ data: Data) -> InputFormat? {
        guard let object = try? JSONSerialization.jsonObject(with: data) else { return nil }
        if let dictionary = object as? [String: Any] {
            if dictionary["schema_version"] != nil { return .report }
            if let results = dictionary["results"] as? [[String: Any]],
                results.allSatisfy({ $0["command"] != nil && $0["times"] != nil })
            {
                return .hyperfine
            }
        }
        if let elements = object as? [[String: Any]], !elements.isEmpty,
            elements.allSatisfy({ $0["benchmark"] != nil && $0["primaryMetric"] != nil })
        {
            return .packageBenchmark
        }
        return nil
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
