import Foundation
import Testing

/// `ollama-distributed smoke`: exit 1 with a FAIL line per failed check, exit 2 for a bad value.
@Suite(.timeLimit(.minutes(3)))
struct SmokeCommandTests {
    @Test func anUnreachableServerFailsEveryCheckAndWritesJUnit() async throws {
        let directory = try CompareCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let junit = directory.appendingPathComponent("smoke.xml").path
        let result = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["smoke", "--url", "http://127.0.0.1:1", "--timeout", "1s", "--junit", junit]
        )
        #expect(result.code == 1, "\(result.stderr)")
        #expect(result.stdout.contains("FAIL liveness"), "\(result.stdout)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(try String(contentsOfFile: junit, encoding: .utf8).contains(#"<testcase classname="smoke" name="liveness""#))
    }

    @Test func aBadDurationExitsTwoNamingTheFlag() async throws {
        let result = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["smoke", "--ttft-slo", "fast"])
        #expect(result.code == 2)
        #expect(result.stderr == #"error: --ttft-slo: "fast" is not a positive duration; write e.g. 500ms, 30s or 5m"# + "\n")
    }
}
