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
                --input is a report file, or a results directory: its performance-report.json, else \
                current/performance-report.json, else the newest report under it (baseline/ folders \
                last); the file used is named on standard error. --format defaults to the \
                output's extension (.html, .md), else json. The report \
                holds the benchmark results with 95% median intervals, the comparison with --baseline \
                (the same verdicts as `compare`), the KPI scorecard, resource usage, and recommendations \
                derived from the data. HTML adds the charts, and trends when the history database \
                (--db) exists. Exit codes: 0 written, 2 invalid input or output, 64 usage. \
                Details: docs/reports.md.
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case json, html, markdown

            /// The format an output path's extension names: `.html`/`.htm`, `.md`/`.markdown`, else JSON.
            init(inferredFrom output: String?) {
                switch output.map({ ($0 as NSString).pathExtension.lowercased() }) {
                case "html", "htm": self = .html
                case "md", "markdown": self = .markdown
                default: self = .json
                }
            }
        }

        @Option(help: "The run: a report file, or a results directory (docs/reports.md says which report in it is used).")
        var input: String

        @Option(help: "Write the report here (atomically); standard output when omitted.")
        var output: String?

        @Option(help: "Output format: json, html or markdown (default: from --output's extension, .html or .md, else json).")
        var format: Format?

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
            let format = format ?? Format(inferredFrom: output)
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
            try OutputFile.write(Data(text.utf8), to: output, flag: "--output")
            FileHandle.standardError.write(Data("report: wrote \(output) (\(format.rawValue))\n".utf8))
        }

        /// Loads the run (and baseline) and builds the analysis. A directory `input` is searched
        /// for a report (``ReportInput``) and the file used is named on standard error.
        /// - Throws: ``CLIError`` (exit 2) naming the input and what is wrong.
        static func analyse(
            input: String,
            baseline: String?,
            threshold: Double,
            alpha: Double
        ) throws(CLIError)
            -> (AnalysisReport, PerformanceReport)
        {
            let options = ComparisonOptions(threshold: threshold / 100, alpha: alpha)
            let problems = options.problems()
            guard problems.isEmpty else { throw .invalidInput(problems.map(Compare.flagged).joined(separator: "; ")) }
            do {
                let resolved = try ReportInput.resolve(input)
                if let note = resolved.note { FileHandle.standardError.write(Data("report: \(note)\n".utf8)) }
                let current = try PerformanceReport.load(path: resolved.path)
                let old = try baseline.map { path throws(ReportError) in try PerformanceReport.load(path: path) }
                let analysis = try ReportBuilder.build(
                    current: current,
                    currentSource: resolved.path,
                    baseline: old,
                    baselineSource: baseline,
                    options: options
                )
                return (analysis, current)
            } catch let error as ReportError {
                throw .invalidInput(error.description)
            } catch let error as AnalysisError {
                throw .invalidInput(error.description)
            } catch {
                throw .invalidInput("\(input): \(error)")
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
