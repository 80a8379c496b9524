import ArgumentParser
import Bench
import Foundation
import PerfCompare
import Pprof

/// `--profiles BASE HEAD` of `compare` and `bench gate`: two directories of `bench --profile`
/// CPU profiles.
struct ProfilesOption: ParsableArguments {
    @Option(
        parsing: .upToNextOption,
        help:
            "Two directories of CPU profiles (bench --profile), BASE HEAD: name the functions whose share grew most in each regressed benchmark."
    )
    var profiles: [String] = []

    /// The two directories; nil when not given, an error naming the flag for any other count.
    func directories() throws(CLIError) -> (base: URL, head: URL)? {
        if profiles.isEmpty { return nil }
        guard profiles.count == 2 else { throw .invalidInput("--profiles: give two directories, BASE HEAD (got \(profiles.count))") }
        return (URL(fileURLWithPath: profiles[0]), URL(fileURLWithPath: profiles[1]))
    }
}

/// For each regressed benchmark with a CPU profile in both directories (`bench --profile`), the
/// functions whose share of the samples grew most.
struct ProfileHints {
    /// How many functions to name per benchmark.
    static let count = 3

    /// The regressed benchmarks with both profiles, in name order, and how their samples shifted.
    let shifts: [(benchmark: String, shift: ProfileShift)]

    /// Reads the profiles of `comparison`'s regressed benchmarks from `directories`, once.
    init(_ comparison: Comparison, directories: (base: URL, head: URL)) throws(CLIError) {
        var shifts: [(benchmark: String, shift: ProfileShift)] = []
        for benchmark in Array(Set(comparison.regressions.map(\.benchmark))).sorted() {
            let name = BenchProfiles.fileName(for: benchmark)
            let baseFile = directories.base.appendingPathComponent(name)
            let headFile = directories.head.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: baseFile.path), FileManager.default.fileExists(atPath: headFile.path) else {
                continue
            }
            shifts.append((benchmark, ProfileShift(base: try Self.read(baseFile), head: try Self.read(headFile))))
        }
        self.shifts = shifts
    }

    /// The section to print after the comparison; empty when nothing regressed or no regressed
    /// benchmark has both profiles. `markdown` writes a Markdown list instead of text lines.
    func section(markdown: Bool) -> String {
        guard !shifts.isEmpty else { return "" }
        let lines = shifts.map { benchmark, shift in
            let grown = shift.grown(Self.count)
            let named =
                grown.isEmpty
                ? "no function's share grew"
                : grown.map { "\($0.name) +\(Self.points($0.selfGrowth)) points (\(Self.percent($0.baseSelf)) -> \(Self.percent($0.headSelf)))" }
                    .joined(separator: "; ")
            return markdown ? "- `\(benchmark)`: \(named)" : "  \(benchmark): \(named)"
        }
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
