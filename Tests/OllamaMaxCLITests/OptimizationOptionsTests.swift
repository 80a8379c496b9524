import ArgumentParser
import Foundation
import Gateway
import Optimizer
import Testing

@testable import OllamaMaxCLI

/// `start --optimization-level`: the flag over the file over the default.
struct OptimizationOptionsTests {
    typealias Start = OllamaDistributed.Start

    @Test func theLevelComesFromTheFlagOverTheFileOverTheDefault() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-\(UUID().uuidString).yaml").path
        try "optimization:\n  level: conservative\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let byDefault = try Start.parse(["--simulate", "1"]).resolve(environment: [:]).configuration
        #expect(byDefault.optimization.level == .balanced)
        let fromFile = try Start.parse(["--simulate", "1", "--config", path]).resolve(environment: [:]).configuration
        #expect(fromFile.optimization.level == .conservative)
        let fromFlag = try Start.parse(["--simulate", "1", "--config", path, "--optimization-level", "off"])
            .resolve(environment: [:]).configuration
        #expect(fromFlag.optimization.level == .off)
    }

    @Test func anUnknownLevelIsRefusedWithTheLevels() {
        #expect {
            _ = try Start.parse(["--simulate", "1", "--optimization-level", "max"])
        } throws: { error in
            let message = Start.message(for: error)
            return message.contains("max") && message.contains("balanced") && message.contains("aggressive")
        }
    }

    @Test func peersComeFromTheFlagOverTheFileAndABadOneIsNamed() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-\(UUID().uuidString).yaml").path
        try "optimization:\n  peers: [http://127.0.0.1:11500]\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try Start.parse(["--simulate", "1", "--config", path]).resolve(environment: [:]).configuration
        #expect(fromFile.optimization.peers == ["http://127.0.0.1:11500"])
        let fromFlags = try Start.parse([
            "--simulate", "1", "--config", path, "--peer", "http://127.0.0.1:11501", "--peer", "http://127.0.0.1:11502/",
        ])
        .resolve(environment: [:]).configuration
        #expect(fromFlags.optimization.peers == ["http://127.0.0.1:11501", "http://127.0.0.1:11502/"])
        #expect(throws: (any Error).self) { _ = try Start.parse(["--simulate", "1", "--peer", "gateway-b"]).resolve(environment: [:]) }
        do {
            _ = try Start.parse(["--simulate", "1", "--peer", "gateway-b"]).resolve(environment: [:])
        } catch {
            let message = Start.message(for: error)
            #expect(message.contains("optimization.peers[0]: \"gateway-b\"") && message.contains("http://"), "\(message)")
        }
        do {
            _ = try Start.parse(["--simulate", "1", "--peer", "http://admin:hunter2@127.0.0.1:11500"]).resolve(environment: [:])
            Issue.record("a peer URL with a password was accepted")
        } catch {
            let message = Start.message(for: error)
            #expect(message.contains("optimization.peers[0]") && !message.contains("hunter2"), "\(message)")
        }
    }
}
