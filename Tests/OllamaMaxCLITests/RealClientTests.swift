import Foundation
import TestHTTP
import Testing

/// The official `ollama` and `openai` Python clients against a simulator started from the binary.
///
/// `scripts/test.sh` creates `.venv` with the pinned clients and sets
/// `OLLAMAMAX_REQUIRE_REAL_CLIENTS=1`, so in CI a missing venv fails instead of skipping.
struct RealClientTests {
    static var python: URL? {
        if let path = ProcessInfo.processInfo.environment["OLLAMAMAX_PYTHON"] { return URL(fileURLWithPath: path) }
        let venv = ChildProcess.packageRoot.appendingPathComponent(".venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: venv.path) ? venv : nil
    }

    static var clients: ExternalTool {
        ExternalTool(".venv/bin/python", url: python, install: "run scripts/test.sh to create .venv with the Python clients")
    }

    @Test(
        clients.enabled,
        .timeLimit(.minutes(3))
    )
    func officialClientsPassAgainstTheSimulator() async throws {
        let simulator = try ChildProcess(ChildProcess.binary, ["node-sim", "--port", "0", "--load-time", "0"])
        try simulator.start()
        defer { simulator.stop() }
        let line = try await simulator.waitForLine(containing: "listening on")
        try await runClientSuites(url: try #require(line.split(separator: " ").last.map(String.init)))
    }

    @Test(
        clients.enabled,
        .timeLimit(.minutes(3))
    )
    func officialClientsPassThroughTheGateway() async throws {
        let gateway = try ChildProcess(ChildProcess.binary, ["start", "--simulate", "3", "--listen", "127.0.0.1:0"])
        try gateway.start()
        defer { gateway.stop() }
        let line = try await gateway.waitForLine(containing: "listening on")
        let url = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        try await runClientSuites(url: url)
    }

    /// Runs the pytest suites of Tests/clients against `url` and expects every test to pass.
    func runClientSuites(url: String) async throws {
        let python = try Self.clients.path()
        let pytest = try ChildProcess(
            python,
            ["-m", "pytest", "-q", "-p", "no:cacheprovider", ChildProcess.packageRoot.appendingPathComponent("Tests/clients").path],
            environment: ["OLLAMAMAX_TEST_URL": url]
        )
        let status = try await pytest.run()
        #expect(status == 0, "pytest failed:\n\(pytest.stdout)\n\(pytest.stderr)")
        #expect(pytest.stdout.contains(" passed"))
        #expect(!pytest.stdout.contains("skipped"))
    }
}
