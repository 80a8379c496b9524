import Foundation
import PerfReport
import Synchronization

/// The JSON that `compare --format json` writes: the original script's fields
/// (`summary`, `regressions`, `improvements`, `detailed_comparisons`) with the statistics added.
public struct ComparisonDocument: Sendable, Hashable, Codable {
    public struct Metadata: Sendable, Hashable, Codable {
        public var generatedAt: String
        public var currentFile: String
        public var baselineFile: String
        /// Percent, as given to `--threshold`.
        public var threshold: Double
        public var alpha: Double

        enum CodingKeys: String, CodingKey {
            case threshold, alpha
            case generatedAt = "generated_at"
            case currentFile = "current_file"
            case baselineFile = "baseline_file"
        }
    }

    public struct Summary: Sendable, Hashable, Codable {
        public var totalComparisons: Int
        public var regressionsFound: Int
        public var improvementsFound: Int
        public var insufficientSamples: Int
        public var regressionDetected: Bool
        /// The largest worsening among regressions, percent; `null` without regressions.
        public var worstRegression: Double?
        /// The largest gain among improvements, percent; `null` without improvements.
        public var bestImprovement: Double?

        enum CodingKeys: String, CodingKey {
            case totalComparisons = "total_comparisons"
            case regressionsFound = "regressions_found"
            case improvementsFound = "improvements_found"
            case insufficientSamples = "insufficient_samples"
            case regressionDetected = "regression_detected"
            case worstRegression = "worst_regression"
            case bestImprovement = "best_improvement"
        }
    }

    /// One line of `regressions` or `improvements`: the change in percent of the baseline median.
    public struct Change: Sendable, Hashable, Codable {
        public var benchmark: String
        public var metric: String
        public var change: Double
    }

    /// One line of `detailed_comparisons`: the original fields plus the statistics.
    public struct Detail: Sendable, Hashable, Codable {
        public var benchmark: String
        public var metric: String
        public var unit: String
        public var currentValue: Double
        public var baselineValue: Double
        public var changePercent: Double?
        public var changeType: Verdict
        public var statistics: MetricComparison

        enum CodingKeys: String, CodingKey {
            case benchmark, metric, unit, statistics
            case currentValue = "current_value"
            case baselineValue = "baseline_value"
            case changePercent = "change_percent"
            case changeType = "change_type"
        }
    }

    public var metadata: Metadata
    public var summary: Summary
    public var regressions: [Change]
    public var improvements: [Change]
    public var detailedComparisons: [Detail]
    public var added: [String]
    public var removed: [String]
    public var unmatchedMetrics: [String]

    enum CodingKeys: String, CodingKey {
        case metadata, summary, regressions, improvements, added, removed
        case detailedComparisons = "detailed_comparisons"
        case unmatchedMetrics = "unmatched_metrics"
    }

    public init(_ comparison: Comparison, currentFile: String, baselineFile: String, generatedAt: Date = Date()) {
        metadata = Metadata(
            generatedAt: ISO8601DateFormatter().string(from: generatedAt),
            currentFile: currentFile,
            baselineFile: baselineFile,
            threshold: comparison.options.threshold * 100,
            alpha: comparison.options.alpha
        )
        let regressions = comparison.regressions
        let improvements = comparison.improvements
        summary = Summary(
            totalComparisons: comparison.comparisons.count,
            regressionsFound: regressions.count,
            improvementsFound: improvements.count,
            insufficientSamples: comparison.comparisons.filter { $0.verdict == .insufficientSamples }.count,
            regressionDetected: !regressions.isEmpty,
            worstRegression: regressions.map { Self.finite($0.worsening * 100) }.max(),
            bestImprovement: improvements.map { Self.finite(-$0.worsening * 100) }.max()
        )
        self.regressions = regressions.map { Change(benchmark: $0.benchmark, metric: $0.metric, change: Self.finite($0.change * 100)) }
        self.improvements = improvements.map { Change(benchmark: $0.benchmark, metric: $0.metric, change: Self.finite($0.change * 100)) }
        detailedComparisons = comparison.comparisons.map { item in
            Detail(
                benchmark: item.benchmark,
                metric: item.metric,
                unit: item.unit,
                currentValue: item.current.median,
                baselineValue: item.baseline.median,
                changePercent: item.change.isFinite ? item.change * 100 : nil,
                changeType: item.verdict,
                statistics: item
            )
        }
        added = comparison.added
        removed = comparison.removed
        unmatchedMetrics = comparison.unmatchedMetrics
    }

    /// JSON has no infinity: a change from 0 is reported as the largest finite number.
    static func finite(_ value: Double) -> Double {
        value.isFinite ? value : (value > 0 ? Double.greatestFiniteMagnitude : -Double.greatestFiniteMagnitude)
    }

    /// Pretty, sorted-key JSON.
    ///
    /// A large document encodes its `detailed_comparisons` in chunks on every core and splices
    /// the pieces into the text one encoder would write (a test compares the two byte for byte).
    public func json() throws -> Data {
        let encoder = Self.encoder()
        guard detailedComparisons.count > Self.chunkSize else { return try encoder.encode(self) }
        let chunks = (detailedComparisons.count + Self.chunkSize - 1) / Self.chunkSize
        let pieces = Mutex([Result<[UInt8], any Error>?](repeating: nil, count: chunks))
        let details = detailedComparisons
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let slice = Array(details[(chunk * Self.chunkSize)..<min(details.count, (chunk + 1) * Self.chunkSize)])
            let piece = Result { () throws -> [UInt8] in
                // "[\n  {...},\n  {...}\n]": the elements, two levels deep in the document.
                let array = try Self.encoder().encode(slice)
                var out: [UInt8] = [0x20, 0x20]
                Self.appendIndented(array.dropFirst(2).dropLast(2), to: &out)
                return out
            }
            pieces.withLock { $0[chunk] = piece }
        }
        var elements: [[UInt8]] = []
        for (index, piece) in pieces.withLock({ $0 }).enumerated() {
            guard let piece else {
                throw EncodingError.invalidValue(index, .init(codingPath: [], debugDescription: "chunk \(index) was not encoded"))
            }
            elements.append(try piece.get())
        }
        let fields: [(String, Data?)] = [
            ("added", try encoder.encode(added)),
            ("detailed_comparisons", nil),
            ("improvements", try encoder.encode(improvements)),
            ("metadata", try encoder.encode(metadata)),
            ("regressions", try encoder.encode(regressions)),
            ("removed", try encoder.encode(removed)),
            ("summary", try encoder.encode(summary)),
            ("unmatched_metrics", try encoder.encode(unmatchedMetrics)),
        ]
        var out: [UInt8] = []
        out.reserveCapacity(elements.reduce(0) { $0 + $1.count + 2 } + 1 << 16)
        out.append(contentsOf: Array("{\n".utf8))
        for (index, (key, value)) in fields.enumerated() {
            out.append(contentsOf: Array("  \"\(key)\" : ".utf8))
            if let value {
                Self.appendIndented(value, to: &out)
            } else {
                out.append(contentsOf: Array("[\n".utf8))
                for (number, element) in elements.enumerated() {
                    if number > 0 { out.append(contentsOf: Array(",\n".utf8)) }
                    out.append(contentsOf: element)
                }
                out.append(contentsOf: Array("\n  ]".utf8))
            }
            out.append(contentsOf: Array((index == fields.count - 1 ? "\n" : ",\n").utf8))
        }
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    /// Appends `value` nested one level deeper: every line after the first gains two spaces,
    /// except the empty line inside an empty array or object. JSON strings escape their
    /// newlines, so each raw newline is layout.
    static func appendIndented(_ value: Data, to out: inout [UInt8]) {
        value.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            var index = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "\n"), index + 1 < bytes.count, bytes[index + 1] != UInt8(ascii: "\n") {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...index]))
                    out.append(contentsOf: [0x20, 0x20])
                    start = index + 1
                }
                index += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
        }
    }

    /// Details encoded by one core at a time.
    static let chunkSize = 2048

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        return encoder
    }
}
