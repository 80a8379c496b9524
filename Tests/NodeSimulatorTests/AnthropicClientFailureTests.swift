import Foundation
import PerfReport
import NodeSimulator
import TestHTTP
import Testing

/// The official `anthropic` Python client against a simulator whose streams fail midway: the
/// client raises its own error type after the tokens that came, and never hangs.
@Suite(.timeLimit(.minutes(3)))
struct AnthropicClientFailureTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var python: ExternalTool {
        let venv = packageRoot.appendingPathComponent(".venv/bin/python")
        let override = ProcessInfo.processInfo.environment["OLLAMAMAX_PYTHON"].map { URL(fileURLWithPath: $0) }
        return ExternalTool(
            ".venv/bin/python",
            url: override ?? (FileManager.default.isExecutableFile(atPath: venv.path) ? venv : nil),
            install: "run scripts/test.sh to create .venv with the Python clients"
        )
    }

    /// Streams ten tokens with `client.messages.stream` and prints how it ended: the error's
    /// class, status, type and message, and how many text pieces came first.
    static let script = #"""
        import os, anthropic
        client = anthropic.Anthropic(base_url=os.environ["OLLAMAMAX_TEST_URL"], api_key="unused", max_retries=0, timeout=20)
        pieces = []
        try:
            with client.messages.stream(model="qwen2.5:0.5b", max_tokens=10, messages=[{"role": "user", "content": "hi"}]) as stream:
                for piece in stream.text_stream:
                    pieces.append(piece)
            print("completed", len(pieces))
        except anthropic.APIStatusError as error:
            print(type(error).__name__, error.status_code, error.body["error"]["type"], error.body["error"]["message"], len(pieces))
        except anthropic.APIConnectionError as error:
            print(type(error).__name__, len(pieces))
        """#

    /// Runs ``script`` against `port` and returns its output, without a trailing newline.
    static func runClient(port: Int) async throws -> String {
        let process = Process()
        process.executableURL = try python.path()
        process.arguments = ["-c", script]
        process.environment = ProcessInfo.processInfo.environment.merging(["OLLAMAMAX_TEST_URL": "http://127.0.0.1:\(port)"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
        try process.run()
        // The pipe is read to its end (the client's exit) before the status, so a full pipe cannot
        // block the client; on a thread of its own, since the simulator's handlers need the task pool.
        let reader = output.fileHandleForReading
        let data = await withCheckedContinuation { (done: CheckedContinuation<Data, Never>) in
            Thread.detachNewThread { done.resume(returning: (try? reader.readToEndRetryingInterrupts()) ?? Data()) }
        }
        let text = String(decoding: data, as: UTF8.self)
        var statuses = exited.stream.makeAsyncIterator()
        let status = await statuses.next()
        #expect(status == 0, "python exited with \(String(describing: status)): \(text)")
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(python.enabled)
    func anErrorEventMidStreamRaisesTheClientsStatusErrorWithTheMessage() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.faults.midStreamFailureRate = 1
        try await withSimulator(configuration) { client, _ in
            let port = try #require(Int(client.base.split(separator: ":").last ?? ""))
            let output = try await Self.runClient(port: port)
            #expect(output == "APIStatusError 200 api_error simulated failure: the model runner stopped in the middle of the answer 5")
        }
    }

    @Test(python.enabled)
    func aDroppedConnectionMidStreamRaisesTheClientsConnectionError() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.faults.midStreamFailureRate = 1
        configuration.faults.midStreamFailureMode = .dropConnection
        try await withSimulator(configuration) { client, _ in
            let port = try #require(Int(client.base.split(separator: ":").last ?? ""))
            #expect(try await Self.runClient(port: port) == "APIConnectionError 5")
        }
    }
}
