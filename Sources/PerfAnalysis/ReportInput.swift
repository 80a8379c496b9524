import Foundation
import PerfReport

/// Finds the report an input path names: the file itself, or a report inside a results directory.
///
/// A directory is searched in this order, and the first that exists wins:
/// 1. `DIR/performance-report.json`;
/// 2. `DIR/current/performance-report.json` (the layout `bench` and the seed use);
/// 3. the newest `*.json` PerformanceReport anywhere under `DIR`, by the run's `created_at`
///    (ties: the later path), outside any `baseline/` folder and hidden folders; files that are not
///    PerformanceReport JSON (a comparison, an analysis, hyperfine output) are skipped;
/// 4. the same search inside `baseline/` folders, when only they hold a report.
public enum ReportInput {
    /// The report chosen and, for a directory, a line saying which file was used and why.
    public struct Resolution: Sendable, Hashable {
        /// The report file to load.
        public var path: String
        /// `nil` when the input was a file; else e.g. `using DIR/current/performance-report.json (…)`.
        public var note: String?

        /// Creates a resolution; `note` is `nil` for a file given as itself.
        public init(path: String, note: String?) {
            self.path = path
            self.note = note
        }
    }

    /// The most `*.json` files read while searching a directory; beyond it the search stops.
    public static let fileLimit = 2000

    /// Resolves `input` (a file or a directory).
    /// - Throws: ``AnalysisError`` when `input` does not exist, or when a directory holds no report.
    public static func resolve(_ input: String) throws(AnalysisError) -> Resolution {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
            throw AnalysisError("\(input): no such file or directory; give a report file, or a results directory that holds one")
        }
        guard isDirectory.boolValue else { return Resolution(path: input, note: nil) }
        let root = URL(fileURLWithPath: input)
        for fixed in ["performance-report.json", "current/performance-report.json"] {
            let path = root.appendingPathComponent(fixed).path
            if FileManager.default.fileExists(atPath: path) {
                return Resolution(path: path, note: "using \(path) (the directory's \(fixed))")
            }
        }
        var (outside, inBaseline, skipped, read) = ([Candidate](), [Candidate](), 0, 0)
        let depth = root.standardizedFileURL.pathComponents.count
        for url in jsonFiles(under: root) {
            guard read < fileLimit else { break }
            read += 1
            guard let data = try? Data(contentsOf: url),
                let report = try? PerformanceReport.parse(data, source: url.path, format: .report), !report.benchmarks.isEmpty
            else {
                skipped += 1
                continue
            }
            let candidate = Candidate(path: url.path, createdAt: Self.date(report.metadata.createdAt))
            let folders = url.standardizedFileURL.pathComponents.dropFirst(depth).dropLast()
            if folders.contains("baseline") { inBaseline.append(candidate) } else { outside.append(candidate) }
        }
        let skippedText = skipped == 0 ? "" : "; \(skipped) other .json file(s) are not reports"
        if let newest = newest(outside) {
            return Resolution(
                path: newest.path,
                note: "using \(newest.path) (the newest of \(outside.count) report(s) under \(input), baseline/ folders left out\(skippedText))"
            )
        }
        if let newest = newest(inBaseline) {
            return Resolution(
                path: newest.path,
                note: "using \(newest.path) (only baseline/ folders under \(input) hold a report; the newest of \(inBaseline.count)\(skippedText))"
            )
        }
        throw AnalysisError(
            "\(input): no PerformanceReport JSON in this directory (\(read) .json file(s) read, none a report with benchmarks); "
                + "give a report file, or a directory with current/performance-report.json (`ollama-distributed bench` or `load` writes one)"
        )
    }

    struct Candidate {
        var path: String
        var createdAt: Date?
    }

    static func newest(_ candidates: [Candidate]) -> Candidate? {
        candidates.max { a, b in
            (a.createdAt ?? .distantPast, a.path) < (b.createdAt ?? .distantPast, b.path)
        }
    }

    /// `*.json` files under `root`, hidden files and folders skipped, in path order.
    static func jsonFiles(under root: URL) -> [URL] {
        guard
            let walker = FileManager.default.enumerator(
                at: root,
                includingPropertiesForKeys: [.isRegularFileKey],
                options: [.skipsHiddenFiles, .skipsPackageDescendants]
            )
        else { return [] }
        var found: [URL] = []
        for case let url as URL in walker where url.pathExtension == "json" {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true { found.append(url) }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// An ISO-8601 time with or without fractional seconds; `nil` when it is neither.
    static func date(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
