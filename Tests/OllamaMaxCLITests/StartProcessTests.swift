import Foundation
import TestHTTP
import Testing

/// `ollama-distributed start` as the seed runs it, as a process.
struct StartProcessTests {
    /// The seed's `./ollama-distributed start --enable-performance-monitoring`, on a machine whose
    /// Ollama is not running: the gateway starts over the local Ollama, says so, and answers 503s
    /// that name the node and what to do (it exited 64 before).
    @Test func theSeedsStartCommandServesWithNoNodeGiven() async throws {
        // Port 1 (tcpmux) has no listener on a test machine: a connection to it is refused.
        let gateway = try ChildProcess(
            ChildProcess.binary,
            ["start", "--enable-performance-monitoring", "--listen", "127.0.0.1:0"],
            environment: ["OLLAMA_HOST": "127.0.0.1:1", "OLLAMAMAX_NODES": "", "ENABLE_PERFORMANCE_MONITORING": ""]
        )
        try gateway.start()
        defer { gateway.stop() }
        let line = try await gateway.waitForLine(containing: "listening on")
        #expect(line.hasSuffix("(model-aware over 1 node: http://127.0.0.1:1)"))
        let port = try #require(line.split(separator: ":")[2].split(separator: " ").first.map(String.init))
        let answer = try await TestClient(base: "http://127.0.0.1:\(port)")
            .post("/api/generate", #"{"model":"llama3.2","prompt":"hi"}"#)
        #expect(answer.status == 503)
        let object = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
        let error = object?["error"] as? String ?? ""
        #expect(error.hasPrefix("no healthy Ollama node is available: http://127.0.0.1:1 is down (probe failed: "))
        #expect(error.hasSuffix("; start Ollama there or point the gateway at running nodes"))
        #expect(
            gateway.stderr.contains(
                "no nodes given (--node, nodes: in --config, OLLAMAMAX_NODES): using http://127.0.0.1:1, "
                    + "from OLLAMA_HOST=127.0.0.1:1; --simulate N serves N simulated nodes instead"
            )
        )
    }
}
