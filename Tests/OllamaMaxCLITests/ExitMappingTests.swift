import ArgumentParser
import Foundation
import PerfCompare
import Testing

@testable import OllamaMaxCLI

/// `OllamaDistributed.outcome(of:command:)`: the CLI's one mapping from an error to a message
/// and an exit code, and the flag names the commands put on library errors.
struct ExitMappingTests {
    @Test func aCLIErrorPrintsItsMessageAndExitsWithItsCode() {
        let outcome = OllamaDistributed.outcome(of: CLIError.invalidInput("--output x: cannot write"), command: "load")
        #expect(outcome.message == "error: --output x: cannot write")
        #expect(outcome.code == 2)
        #expect(OllamaDistributed.outcome(of: CLIError.failure("no perf", code: 3), command: "start").code == 3)
    }

    @Test func compareAndConvertAnswerUsageErrorsWithTwoAndOtherCommandsKeepArgumentParsersCode() {
        let usage = ValidationError("--sweep needs --slo")
        let compare = OllamaDistributed.outcome(of: usage, command: "compare")
        #expect(compare.code == 2 && compare.message.hasPrefix("Error: --sweep needs --slo\nUsage: "), "\(compare)")
        #expect(OllamaDistributed.outcome(of: usage, command: "convert").code == 2)
        let load = OllamaDistributed.outcome(of: usage, command: "load")
        #expect(load.code == 64 && load.message == compare.message, "\(load)")
    }

    @Test func aRegressionExitsOneWithoutAMessageAndHelpExitsZero() {
        #expect(OllamaDistributed.outcome(of: ExitCode(1), command: "compare") == ("", 1))
        #expect(OllamaDistributed.outcome(of: ExitCode(1), command: "smoke") == ("", 1))
        #expect(OllamaDistributed.outcome(of: CleanExit.message("v1"), command: "compare") == ("v1", 0))
    }

    @Test func comparisonProblemsNameNoFlagUntilTheCommandNamesIt() {
        var options = ComparisonOptions(threshold: -0.1, alpha: 2, bootstrapResamples: -1)
        options.metricThresholds = ["allocations": -1]
        options.absoluteFloors = ["latency": -1]
        let problems = options.problems()
        #expect(
            problems.map(\.description) == [
                "threshold: must be a percentage of 0 or more", "alpha: must be between 0 and 1 (exclusive), e.g. 0.05",
                "bootstrap resamples: must be 0 (off) or more", "threshold of metric allocations: must be 0 or more",
                "absolute floor of metric latency: must be 0 or more",
            ]
        )
        #expect(
            problems.map(OllamaDistributed.Compare.flagged) == [
                "--threshold: must be a percentage of 0 or more", "--alpha: must be between 0 and 1 (exclusive), e.g. 0.05",
                "--bootstrap: must be 0 (off) or more", "--metric-threshold allocations: must be 0 or more", "--floor latency: must be 0 or more",
            ]
        )
    }

    @Test func anUnwritableOutputIsAnInputErrorNamingTheFlagAndWhy() {
        #expect {
            try OutputFile.write(Data("x".utf8), to: "/nonexistent/dir/out.json", flag: "--output")
        } throws: { error in
            Self.isInputError(
                error,
                "--output /nonexistent/dir/out.json: cannot write (directory /nonexistent/dir does not exist); nothing was written"
            )
        }
    }

    @Test func loadRefusesABadDurationOrSLOWithExitTwoBeforeSendingAnything() async throws {
        let base = ["--url", "http://127.0.0.1:1", "--model", "m", "--rate", "5"]
        var run = try OllamaDistributed.Load.Run.parse(base + ["--duration", "soon"])
        await #expect {
            try await run.run()
        } throws: { error in
            Self.isInputError(error, #"--duration: "soon" is not a positive duration; write e.g. 500ms, 30s or 5m"#)
        }
        run = try OllamaDistributed.Load.Run.parse(base + ["--requests", "1", "--slo", "ttft=fast"])
        await #expect {
            try await run.run()
        } throws: { error in
            Self.isInputError(error, #"--slo: SLO "ttft=fast": ttft=fast: "fast" is not a duration ≥ 0 (use e.g. 500ms, 2s)"#)
        }
    }

    /// Whether `error` is a ``CLIError`` for bad input (exit 2) saying exactly `message`.
    static func isInputError(_ error: any Error, _ message: String) -> Bool {
        guard let error = error as? CLIError else { return false }
        return error.code == 2 && error.message == message
    }
}
