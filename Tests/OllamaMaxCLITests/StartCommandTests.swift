import ArgumentParser
import Foundation
import Gateway
@testable import OllamaMaxCLI
import Testing

/// `ollama-distributed start`: where nodes and settings come from, and bad input.
struct StartCommandTests {
    typealias Start = OllamaDistributed.Start

    @Test func nodesComeFromFlagsOverTheFileOverTheEnvironment() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-\(UUID().uuidString).yaml").path
        try "nodes:\n  - url: http://file-node:11434\n    name: f\nqueue_size: 7\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let environment = ["OLLAMAMAX_NODES": "http://env-a:11434, env-b:11434"]
        let fromEnvironment = try Start.parse([]).resolve(environment: environment).configuration
        #expect(fromEnvironment.nodes.map(\.url) == ["http://env-a:11434", "http://env-b:11434"])
        let fromFile = try Start.parse(["--config", path]).resolve(environment: environment).configuration
        #expect(fromFile.nodes.map(\.id) == ["f"])
        #expect(fromFile.queue.queueSize == 7)
        let fromFlags = try Start.parse(["--config", path, "--node", "http://flag:1", "--queue-size", "3"])
            .resolve(environment: environment).configuration
        #expect(fromFlags.nodes.map(\.url) == ["http://flag:1"])
        #expect(fromFlags.queue.queueSize == 3)
        #expect(fromFlags.port == 8080)
        #expect(fromFlags.host == "127.0.0.1")
    }

    @Test func simulateNeedsNoNodes() throws {
        let resolved = try Start.parse(["--simulate", "3", "--strategy", "round-robin", "--listen", ":9999"])
            .resolve(environment: [:])
        #expect(resolved.simulate == 3)
        #expect(resolved.configuration.strategy == .roundRobin)
        #expect(resolved.configuration.port == 9999)
    }

    @Test(arguments: [
        ([String](), "no nodes: give --node URL"),
        (["--node", "ftp://x:1"], "--node: node URL \"ftp://x:1\" uses ftp://"),
        (["--simulate", "0"], "--simulate: must be between 1 and 16"),
        (["--node", "http://a:1", "--listen", "nowhere"], "--listen: \"nowhere\" is not host:port"),
        (["--node", "http://a:1", "--queue-timeout", "0s"], "--queue-timeout: \"0s\" is not a positive duration"),
        (["--config", "/nonexistent/gw.yaml"], "/nonexistent/gw.yaml: cannot read the file"),
    ])
    func badSettingsAreRejectedWithTheirName(arguments: [String], message: String) throws {
        let command = try Start.parse(arguments)
        #expect {
            _ = try command.resolve(environment: [:])
        } throws: { error in
            (error as? ValidationError)?.message.contains(message) == true
        }
    }

    @Test func performanceMonitoringComesFromTheFlagTheEnvironmentOrTheFile() throws {
        let off = try Start.parse(["--simulate", "1"]).resolve(environment: [:]).configuration
        #expect(off.monitoring.enabled == false)
        let flag = try Start.parse(["--simulate", "1", "--enable-performance-monitoring"]).resolve(environment: [:])
        #expect(flag.configuration.monitoring.enabled)
        let environment = try Start.parse(["--simulate", "1"]).resolve(environment: ["ENABLE_PERFORMANCE_MONITORING": "true"])
        #expect(environment.configuration.monitoring.enabled)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-\(UUID().uuidString).yaml").path
        try "simulate: 1\nmonitoring:\n  enabled: true\n  sample_interval: 2s\n  history_samples: 60\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let file = try Start.parse(["--config", path]).resolve(environment: ["ENABLE_PERFORMANCE_MONITORING": "false"])
        #expect(file.configuration.monitoring == MonitoringSettings(enabled: true, sampleIntervalSeconds: 2, historySamples: 60))
    }

    @Test(arguments: [
        (["ENABLE_PERFORMANCE_MONITORING": "maybe"], "ENABLE_PERFORMANCE_MONITORING: \"maybe\" is not a boolean"),
    ])
    func badMonitoringSettingsAreRejected(environment: [String: String], message: String) throws {
        #expect {
            _ = try Start.parse(["--simulate", "1"]).resolve(environment: environment)
        } throws: { error in
            (error as? ValidationError)?.message.contains(message) == true
        }
    }

    @Test func badStrategiesAreRefusedByTheParser() {
        #expect(throws: (any Error).self) { _ = try Start.parse(["--strategy", "fastest"]) }
    }

    @Test func theStatusTableShowsEveryNode() {
        let report = NodesReport(
            strategy: .modelAware, queued: 2,
            nodes: [
                NodeStatus(
                    node: NodeSnapshot(id: "a", models: ["m:latest"], resident: ["m:latest"], inFlight: 1, ttftEWMA: 0.25),
                    version: "0.12.6", requests: 10, failures: 1, probeLatencySeconds: 0.0021, lastError: nil,
                    consecutiveProbeFailures: 0, inventoryKnown: true),
                NodeStatus(
                    node: NodeSnapshot(id: "b", state: .unhealthy), version: nil, requests: 0, failures: 0,
                    probeLatencySeconds: nil, lastError: "probe failed: connection refused", consecutiveProbeFailures: 3,
                    inventoryKnown: false),
            ])
        let table = StatusTable.render(report, url: "http://gw")
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines[0] == "OllamaMax at http://gw: model-aware routing, 2 queued")
        #expect(lines[1].hasPrefix("NODE  STATE"))
        #expect(lines[2].contains("healthy") && lines[2].contains("1/8") && lines[2].contains("250ms") && lines[2].contains("m:latest"))
        #expect(lines[3].contains("unhealthy") && lines[3].contains("down"))
        #expect(lines[4] == "  b: probe failed: connection refused")
    }
}
