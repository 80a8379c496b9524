import Foundation
import LocalCluster
import NodeSimulator
import TestHTTP
import Testing

/// The official `anthropic` Python client (pinned in Tests/clients/requirements.txt) on a
/// `/v1/messages` stream whose node breaks off through the gateway: it raises its own error
/// type with the gateway's message, and does not hang. The Tests/clients suites run against a
/// plain simulator too, which cannot be made to break; so this one runs the client as a child.
@Suite(.timeLimit(.minutes(3)))
struct AnthropicClientMidStreamTests {
    static var python: URL? {
        if let path = ProcessInfo.processInfo.environment["OLLAMAMAX_PYTHON"] { return URL(fileURLWithPath: path) }
        let venv = MonitoringStack.repository.appendingPathComponent(".venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: venv.path) ? venv : nil
    }

    static var client: ExternalTool {
        ExternalTool(".venv/bin/python", url: python, install: "run scripts/test.sh to create .venv with the Python clients")
    }

    /// Streams a message with `client.messages.stream` and prints what it raised: the class,
    /// the error type and the message; exits 1 if nothing was raised.
    static let script = """
        import os, sys, anthropic
        client = anthropic.Anthropic(base_url=os.environ["OLLAMAMAX_TEST_URL"], api_key="ollama", max_retries=0, timeout=20)
        try:
            with client.messages.stream(model="llama3.2", max_tokens=40, messages=[{"role": "user", "content": "hello"}]) as stream:
                text = "".join(stream.text_stream)
        except anthropic.APIStatusError as error:
            print(type(error).__name__)
            print(error.body["error"]["type"])
            print(error.body["error"]["message"])
            sys.exit(0)
        print("no error raised after", repr(text))
        sys.exit(1)
        """

    @Test(client.enabled)
    func theAnthropicClientRaisesItsOwnErrorWhenTheNodeBreaksMidStream() async throws {
        let python = try Self.client.path()
        var breaking = fastNode()
        breaking.faults.midStreamFailureRate = 1
        breaking.faults.midStreamFailureMode = .dropConnection
        try await withCluster([breaking]) { _, cluster in
            let url = cluster.gatewayURL
            // The child is waited for on its own thread, not on one of the few that run the tasks.
            let (status, stdout, stderr) = try await MonitoringStack.run(python, ["-c", Self.script], environment: ["OLLAMAMAX_TEST_URL": url])
            #expect(status == 0, "\(stdout)\n\(stderr)")
            let lines = stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 3, "\(stdout)")
            #expect(lines.first == "APIStatusError")
            #expect(lines.dropFirst().first == "api_error")
            #expect(lines.last?.hasPrefix("node sim-0 failed mid-stream: ") == true, "\(stdout)")
        }
    }
}
