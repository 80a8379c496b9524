import Foundation
import TestHTTP
import Testing

/// The official `ollama`, `openai` and `anthropic` Python clients against a simulator started
/// from the binary, and through the gateway: open, over HTTPS, and with API keys.
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

    /// The suites over HTTPS with the CA made for the test (each client trusts it its own way),
    /// through a gateway whose node serves HTTPS too (trusted with `--node-ca`).
    @Test(
        clients.enabled,
        ExternalTool.openssl.enabled,
        .timeLimit(.minutes(3))
    )
    func officialClientsPassOverHTTPSThroughAnHTTPSNode() async throws {
        let certificates = try await TestCertificates.make()
        let served = ["--tls-cert", certificates.certificatePath, "--tls-key", certificates.keyPath]
        let node = try ChildProcess(ChildProcess.binary, ["node-sim", "--port", "0", "--load-time", "0"] + served)
        try node.start()
        defer { node.stop() }
        let nodeURL = try #require(try await node.waitForLine(containing: "listening on").split(separator: " ").last.map(String.init))
        #expect(nodeURL.hasPrefix("https://"))
        let gateway = try ChildProcess(
            ChildProcess.binary,
            ["start", "--node", nodeURL, "--node-ca", certificates.caPath, "--listen", "127.0.0.1:0"] + served
        )
        try gateway.start()
        defer { gateway.stop() }
        let line = try await gateway.waitForLine(containing: "listening on")
        let url = try #require(line.split(separator: " ").first { $0.hasPrefix("https://") }.map(String.init))
        try await runClientSuites(url: url, environment: ["OLLAMAMAX_TEST_CA": certificates.caPath])
    }

    /// The suites with an inference key, each client sending it with its own option, and
    /// test_access.py: no key or a wrong one is each client's "unauthorized" error, a key whose
    /// role may not use a route its "forbidden" error. No key reaches the gateway's output.
    @Test(
        clients.enabled,
        .timeLimit(.minutes(3))
    )
    func officialClientsPassThroughAKeyedGatewayAndAreRefusedWithoutAKey() async throws {
        let inference = "ollamamax-test-inference-\(UUID().uuidString)"
        let metrics = "ollamamax-test-metrics-\(UUID().uuidString)"
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("ollamamax-keys-\(UUID().uuidString).yaml")
        try """
        keys:
          - name: suite
            key: env:OLLAMAMAX_TEST_INFERENCE_KEY
            role: inference
          - name: scraper
            key: env:OLLAMAMAX_TEST_SCRAPER_KEY
            role: metrics
        """.write(to: keys, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keys.path)
        let gateway = try ChildProcess(
            ChildProcess.binary,
            ["start", "--simulate", "3", "--listen", "127.0.0.1:0", "--api-keys", keys.path],
            environment: ["OLLAMAMAX_TEST_INFERENCE_KEY": inference, "OLLAMAMAX_TEST_SCRAPER_KEY": metrics]
        )
        try gateway.start()
        defer { gateway.stop() }
        let line = try await gateway.waitForLine(containing: "listening on")
        let url = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        let output = try await runClientSuites(
            url: url,
            environment: ["OLLAMAMAX_TEST_API_KEY": inference, "OLLAMAMAX_TEST_METRICS_KEY": metrics]
        )
        let passed = output.split(separator: "\n").filter { $0.hasPrefix("PASSED ") }
        for test in [
            "test_access.py::test_ollama_inference_key_may_not_delete_a_model",
            "test_access.py::test_openai_metrics_key_is_permission_denied",
            "test_anthropic_client.py::test_messages_create[x-api-key]",
        ] {
            #expect(passed.contains { $0.hasSuffix(test) }, "\(test) did not pass")
        }
        for key in [inference, metrics] {
            #expect(!gateway.stdout.contains(key) && !gateway.stderr.contains(key), "a key reached the gateway's output")
        }
    }

    /// Runs the pytest suites of Tests/clients against `url` and expects every test to pass;
    /// returns pytest's output, which names every test that passed.
    @discardableResult
    func runClientSuites(url: String, environment: [String: String] = [:]) async throws -> String {
        let python = try Self.clients.path()
        let pytest = try ChildProcess(
            python,
            [
                "-m", "pytest", "-q", "-rfEp", "-p", "no:cacheprovider",
                ChildProcess.packageRoot.appendingPathComponent("Tests/clients").path,
            ],
            environment: ["OLLAMAMAX_TEST_URL": url].merging(environment) { _, given in given }
        )
        let status = try await pytest.run()
        #expect(status == 0, "pytest failed:\n\(pytest.stdout)\n\(pytest.stderr)")
        #expect(pytest.stdout.contains(" passed"))
        #expect(!pytest.stdout.contains("skipped"))
        return pytest.stdout
    }
}
