import Foundation
import TestHTTP
import Testing

/// `optimize` and the optimizer's line in `status`, against a gateway process whose
/// `OLLAMAMAX_API_KEY` is its admin key: the route needs that key even on loopback.
@Suite(.timeLimit(.minutes(3)))
struct OptimizeCommandTests {
    static let key = "sk-optimize-test-3b7e91c2"

    @Test func optimizePrintsOrWritesTheSnippetWithAnAdminKeyAndSaysWhichKeyWithout() async throws {
        let gateway = try ChildProcess(
            ChildProcess.binary,
            ["start", "--simulate", "1", "--listen", "127.0.0.1:0", "--optimization-level", "balanced"],
            environment: ["OLLAMAMAX_API_KEY": Self.key, "OLLAMAMAX_NODES": ""]
        )
        try gateway.start()
        defer { gateway.stop() }
        let line = try await gateway.waitForLine(containing: "listening on")
        let port = try #require(line.split(separator: ":")[2].split(separator: " ").first.map(String.init))
        let url = "http://127.0.0.1:\(port)"
        let withKey = ["OLLAMAMAX_API_KEY": Self.key]
        let withoutKey = ["OLLAMAMAX_API_KEY": ""]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("optimize-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("static.yaml").path

        let printed = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["optimize", "--url", url], environment: withKey)
        #expect(printed.code == 0, "\(printed.stderr)")
        #expect(printed.stdout.contains("nodes:\n  - url: http://127.0.0.1:"), "\(printed.stdout)")
        #expect(printed.stdout.hasSuffix("optimization: {level: off}\n"), "\(printed.stdout)")

        let dryRun = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["optimize", "--url", url, "--output", file, "--dry-run"],
            environment: withKey
        )
        #expect(dryRun.code == 0, "\(dryRun.stderr)")
        #expect(dryRun.stdout == printed.stdout + "# dry run: \(file) not written\n")
        #expect(!FileManager.default.fileExists(atPath: file))

        let written = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["optimize", "--url", url, "--output", file],
            environment: withKey
        )
        #expect(written.code == 0, "\(written.stderr)")
        #expect(written.stdout == "wrote \(file)\n")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == printed.stdout)

        let unwritable = directory.appendingPathComponent("missing/static.yaml").path
        let bad = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["optimize", "--url", url, "--output", unwritable],
            environment: withKey
        )
        #expect(bad.code == 2)
        #expect(bad.stderr.hasPrefix("error: --output \(unwritable): cannot write"), "\(bad.stderr)")

        let refused = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["optimize", "--url", url], environment: withoutKey)
        #expect(refused.code == 1)
        #expect(
            refused.stderr.contains("the gateway at \(url) needs an API key (HTTP 401): set OLLAMAMAX_API_KEY to a key with role admin"),
            "\(refused.stderr)"
        )

        // status reads the nodes on loopback without a key, and says what the limits need.
        let status = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["status", "--url", url], environment: withoutKey)
        #expect(status.code == 0, "\(status.stderr)")
        #expect(status.stdout.contains("\noptimizer: needs an admin key"), "\(status.stdout)")
        let admin = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["status", "--url", url], environment: withKey)
        #expect(admin.code == 0, "\(admin.stderr)")
        #expect(admin.stdout.contains("\noptimizer: balanced"), "\(admin.stdout)")
        #expect(!status.stdout.contains(Self.key) && !admin.stdout.contains(Self.key) && !printed.stdout.contains(Self.key))
    }

    @Test func optimizeWithoutAGatewaySaysWhereItLooked() async throws {
        let result = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["optimize", "--url", "http://127.0.0.1:1"])
        #expect(result.code == 1)
        #expect(result.stderr.hasPrefix("error: cannot read http://127.0.0.1:1/ollamamax/optimizer: "), "\(result.stderr)")
        #expect(result.stderr.contains("is the gateway running there?"))
    }
}
