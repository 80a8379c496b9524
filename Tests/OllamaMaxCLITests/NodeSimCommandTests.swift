import ArgumentParser
import Foundation
import NodeSimulator
import Testing

@testable import OllamaMaxCLI

/// `ollama-distributed node-sim`: settings layering and bad input.
struct NodeSimCommandTests {
    typealias NodeSim = OllamaDistributed.NodeSim

    @Test func countGivesConsecutivePortsAndSlowerNodes() throws {
        let command = try NodeSim.parse(["--port", "12000", "--count", "3", "--speed-spread", "0.5"])
        let (nodes, _) = try command.resolve(environment: [:])
        #expect(nodes.map(\.port) == [12000, 12001, 12002])
        #expect(nodes.map(\.name) == ["node-0", "node-1", "node-2"])
        let base = nodes[0].models[0].decodeTokensPerSecond
        #expect(nodes[1].models[0].decodeTokensPerSecond == base / 1.5)
        #expect(nodes[2].models[0].decodeTokensPerSecond == base / 2)
    }

    @Test func flagsBeatTheFileWhichBeatsTheEnvironment() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID().uuidString).yaml").path
        try "num_parallel: 3\nmax_queue: 9\nkeep_alive: 1m\n".write(toFile: path, atomically: true, encoding: .utf8)
        let environment = ["OLLAMA_NUM_PARALLEL": "2", "OLLAMA_MAX_QUEUE": "7", "OLLAMA_MAX_LOADED_MODELS": "5"]
        let (fromFile, _) = try NodeSim.parse(["--config", path]).resolve(environment: environment)
        #expect(fromFile[0].limits.numParallel == 3)
        #expect(fromFile[0].limits.maxQueue == 9)
        #expect(fromFile[0].limits.maxLoadedModels == 5)
        #expect(fromFile[0].limits.defaultKeepAlive == .seconds(60))
        let (fromFlags, _) = try NodeSim.parse(["--config", path, "--num-parallel", "8", "--keep-alive", "-1"])
            .resolve(environment: environment)
        #expect(fromFlags[0].limits.numParallel == 8)
        #expect(fromFlags[0].limits.defaultKeepAlive == .seconds(-1))
        let (fromEnvironment, _) = try NodeSim.parse([]).resolve(environment: environment)
        #expect(fromEnvironment[0].limits.numParallel == 2)
    }

    @Test func modelOverridesApplyToEveryModel() throws {
        let (nodes, _) = try NodeSim.parse(["--decode-rate", "10", "--load-time", "0", "--jitter", "0", "--latency-spike", "250ms"])
            .resolve(environment: [:])
        #expect(nodes[0].models.allSatisfy { $0.decodeTokensPerSecond == 10 && $0.loadTime == .zero && $0.jitter == 0 })
        #expect(nodes[0].faults.latencySpike == .milliseconds(250))
        let (slow, _) = try NodeSim.parse(["--load-time", "1.5s"]).resolve(environment: [:])
        #expect(slow[0].models.allSatisfy { $0.loadTime == .milliseconds(1500) })
    }

    @Test(arguments: [
        (["--error-rate", "1.5"], "faults.error_rate: must be between 0 and 1"),
        (["--num-parallel", "0"], "num_parallel: must be at least 1"),
        (["--keep-alive", "soon"], #"--keep-alive: "soon" is not a duration"#),
        (["--count", "0"], "count: must be between 1 and 64, got 0"),
        (["--port", "0", "--count", "2"], "port 0 picks one free port"),
        (["--latency-spike", "soon"], #"--latency-spike: "soon" is not a duration"#),
        (["--config", "/nonexistent.yaml"], "/nonexistent.yaml: cannot read the file"),
    ])
    func badSettingsAreRejectedWithTheirName(arguments: [String], message: String) throws {
        let command = try NodeSim.parse(arguments)
        #expect {
            _ = try command.resolve(environment: [:])
        } throws: { error in
            (error as? CLIError)?.message.contains(message) == true
        }
    }

    @Test func badEnvironmentValuesAreNamed() throws {
        #expect {
            _ = try NodeSim.parse([]).resolve(environment: ["OLLAMA_MAX_QUEUE": "lots"])
        } throws: { error in
            (error as? CLIError)?.message == "OLLAMA_MAX_QUEUE=lots: expected an integer"
        }
    }

    @Test func theBinaryExitsNonZeroOnBadFlagsAndPrintsItsVersion() async throws {
        let bad = try ChildProcess(ChildProcess.binary, ["node-sim", "--mid-stream-failure-mode", "explode"])
        #expect(try await bad.run() == 64)
        #expect(bad.stderr.contains("explode"))
        let badValue = try ChildProcess(ChildProcess.binary, ["node-sim", "--error-rate", "2"])
        #expect(try await badValue.run() == 64)
        #expect(badValue.stderr.contains("faults.error_rate: must be between 0 and 1, got 2.0"))
        let version = try ChildProcess(ChildProcess.binary, ["--version"])
        #expect(try await version.run() == 0)
        #expect(version.stdout == OllamaDistributed.version + "\n")
    }

    @Test func aPortInUseIsReportedAndExitsNonZero() async throws {
        let first = try ChildProcess(ChildProcess.binary, ["node-sim", "--port", "0"])
        try first.start()
        defer { first.stop() }
        let line = try await first.waitForLine(containing: "listening on")
        let port = try #require(line.split(separator: ":").last.map(String.init))
        let second = try ChildProcess(ChildProcess.binary, ["node-sim", "--port", port])
        #expect(try await second.run() != 0)
        #expect(second.stderr.contains("Address already in use") || second.stderr.contains("address already in use"))
    }
}
