import ArgumentParser
import Foundation
import PerfCompare
import PerfReport

extension OllamaDistributed {
    /// `compare`: the CI gate. Judges a current report against a baseline.
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare a performance report with a baseline; exit 1 on a regression.",
            discussion: """
                A regression is a change that is statistically significant (two-sided Mann-Whitney U, \
                p < --alpha) and larger than --threshold percent in the metric's bad direction. \
                Allocation counts and other deterministic metrics compare exactly. Reports may be \
                PerformanceReport JSON, Go benchmark output, package-benchmark or hyperfine JSON \
                (detected, or --input-format). Exit codes: 0 no regression, 1 regression found, \
                2 invalid input or usage. Details: docs/regression-testing.md.
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, markdown, json, junit
        }

        enum Color: String, ExpressibleByArgument, CaseIterable {
            case auto, always, never
        }

        @Option(help: "The report to judge.")
        var current: String

        @Option(help: "The report to compare against.")
        var baseline: String

        @Option(help: "Percent change that counts, in the metric's bad direction.")
        var threshold: Double = 10

        @Option(help: "Significance level of the Mann-Whitney U test.")
        var alpha: Double = 0.05

        @Option(help: "Write the result here (atomically) instead of standard output.")
        var output: String?

        @Option(help: "Output format: text, markdown, json or junit.")
        var format: Format = .text

        @Option(help: "Input format of both reports: auto, report, go, package-benchmark or hyperfine.")
        var inputFormat: InputFormat = .auto

        @Option(
            name: .customLong("metric-threshold"),
            help: "A metric's own threshold, NAME=PERCENT (repeatable), e.g. allocations=0."
        )
        var metricThresholds: [String] = []

        @Option(
            name: .customLong("benchmark-threshold"),
            help: "A benchmark's own threshold, NAME=PERCENT (repeatable)."
        )
        var benchmarkThresholds: [String] = []

        @Option(
            name: .customLong("floor"),
            help: "An absolute floor, METRIC=VALUE in the metric's unit (repeatable): smaller changes are noise."
        )
        var floors: [String] = []

        @Option(help: "Bootstrap resamples for a seeded 95% interval of the ratio of medians of each regression and improvement (0: none).")
        var bootstrap: Int = 0

        @OptionGroup var profiles: ProfilesOption

        @Flag(help: "Keep Go's -N GOMAXPROCS suffix when matching benchmark names.")
        var keepProcsSuffix = false

        @Option(help: "Colour in the text table: auto (on a terminal), always or never.")
        var color: Color = .auto

        func options() throws(CLIError) -> ComparisonOptions {
            var options = ComparisonOptions(
                threshold: threshold / 100,
                alpha: alpha,
                stripProcsSuffix: !keepProcsSuffix,
                bootstrapResamples: bootstrap
            )
            options.metricThresholds = try Self.pairs(metricThresholds, flag: "--metric-threshold").mapValues { $0 / 100 }
            options.benchmarkThresholds = try Self.pairs(benchmarkThresholds, flag: "--benchmark-threshold").mapValues { $0 / 100 }
            options.absoluteFloors = try Self.pairs(floors, flag: "--floor")
            let problems = options.problems()
            guard problems.isEmpty else { throw .invalidInput(problems.map(Self.flagged).joined(separator: "\n")) }
            return options
        }

        func run() throws {
            let options = try options()
            let comparison: Comparison
            do {
                let (base, now) = try Comparer.load(baseline: baseline, current: current, format: inputFormat)
                comparison = try Comparer.compare(
                    baseline: base,
                    current: now,
                    options: options,
                    baselineSource: baseline,
                    currentSource: current
                )
            } catch let error as ReportError {
                throw CLIError.invalidInput(error.description)
            } catch let error as CompareError {
                throw CLIError.invalidInput(error.description)
            }
            var rendered = try render(comparison)
            if let directories = try profiles.directories(), format == .text || format == .markdown {
                rendered += try ProfileHints(comparison, directories: directories).section(markdown: format == .markdown)
            }
            if let output {
                try OutputFile.write(Data(rendered.utf8), to: output, flag: "--output")
                print(comparison.text(color: useColor), terminator: "")
            } else {
                print(rendered, terminator: "")
            }
            // Exit 1 without a message: the table above says which metrics regressed.
            if comparison.hasRegression { throw ExitCode(1) }
        }

        private var useColor: Bool {
            switch color {
            case .always: true
            case .never: false
            case .auto: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            }
        }

        private func render(_ comparison: Comparison) throws(CLIError) -> String {
            switch format {
            case .text: return comparison.text(color: output == nil && useColor)
            case .markdown: return comparison.markdown()
            case .junit: return comparison.junit()
            case .json:
                let document = ComparisonDocument(comparison, currentFile: current, baselineFile: baseline)
                do {
                    return String(decoding: try document.json(), as: UTF8.self) + "\n"
                } catch {
                    throw .invalidInput("--format json: the comparison cannot be written as JSON (\(error))")
                }
            }
        }

        /// A problem of the options, named by the flag that sets it.
        static func flagged(_ problem: ComparisonOptions.Problem) -> String {
            switch problem.setting {
            case .threshold: "--threshold: \(problem.problem)"
            case .alpha: "--alpha: \(problem.problem)"
            case .bootstrapResamples: "--bootstrap: \(problem.problem)"
            case .metricThreshold(let name): "--metric-threshold \(name): \(problem.problem)"
            case .benchmarkThreshold(let name): "--benchmark-threshold \(name): \(problem.problem)"
            case .absoluteFloor(let name): "--floor \(name): \(problem.problem)"
            case .deterministicThreshold: problem.description
            }
        }

        /// `NAME=NUMBER` pairs; the name may itself contain `=`, the number follows the last one.
        static func pairs(_ items: [String], flag: String) throws(CLIError) -> [String: Double] {
            var result: [String: Double] = [:]
            for item in items {
                guard let equals = item.lastIndex(of: "="), let value = Double(item[item.index(after: equals)...]),
                    !item[..<equals].isEmpty
                else {
                    throw .invalidInput("\(flag): \"\(item)\" is not NAME=NUMBER, e.g. allocations=0")
                }
                result[String(item[..<equals])] = value
            }
            return result
        }
    }
}

extension InputFormat: ExpressibleByArgument {}
