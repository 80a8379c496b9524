import Foundation
import PerfAnalysis
import PerfReport

/// The five charts of a run, by file stem, as SVG text.
public struct ChartSet: Sendable {
    /// File stems in the order they are written and shown.
    public static let names = ["performance_summary", "benchmark_comparison", "performance_trends", "resource_usage", "latency_distribution"]

    /// Stem → SVG document.
    public var svgs: [String: String]

    /// Renders every chart of `report`; `trends` come from the history store (empty when there is
    /// none, and `trendsNote` says why). Without trends, `performance_trends` draws this run's
    /// samples in recorded order (``AnalysisReport/sampleSeries``).
    public init(report: AnalysisReport, trends: [TrendSeries], trendsNote: String) {
        svgs = [
            "performance_summary": SummaryChart.svg(report),
            "benchmark_comparison": ComparisonChart.svg(report.comparisonRows, hasBaseline: report.comparison != nil),
            "performance_trends": trends.isEmpty && !report.sampleSeries.isEmpty
                ? TrendChart.svg(samples: report.sampleSeries, historyNote: trendsNote)
                : TrendChart.svg(trends, emptyReason: trendsNote),
            // The host's cores label the CPU panel only when the timeline was read on that host.
            "resource_usage": ResourceChart.svg(report.resources, cores: report.metadata.timelineIsOnHost ? report.metadata.host?.cores : nil),
            "latency_distribution": DistributionChart.svg(report.distributions),
        ]
    }

    /// Writes `<stem>.svg` for each chart into `directory` (created if missing), each atomically,
    /// and returns the paths.
    public func writeSVGs(to directory: String) throws(ChartsError) -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ChartsError("\(directory): cannot create the directory (\(Self.reason(error))); choose a writable directory")
        }
        var written: [String] = []
        for name in Self.names {
            let path = (directory as NSString).appendingPathComponent("\(name).svg")
            do {
                try Data((svgs[name] ?? "").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw ChartsError("\(directory): cannot write \(name).svg (\(Self.reason(error))); choose a writable directory")
            }
            written.append(path)
        }
        return written
    }

    static func reason(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(code))) }
        return (error as NSError).localizedDescription
    }
}

/// A problem writing or converting charts; the message names the path and what to do.
public struct ChartsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message, naming the path and what to do.
    public let description: String

    /// Creates an error with its full message.
    public init(_ description: String) { self.description = description }
}
