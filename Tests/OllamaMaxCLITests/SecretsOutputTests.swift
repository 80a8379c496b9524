import Foundation
import NIOHTTP1
import TestHTTP
import Testing

/// Keys never reach what the gateway prints or serves: `start`'s output and its logs at trace
/// level, `status`, `/ollamamax/*` and `/metrics` show key names only, for good keys, wrong keys
/// and refused roles alike; a node URL with a password is refused without repeating it.
@Suite(.timeLimit(.minutes(3)))
struct SecretsOutputTests {
    static let adminKey = "SECRET-admin-3f9a1c77e2"
    static let aliceKey = "SECRET-alice-8b1e44d0c9"
    static let wrongKey = "SECRET-wrong-0c2d9e5a11"

    @Test func keysAppearInNoOutputLogOrMonitoringAnswer() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = directory.appendingPathComponent("keys.yaml")
        try "keys:\n  - name: alice\n    key: env:ALICE_KEY\n    role: inference\n".write(to: keys, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keys.path)
        let gateway = try ChildProcess(
            ChildProcess.binary,
            [
                "start", "--simulate", "1", "--listen", "127.0.0.1:0", "--api-keys", keys.path, "--log-level", "trace",
                "--enable-performance-monitoring",
            ],
            environment: ["OLLAMAMAX_API_KEY": Self.adminKey, "ALICE_KEY": Self.aliceKey, "OLLAMAMAX_NODES": ""]
        )
        try gateway.start()
        defer { gateway.stop() }
        let line = try await gateway.waitForLine(containing: "listening on")
        let port = try #require(line.split(separator: ":")[2].split(separator: " ").first.map(String.init))
        let client = TestClient(base: "http://127.0.0.1:\(port)")
        let generate = #"{"model":"llama3.2","prompt":"hi","stream":false,"options":{"num_predict":2}}"#
        var answers: [HTTPAnswer] = []
        answers.append(try await client.post("/api/generate", generate, headers: [("Authorization", "Bearer \(Self.aliceKey)")]))
        #expect(answers.last?.status == 200)
        answers.append(try await client.post("/api/generate", generate, headers: [("x-api-key", Self.adminKey)]))
        #expect(answers.last?.status == 200)
        answers.append(try await client.post("/api/generate", generate, headers: [("Authorization", "Bearer \(Self.wrongKey)")]))
        #expect(answers.last?.status == 401)
        answers.append(try await client.post("/v1/chat/completions", "{}", headers: [("x-api-key", Self.wrongKey)]))
        #expect(answers.last?.status == 401)
        answers.append(try await client.post("/api/pull", #"{"model":"llama3.2"}"#, headers: [("Authorization", "Bearer \(Self.aliceKey)")]))
        #expect(answers.last?.status == 403)
        for path in ["/ollamamax/nodes", "/ollamamax/keys", "/ollamamax/history", "/metrics", "/debug/pprof/heap"] {
            answers.append(try await client.send(.GET, path, headers: [("Authorization", "Bearer \(Self.adminKey)")]))
            #expect(answers.last?.status == 200, "\(path): \(answers.last?.text ?? "")")
            answers.append(try await client.send(.GET, path, headers: [("Authorization", "Bearer \(Self.aliceKey)")]))
        }
        let keysAnswer = try await client.send(.GET, "/ollamamax/keys", headers: [("Authorization", "Bearer \(Self.adminKey)")])
        #expect(keysAnswer.text.contains("alice") && keysAnswer.text.contains("OLLAMAMAX_API_KEY"), "\(keysAnswer.text)")
        let status = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["status", "--url", client.base],
            environment: ["OLLAMAMAX_API_KEY": Self.adminKey]
        )
        #expect(status.code == 0, "\(status.stderr)")
        gateway.stop()
        let printed =
            [gateway.stdout, gateway.stderr, status.stdout, status.stderr] + answers.map(\.text)
            + answers.flatMap { $0.headers.map { "\($0.name): \($0.value)" } }
        #expect(gateway.stderr.contains("request done") || gateway.stderr.contains("trace"), "no log lines were captured")
        for text in printed {
            #expect(!text.contains("SECRET"), "a key was printed: \(text.prefix(2000))")
        }
    }

    @Test func aNodeURLWithAPasswordIsRefusedWithoutRepeatingIt() async throws {
        let start = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["start", "--node", "http://ops:SECRETpassword@127.0.0.1:11434", "--listen", "127.0.0.1:0"]
        )
        #expect(start.code == 2)
        #expect(start.stderr.contains("node URL http://127.0.0.1:11434 holds a user name or password (not shown)"), "\(start.stderr)")
        #expect(!start.stderr.contains("SECRET") && !start.stdout.contains("SECRET"))
    }
}
