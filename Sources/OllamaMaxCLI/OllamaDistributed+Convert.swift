import ArgumentParser
import Foundation
import PerfCompare
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
                """)

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
                let report = try PerformanceReport.load(path: input, format: inputFormat)
                let destination = output ?? "stdout"
                switch to {
                case .report: data = try report.jsonData(source: destination)
                case .go: data = Data(GoBenchExporter().export(report).utf8)
                case .bmf: data = try BencherExporter().export(report, source: destination)
                case .gabSmaller: data = try GitHubActionBenchmarkExporter().export(report, direction: .lowerIsBetter, source: destination)
                case .gabBigger: data = try GitHubActionBenchmarkExporter().export(report, direction: .higherIsBetter, source: destination)
                }
            } catch {
                throw ValidationError(error.description)
            }
            guard let output else {
                FileHandle.standardOutput.write(data)
                return
            }
            do {
                try AtomicFile.write(data, to: output)
            } catch {
                throw ValidationError("--output \(output): cannot write (\(error)); nothing was written")
            }
        }
    }
}
