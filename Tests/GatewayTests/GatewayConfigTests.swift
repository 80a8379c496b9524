import ConfigFile
import OllamaAPI
import Testing

@testable import Gateway

/// The gateway's YAML file and address parsing.
struct GatewayConfigTests {
    @Test func aFullFileApplies() throws {
        let file = try GatewayFile.parse(
            """
            listen: 0.0.0.0:9000
            strategy: least-outstanding
            nodes:
              - url: 10.1.2.3:11434
                name: gpu-a
                max_in_flight: 16
              - url: https://gpu-b.internal:11434/
            queue_size: 10
            queue_timeout: 5s
            probe_interval: 1m
            pull_replicas: 2
            debug_endpoints: false
            continuous_profiling: true
            circuit:
              failure_threshold: 3
              open: 30s
            health:
              slow_probe: 500ms
            """,
            source: "gw.yaml"
        )
        var configuration = GatewayConfiguration()
        try file.apply(to: &configuration, source: "gw.yaml")
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9000)
        #expect(configuration.strategy == .leastOutstanding)
        #expect(configuration.nodes.map(\.id) == ["gpu-a", "gpu-b.internal:11434"])
        #expect(configuration.nodes.map(\.url) == ["http://10.1.2.3:11434", "https://gpu-b.internal:11434"])
        #expect(configuration.nodes[0].maxInFlight == 16)
        #expect(configuration.queue.queueSize == 10)
        #expect(configuration.queue.queueTimeout == .seconds(5))
        #expect(configuration.probeInterval == .seconds(60))
        #expect(configuration.pullReplicas == 2)
        #expect(!configuration.debugEndpoints)
        #expect(GatewayConfiguration().debugEndpoints)
        #expect(configuration.continuousProfiling)
        #expect(!GatewayConfiguration().continuousProfiling)
        #expect(configuration.circuit.failureThreshold == 3)
        #expect(configuration.circuit.open == .seconds(30))
        #expect(configuration.health.slowProbe == .seconds(0.5))
        #expect(configuration.problems().isEmpty)
    }

    @Test(arguments: [
        ("nodse: []", #"gw.yaml: unknown key "nodse""#),
        ("nodes:\n  - url: x\n    weight: 2", #"gw.yaml: unknown key "nodes[0].weight""#),
        ("strategy: fastest", "gw.yaml: strategy:"),
        ("queue_timeout: soon", #"gw.yaml: queue_timeout: "soon" is not a duration"#),
        ("listen: localhost", #"gw.yaml: listen: "localhost" is not host:port"#),
        ("nodes:\n  - url: ftp://a:1", "gw.yaml: nodes[0].url: node URL \"ftp://a:1\" uses ftp://"),
        ("circuit:\n  threshold: 1", #"gw.yaml: unknown key "circuit.threshold""#),
    ])
    func badFilesNameTheProblem(text: String, message: String) {
        #expect {
            let file = try GatewayFile.parse(text, source: "gw.yaml")
            var configuration = GatewayConfiguration()
            try file.apply(to: &configuration, source: "gw.yaml")
        } throws: { error in
            (error as? ConfigError)?.description.hasPrefix(message) == true
        }
    }

    @Test func nodeURLsAreCheckedAndNormalised() throws {
        #expect(try NodeEndpoint.parseURL("127.0.0.1:11434") == "http://127.0.0.1:11434")
        #expect(try NodeEndpoint.parseURL("https://a.example:443/") == "https://a.example:443")
        #expect(throws: ConfigError.self) { try NodeEndpoint.parseURL("unix:///var/run/ollama.sock") }
        #expect(throws: ConfigError.self) { try NodeEndpoint.parseURL("http://") }
    }

    @Test func listenAddressesParse() throws {
        #expect(try ListenAddress.parse("127.0.0.1:8080", source: "x") == ("127.0.0.1", 8080))
        #expect(try ListenAddress.parse(":9", source: "x") == ("127.0.0.1", 9))
        #expect(try ListenAddress.parse("[::1]:80", source: "x") == ("::1", 80))
        #expect(throws: ConfigError.self) { try ListenAddress.parse("127.0.0.1:99999", source: "x") }
    }

    @Test func problemsNameTheSetting() {
        var configuration = GatewayConfiguration()
        #expect(configuration.problems().first == "nodes: none given; the gateway needs at least one node")
        configuration.nodes = [NodeEndpoint(id: "a", url: "http://a:1"), NodeEndpoint(id: "a", url: "http://b:1")]
        configuration.maxAttempts = 0
        let problems = configuration.problems()
        #expect(problems.contains("nodes: the name \"a\" is used twice"))
        #expect(problems.contains("max_attempts: must be at least 1"))
    }
}

/// Merged progress across nodes.
struct ProgressMergerTests {
    @Test func digestsAreSummedAndSuccessComesOnceAtTheEnd() {
        var merger = ProgressMerger(nodeCount: 2)
        #expect(merger.add(ProgressEvent(node: "a", object: ["status": "pulling manifest"])) == [["status": "pulling manifest"]])
        #expect(merger.add(ProgressEvent(node: "b", object: ["status": "pulling manifest"])).isEmpty)
        _ = merger.add(ProgressEvent(node: "a", object: ["status": "pulling x", "digest": "d", "total": 100, "completed": 50]))
        let both = merger.add(ProgressEvent(node: "b", object: ["status": "pulling x", "digest": "d", "total": 100, "completed": 10]))
        #expect(both == [["status": "pulling x", "digest": "d", "total": 200, "completed": 60]])
        #expect(merger.add(ProgressEvent(node: "a", object: ["status": "success"])).isEmpty)
        #expect(merger.finish() == [["error": "1 node(s) did not finish"]])
        _ = merger.add(ProgressEvent(node: "b", object: ["status": "success"]))
        #expect(merger.finish() == [["status": "success"]])
    }

    @Test func aFailingNodeEndsTheStreamWithItsError() {
        var merger = ProgressMerger(nodeCount: 2)
        _ = merger.add(ProgressEvent(node: "a", object: ["status": "success"]))
        _ = merger.add(ProgressEvent(node: "b", object: ["error": "disk full"]))
        #expect(merger.finish() == [["error": "b: disk full"]])
    }
}
