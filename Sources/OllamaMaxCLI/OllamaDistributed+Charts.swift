import ArgumentParser
import Charts
import Foundation
import History

extension OllamaDistributed {
    /// `charts`: the five charts of a run as SVG, and PNG through rsvg-convert.
    struct Charts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw benchmark_comparison, performance_trends, resource_usage, performance_summary and latency_distribution.",
            discussion: """
                Writes DIR/<chart>.svg and, when rsvg-convert (Debian librsvg2-bin) is installed, \
                DIR/<chart>.png. Trends come from the history database (--db) when it exists; \
                with fewer than two runs there, performance_trends draws this run's samples in order. \
                Exit codes: 0 written (a warning when PNGs were skipped), 2 invalid input or \
                unwritable --output, 3 PNG conversion failed or --png always without rsvg-convert, \
                64 usage. Details: docs/reports.md.
                """
        )

        enum PNG: String, ExpressibleByArgument, CaseIterable {
            case auto, always, never
        }

        @Option(help: "The run: a report file, or a results directory (the same search as `report --input`).")
        var current: String

        @Option(help: "A baseline report to compare against.")
        var baseline: String?

        @Option(help: "Directory for the charts (created if missing).")
        var output: String

        @Option(help: "PNG files: auto (when rsvg-convert is installed), always (fail without it) or never.")
        var png: PNG = .auto

        @Option(help: "History database for the trends chart (used only if it exists).")
        var db: String = HistoryStore.defaultPath

        @Option(help: "Percent change that counts as a regression, in the metric's bad direction.")
        var threshold: Double = 10

        @Option(help: "Significance level of the Mann-Whitney U test.")
        var alpha: Double = 0.05

        func run() throws {
            let (analysis, report) = try Report.analyse(input: current, baseline: baseline, threshold: threshold, alpha: alpha)
            let (trends, note) = Report.trends(for: report, db: db)
            let set = ChartSet(report: analysis, trends: trends, trendsNote: note)
            let svgs: [String]
            do { svgs = try set.writeSVGs(to: output) } catch { throw CLIError.invalidInput("--output \(error.description)") }
            for path in svgs { print(path) }
            guard png != .never else { return }
            guard let tool = PNGConverter.locate() else {
                if png == .always { throw CLIError.failure(PNGConverter.missingMessage, code: 3) }
                FileHandle.standardError.write(Data("warning: \(PNGConverter.missingMessage)\n".utf8))
                return
            }
            for svg in svgs {
                let target = String(svg.dropLast(4)) + ".png"
                do { try PNGConverter.convert(svg: svg, to: target, tool: tool) } catch { throw CLIError.failure(error.description, code: 3) }
                print(target)
            }
        }
    }
}
