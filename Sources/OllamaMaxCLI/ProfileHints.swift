import Bench
import Foundation
import PerfCompare
import Pprof

/// `compare --profiles BASE HEAD`: for each regressed benchmark with a CPU profile in both
/// directories (`bench --profile`), the functions whose share of the samples grew most.
enum ProfileHints {
    /// How many functions to name per benchmark.
    static let count = 3

    /// The section to print after the comparison; empty when nothing regressed or no regressed
    /// benchmark has both profiles. `markdown` writes a Markdown list instead of text lines.
    static func section(_ comparison: Comparison, base: URL, head: URL, markdown: Bool) throws(CLIError) -> String {
        let regressed = Array(Set(comparison.regressions.map(\.benchmark))).sorted()
        var lines: [String] = []
        for benchmark in regressed {
            let name = BenchProfiles.fileName(for: benchmark)
            let baseFile = base.appendingPathComponent(name)
            let headFile = head.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: baseFile.path), FileManager.default.fileExists(atPath: headFile.path) else {
                continue
            }
            let shift = ProfileShift(base: try read(baseFile), head: try read(headFile))
            let grown = shift.grown(count)
            let named =
                grown.isEmpty
                ? "no function's share grew"
                : grown.map { "\($0.name) +\(points($0.selfGrowth)) points (\(percent($0.baseSelf)) -> \(percent($0.headSelf)))" }
                    .joined(separator: "; ")
            lines.append(markdown ? "- `\(benchmark)`: \(named)" : "  \(benchmark): \(named)")
        }
        guard !lines.isEmpty else { return "" }
        let title =
            markdown
            ? "\n### Where the CPU time moved (profiles, base -> head)\n\n"
            : "\nWhere the CPU time moved (own share of the CPU profile's samples, base -> head):\n"
        return title + lines.joined(separator: "\n") + "\n"
    }

    private static func read(_ file: URL) throws(CLIError) -> Perftools_Profiles_Profile {
        do {
            return try Perftools_Profiles_Profile(pprof: Array(try Data(contentsOf: file)))
        } catch let error as ProfileCodingError {
            throw .invalidInput("--profiles: \(file.path): \(error.description)")
        } catch {
            throw .invalidInput("--profiles: \(file.path): cannot read (\(error.localizedDescription))")
        }
    }

    private static func points(_ share: Double) -> String { String(format: "%.1f", share * 100) }
    private static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }
}
