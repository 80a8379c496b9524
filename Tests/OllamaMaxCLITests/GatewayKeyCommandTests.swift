import Foundation
import TestHTTP
import Testing

/// The commands that talk to a gateway send `OLLAMAMAX_API_KEY` and say which key to set when
/// the gateway refuses: `start` with an admin key from the same variable, as a process.
@Suite(.timeLimit(.minutes(3)))
struct GatewayKeyCommandTests {
    static let key = "sk-cli-test-5d1f0b9e"

    @Test func loadSmokeAndStatusSendTheKeyAndSayWhichToSetWhenRefused() async throws {
        let gateway = try ChildProcess(
            ChildProcess.binary,
            ["start", "--simulate", "1", "--listen", "127.0.0.1:0"],
            environment: ["OLLAMAMAX_API_KEY": Self.key, "OLLAMAMAX_NODES": ""]
        )
        try gateway.start()
        defer { gateway.stop() }
        let line = try await gateway.waitForLine(containing: "listening on")
        let port = try #require(line.split(separator: ":")[2].split(separator: " ").first.map(String.init))
        let url = "http://127.0.0.1:\(port)"
        let load = ["load", "--url", url, "--model", "llama3.2", "--concurrency", "1", "--requests", "2", "--sample-interval", "1s"]
        let withKey = ["OLLAMAMAX_API_KEY": Self.key]
        let withoutKey = ["OLLAMAMAX_API_KEY": ""]

        let served = try await CompareCommandTests.runToFiles(ChildProcess.binary, load, environment: withKey)
        #expect(served.code == 0, "\(served.stdout)\n\(served.stderr)")

        let refused = try await CompareCommandTests.runToFiles(ChildProcess.binary, load, environment: withoutKey)
        #expect(refused.code == 1)
        #expect(
            refused.stderr.contains(
                "the gateway at \(url) needs an API key (HTTP 401): set OLLAMAMAX_API_KEY to a key with role inference or admin"
            ),
            "\(refused.stderr)"
        )

        let wrong = try await CompareCommandTests.runToFiles(ChildProcess.binary, load, environment: ["OLLAMAMAX_API_KEY": "not-the-key"])
        #expect(wrong.code == 1)
        #expect(wrong.stderr.contains("refused the key in OLLAMAMAX_API_KEY (HTTP 401, unknown key)"), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains("not-the-key") && !wrong.stdout.contains("not-the-key"))

        let smoke = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["smoke", "--url", url], environment: withKey)
        #expect(smoke.code == 0, "\(smoke.stdout)\n\(smoke.stderr)")
        let smokeRefused = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["smoke", "--url", url], environment: withoutKey)
        #expect(smokeRefused.code == 1)
        #expect(smokeRefused.stdout.contains("FAIL version"), "\(smokeRefused.stdout)")
        #expect(smokeRefused.stdout.contains("needs an API key (HTTP 401): set OLLAMAMAX_API_KEY"), "\(smokeRefused.stdout)")

        // status reads the monitoring routes, open to loopback; with the key it also shows the key table.
        let status = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["status", "--url", url], environment: withKey)
        #expect(status.code == 0, "\(status.stderr)")
        let row = try #require(status.stdout.split(separator: "\n").first { $0.hasPrefix("OLLAMAMAX_API_KEY") })
        #expect(row.split(separator: " ").prefix(2) == ["OLLAMAMAX_API_KEY", "admin"], "\(status.stdout)")
        #expect(!status.stdout.contains(Self.key) && !gateway.stdout.contains(Self.key) && !gateway.stderr.contains(Self.key))
    }
}
