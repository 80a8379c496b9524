import Foundation
import TestHTTP
import Testing

@testable import Alerting

/// The rule files and promtool unit-test files under `Fixtures/`, and the two runners of a test file:
/// the real `promtool test rules` (the oracle) and ``RuleTestRunner``.
enum RuleFixtures {
    /// The fixtures folder in the test bundle.
    static var directory: URL? {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)
    }

    /// Every promtool test file (`*.test.yml`), by name.
    static let testFiles: [String] = {
        guard let directory else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".test.yml") }.sorted()
    }()

    /// A private copy of the fixtures folder, so a test can add mutated files next to the rule files
    /// they name; removed by the caller.
    static func copy() throws -> URL {
        let source = try #require(directory, "the Fixtures folder is missing from the test bundle")
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("alerting-fixtures-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: target)
        return target
    }

    /// Runs our runner on `file`; a file it cannot read at all is a failed report too.
    static func runOurs(_ file: URL) -> RuleTestReport {
        do {
            return try RuleTestRunner.run(testFile: file)
        } catch {
            return RuleTestReport(
                file: file.path,
                failures: error.problems.map { RuleTestFailure(testGroup: "", message: $0) },
                checks: 0
            )
        }
    }

    /// Runs `promtool test rules FILE` in the file's folder: its exit status and everything it printed.
    static func runPromtool(_ file: URL) async throws -> (status: Int32, output: String) {
        let executable = try ExternalTool.promtool.path()
        return try await offThePool {
            try run(executable, ["test", "rules", file.lastPathComponent], in: file.deletingLastPathComponent())
        }
    }

    private static func run(_ executable: URL, _ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read to the end before waiting, so a full pipe cannot block promtool.
        let data = try output.fileHandleForReading.readToEnd() ?? Data()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
