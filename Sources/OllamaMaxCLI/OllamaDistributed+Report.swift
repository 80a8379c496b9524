import ArgumentParser
import Charts
import Foundation
import History
import PerfAnalysis
import PerfCompare
import PerfReport

extension OllamaDistributed {
    /// `report`: one run (and optionally a baseline) as a JSON, Markdown or self-contained HTML report.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a performance report (JSON, Markdown or self-contained HTML) for one run.",
            discussion: """
                --input is a report file, or a directory holding performance-report.json. The report \
                holds the benchmark results with 95% median intervals, the comparison with --baseline \
                (the same verdicts as `compare`), the KPI scorecard, resource usage, and recommendations \
                derived from the data. HTML adds the charts, and trends when the history database \
                (--db) exists. Exit codes: 0 written, 2 invalid input or output, 64 usage. \
                Details: docs/reports.md.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case json, html, markdown
        }

        @Option(help: "The run: a report file, or a directory with performance-report.json.")
        var input: String

        @Option(help: "Write the report here (atomically); standard output when omitted.")
        var output: String?

        @Option(help: "Output format: json, html or markdown.")
        var format: Format = .json

        @Option(help: "A baseline report to compare against.")
        var baseline: String?

        @Option(help: "Percent change that counts as a regression, in the metric's bad direction.")
        var threshold: Double = 10

        @Option(help: "Significance level of the Mann-Whitney U test.")
        var alpha: Double = 0.05

        @Option(help: "History database for the trends chart in HTML (used only if it exists).")
        var db: String = HistoryStore.defaultPath

        func run() throws {
            let (analysis, current) = try Self.analyse(input: input, baseline: baseline, threshold: threshold, alpha: alpha)
            let text: String
            switch format {
            case .json:
                text = String(decoding: try analysis.json(), as: UTF8.self)
            case .markdown:
                text = analysis.markdown()
            case .html:
                let (trends, note) = Self.trends(for: current, db: db)
                text = HTMLReport.render(analysis, charts: ChartSet(report: analysis, trends: trends, trendsNote: note))
            }
            guard let output else {
                print(text, terminator: "")
                return
            }
            do {
                try AtomicFile.write(Data(text.utf8), to: output)
            } catch {
                fail("--output \(output): cannot write (\((error as NSError).localizedDescription)); nothing was written")
            }
            FileHandle.standardError.write(Data("report: wrote \(output) (\(format.rawValue))\n".utf8))
        }

        /// The file `--input` names: itself, or DIR/performance-report.json.
        static func resolve(_ input: String) -> String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue {
                return (input as NSString).appendingPathComponent("performance-report.json")
            }
            return input
        }

        /// Loads the run (and baseline) and builds the analysis; exits 2 with the reason on bad input.
        static func analyse(input: String, baseline: String?, threshold: Double, alpha: Double) throws
            -> (AnalysisReport, PerformanceReport)
        {
            let path = resolve(input)
            if path != input, !FileManager.default.fileExists(atPath: path) {
                fail("\(input): no performance-report.json in this directory; pass the report file itself or a directory that holds one")
            }
            let options = ComparisonOptions(threshold: threshold / 100, alpha: alpha)
            let problems = options.problems()
            guard problems.isEmpty else { fail(problems.joined(separator: "; ")) }
            do {
                let current = try PerformanceReport.load(path: path)
                let old = try baseline.map { path throws(ReportError) in try PerformanceReport.load(path: path) }
                let analysis = try ReportBuilder.build(
                    current: current, currentSource: path, baseline: old, baselineSource: baseline, options: options)
                return (analysis, current)
            } catch let error as ReportError {
                fail(error.description)
            } catch let error as AnalysisError {
                fail(error.description)
            }
        }

        /// Trends for the run's benchmarks from the history database, or why there are none.
        static func trends(for report: PerformanceReport, db: String) -> ([TrendSeries], String) {
            guard FileManager.default.fileExists(atPath: db) else {
                return ([], "No history database at \(db): add runs with `ollama-distributed history add REPORT`")
            }
            do {
                let series = try HistoryStore(path: db, create: false).trends(for: report)
                return (series, series.isEmpty ? "No benchmark of this run has 2 or more runs in \(db) on this host and branch" : "")
            } catch {
                return ([], "History unavailable: \(error.description)")
            }
        }
    }
}

/// Prints `message` to standard error and exits with `code` (2: invalid input or output).
func fail(_ message: String, code: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(code)
}
