import ArgumentParser
import Foundation
import Gateway
import Testing

@testable import OllamaMaxCLI

/// `ollama-distributed start`: where nodes and settings come from, and bad input.
struct StartCommandTests {
    typealias Start = OllamaDistributed.Start

    @Test func nodesComeFromFlagsOverTheFileOverTheEnvironment() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-\(UUID().uuidString).yaml").path
        try "nodes:\n  - url: http://file-node:11434\n    name: f\nqueue_size: 7\n".write(
            toFile: path,
            atomically: true,
            encoding: .utf8
        )
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
        (["--node", "ftp://x:1"], "--node: node URL \"ftp://x:1\" uses ftp://"),
        (["--simulate", "0"], "--simulate: must be between 1 and 16"),
        (["--node", "http://a:1", "--listen", "nowhere"], "--listen: \"nowhere\" is not host:port"),
        (["--node", "http://a:1", "--queue-timeout", "0s"], "--queue-timeout: \"0s\" is not a positive duration"),
        (["--config", "/nonexistent/gw.yaml"], "/nonexistent/gw.yaml: cannot read the file"),
        (["--node", "http://a:1", "--threads", "0"], "--threads 0: must be between 1 and 256"),
    ])
    func badSettingsAreRejectedWithTheirName(arguments: [String], message: String) throws {
        let command = try Start.parse(arguments)
        #expect {
            _ = try command.resolve(environment: [:])
        } throws: { error in
            (error as? CLIError)?.message.contains(message) == true
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
            toFile: path,
            atomically: true,
            encoding: .utf8
        )
        let file = try Start.parse(["--config", path]).resolve(environment: ["ENABLE_PERFORMANCE_MONITORING": "false"])
        #expect(file.configuration.monitoring == MonitoringSettings(enabled: true, sampleInterval: .seconds(2), historySamples: 60))
    }

    @Test(arguments: [
        (["ENABLE_PERFORMANCE_MONITORING": "maybe"], "ENABLE_PERFORMANCE_MONITORING: \"maybe\" is not a boolean")
    ])
    func badMonitoringSettingsAreRejected(environment: [String: String], message: String) throws {
        #expect {
            _ = try Start.parse(["--simulate", "1"]).resolve(environment: environment)
        } throws: { error in
            (error as? CLIError)?.message.contains(message) == true
        }
    }

    @Test func withNoNodeGivenTheGatewayUsesTheLocalOllamaAndSaysSo() throws {
        let plain = try Start.parse(["--enable-performance-monitoring"]).resolve(environment: [:])
        #expect(plain.configuration.nodes == [NodeEndpoint(id: "127.0.0.1:11434", url: "http://127.0.0.1:11434")])
        #expect(plain.configuration.monitoring.enabled)
        #expect(plain.simulate == 0)
        #expect(
            plain.notice
                == "no nodes given (--node, nodes: in --config, OLLAMAMAX_NODES): using http://127.0.0.1:11434, "
                + "Ollama's default (OLLAMA_HOST is not set); --simulate N serves N simulated nodes instead"
        )
        let monitored = try Start.parse([]).resolve(environment: ["ENABLE_PERFORMANCE_MONITORING": "true"])
        #expect(monitored.configuration.monitoring.enabled)
        #expect(monitored.configuration.nodes.map(\.url) == ["http://127.0.0.1:11434"])
        let host = try Start.parse([]).resolve(environment: ["OLLAMA_HOST": "gpu-box:11500"])
        #expect(host.configuration.nodes.map(\.url) == ["http://gpu-box:11500"])
        #expect(host.notice?.contains("using http://gpu-box:11500, from OLLAMA_HOST=gpu-box:11500;") == true)
    }

    @Test func givenNodesWinOverOllamaHost() throws {
        let environment = ["OLLAMA_HOST": "gpu-box:11500", "OLLAMAMAX_NODES": "http://env-a:11434"]
        let fromEnvironment = try Start.parse([]).resolve(environment: environment)
        #expect(fromEnvironment.configuration.nodes.map(\.url) == ["http://env-a:11434"])
        #expect(fromEnvironment.notice == nil)
        let fromFlag = try Start.parse(["--node", "http://flag:1"]).resolve(environment: ["OLLAMA_HOST": "gpu-box"])
        #expect(fromFlag.configuration.nodes.map(\.url) == ["http://flag:1"])
        #expect(fromFlag.notice == nil)
        let simulated = try Start.parse(["--simulate", "2"]).resolve(environment: ["OLLAMA_HOST": "gpu-box"])
        #expect(simulated.configuration.nodes.isEmpty)
        #expect(simulated.simulate == 2)
        #expect(simulated.notice == nil)
    }

    @Test func aBadOllamaHostIsRefusedByName() throws {
        #expect {
            _ = try Start.parse([]).resolve(environment: ["OLLAMA_HOST": "gpu-box:port"])
        } throws: { error in
            (error as? CLIError)?.message
                == "OLLAMA_HOST \"gpu-box:port\": port \"port\" is not a TCP port (0-65535); write host:port, e.g. 127.0.0.1:11434"
        }
    }

    @Test func badStrategiesAreRefusedByTheParser() {
        #expect(throws: (any Error).self) { _ = try Start.parse(["--strategy", "fastest"]) }
    }
}
