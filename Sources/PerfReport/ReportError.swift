import Foundation

/// Everything that can go wrong reading, checking or writing a performance report.
///
/// The ``description`` always names the file (or other source) first, then where in it the
/// problem is (line, benchmark, metric) and what was wrong, so it can be printed as-is:
/// `current.json: benchmark "Gateway/chat" metric "latency" has 0 samples (need at least 1)`.
public struct ReportError: Error, Hashable, CustomStringConvertible, Sendable {
    private enum Code: Hashable, Sendable {
        case unreadable
        case notJSON
        case truncated
        case badStructure
        case unsupportedSchema
        case invalidContent
        case malformedLine
        case unknownFormat
        case writeFailed
    }

    private let code: Code
    /// The file name or other label of the input the error is about.
    public let source: String
    /// The full, human-readable message, starting with ``source``.
    public let description: String

    private init(_ code: Code, source: String, line: Int? = nil, _ message: String) {
        self.code = code
        self.source = source
        self.description = line.map { "\(source):\($0): \(message)" } ?? "\(source): \(message)"
    }

    static func unreadable(_ source: String, reason: String) -> ReportError {
        ReportError(.unreadable, source: source, "cannot read file (\(reason))")
    }

    static func notJSON(_ source: String, detail: String) -> ReportError {
        ReportError(.notJSON, source: source, "not valid JSON (\(detail))")
    }

    static func truncated(_ source: String) -> ReportError {
        ReportError(.truncated, source: source, "JSON ends unexpectedly (is the file truncated?)")
    }

    static func badStructure(_ source: String, path: String, problem: String) -> ReportError {
        let location = path.isEmpty ? "" : "at \(path): "
        return ReportError(.badStructure, source: source, "\(location)\(problem)")
    }

    static func unsupportedSchema(_ source: String, version: Int) -> ReportError {
        ReportError(
            .unsupportedSchema,
            source: source,
            "schema_version \(version) is not supported (this build reads version \(PerformanceReport.currentSchemaVersion))"
        )
    }

    static func invalid(_ source: String, benchmark: String, metric: String? = nil, _ problem: String) -> ReportError {
        var location = "benchmark \(quoted(benchmark))"
        if let metric { location += " metric \(quoted(metric))" }
        return ReportError(.invalidContent, source: source, "\(location) \(problem)")
    }

    static func invalid(_ source: String, _ problem: String) -> ReportError {
        ReportError(.invalidContent, source: source, problem)
    }

    static func malformedLine(_ source: String, line: Int, _ problem: String) -> ReportError {
        ReportError(.malformedLine, source: source, line: line, problem)
    }

    static func unknownFormat(_ source: String) -> ReportError {
        let names = InputFormat.allCases.filter { $0 != .auto }.map(\.rawValue).joined(separator: ", ")
        return ReportError(.unknownFormat, source: source, "cannot tell the format (expected one of: \(names)); pass the format explicitly")
    }

    static func writeFailed(_ source: String, reason: String) -> ReportError {
        ReportError(.writeFailed, source: source, "cannot write report (\(reason)); the file was left unchanged")
    }

    /// Quotes a name the way every message does, escaping embedded quotes.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
