import ArgumentParser
import LoadGenerator
import PerfReport

extension OllamaDistributed.Load {
    /// `load merge`: runs from several machines as one.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge load reports from several machines into one (per-request samples combined exactly)."
        )

        @Argument(help: "Load reports written by `load --output`.")
        var reports: [String]

        @Option(help: "Write the merged report here.")
        var output: String

        func validate() throws {
            if reports.isEmpty { throw ValidationError("give at least one report to merge") }
        }

        func run() throws {
            do {
                let loaded = try reports.map { path throws(ReportError) in try PerformanceReport.load(path: path, format: .report) }
                let merged = try LoadReport.merge(loaded)
                do {
                    try merged.write(to: output)
                } catch {
                    throw CLIError.invalidInput("--output: \(error)")
                }
            } catch let error as ReportError {
                throw CLIError.invalidInput(error.description)
            } catch let error as LoadError {
                throw CLIError.invalidInput(error.description)
            }
            print("merged \(reports.count) reports into \(output)")
        }
    }
}
