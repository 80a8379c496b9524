import ArgumentParser
import Foundation
import PerfReport

extension OllamaDistributed {
    /// `convert`: between our report and the formats other tools read.
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a benchmark result into another format.",
            discussion: """
                Reads a PerformanceReport, Go benchmark output, a package-benchmark JMH export or a \
                hyperfine JSON file (detected, or --input-format) and writes it as: report (our JSON), \
                go (Go benchmark text, for benchstat), bmf (Bencher Metric Format), gab-smaller / \
                gab-bigger (github-action-benchmark's customSmallerIsBetter / customBiggerIsBetter). \
                Exit 2 on bad input; nothing is written then.
                """
        )

        enum Target: String, ExpressibleByArgument, CaseIterable {
            case report, go, bmf
            case gabSmaller = "gab-smaller"
            case gabBigger = "gab-bigger"
        }

        @Option(help: "The file to read.")
        var input: String

        @Option(help: "Its format: auto, report, go, package-benchmark or hyperfine.")
        var inputFormat: InputFormat = .auto

        @Option(help: "What to write: report, go, bmf, gab-smaller or gab-bigger.")
        var to: Target = .report

        @Option(help: "Write here (atomically) instead of standard output.")
        var output: String?

        func run() throws {
            let data: Data
            do {
                data = try Self.convert(try PerformanceReport.load(path: input, format: inputFormat), to: to, destination: output ?? "stdout")
            } catch {
                throw CLIError.invalidInput(error.description)
            }
            guard let output else {
                FileHandle.standardOutput.write(data)
                return
            }
            try OutputFile.write(data, to: output, flag: "--output")
        }

        /// `report` in the `target` format; `destination` names the output in errors.
        static func convert(_ report: PerformanceReport, to target: Target, destination: String) throws(ReportError) -> Data {
            switch target {
            case .report: try report.jsonData(source: destination)
            case .go: Data(GoBenchExporter().export(report).utf8)
            case .bmf: try BencherExporter().export(report, source: destination)
            case .gabSmaller: try GitHubActionBenchmarkExporter().export(report, direction: .lowerIsBetter, source: destination)
            case .gabBigger: try GitHubActionBenchmarkExporter().export(report, direction: .higherIsBetter, source: destination)
            }
        }
    }
}
