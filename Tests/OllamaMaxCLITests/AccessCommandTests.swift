import ArgumentParser
import Foundation
import Gateway
import Testing

@testable import OllamaMaxCLI

/// `start`'s API keys and safe defaults: no keys on a non-loopback address is refused unless
/// `--insecure-no-auth` says so (with a warning); keys come from `--api-keys`, the config
/// file's `api_keys:` and `OLLAMAMAX_API_KEY`.
struct AccessCommandTests {
    typealias Start = OllamaDistributed.Start

    static func keyFile(_ text: String, mode: Int = 0o600, in directory: URL? = nil) throws -> String {
        let folder = directory ?? FileManager.default.temporaryDirectory
        let path = folder.appendingPathComponent("keys-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test func aNonLoopbackAddressWithoutKeysIsRefusedSayingHowToAddOne() throws {
        for listen in ["0.0.0.0:8080", "[::]:8080", "10.1.2.3:8080"] {
            let command = try Start.parse(["--simulate", "1", "--listen", listen])
            #expect {
                _ = try command.resolve(environment: [:])
            } throws: { error in
                guard let error = error as? CLIError else { return false }
                return error.code == 2 && error.message.contains("without API keys")
                    && error.message.contains("--api-keys FILE") && error.message.contains("OLLAMAMAX_API_KEY")
                    && error.message.contains("--insecure-no-auth")
            }
        }
        // Loopback needs no key, as before.
        let local = try Start.parse(["--simulate", "1", "--listen", "127.0.0.1:8080"]).resolve(environment: [:]).configuration
        #expect(local.access.keys.isEmpty)
        #expect(AccessOptions.warning(for: local) == nil)
        #expect(local.servesDebugEndpoints)
    }

    @Test func insecureNoAuthServesWithOneWarningAndNoDebugEndpoints() throws {
        let open = try Start.parse(["--simulate", "1", "--listen", "0.0.0.0:8080", "--insecure-no-auth"]).resolve(environment: [:])
        #expect(open.configuration.access.insecureNoAuth)
        #expect(
            AccessOptions.warning(for: open.configuration)
                == "--insecure-no-auth: serving 0.0.0.0 without API keys; anyone who can reach it may use every route, "
                + "model management included (/debug/pprof is off)"
        )
        #expect(!open.configuration.servesDebugEndpoints)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-\(UUID().uuidString).yaml").path
        try "listen: 0.0.0.0:9000\ninsecure_no_auth: true\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try Start.parse(["--simulate", "1", "--config", path]).resolve(environment: [:]).configuration
        #expect(fromFile.access.insecureNoAuth)
    }

    @Test func keysComeFromTheFlagTheConfigFileAndTheEnvironment() throws {
        let environment = ["OLLAMAMAX_API_KEY": "env-key", "CI_KEY": "ci-key"]
        let withEnvironment = try Start.parse(["--simulate", "1", "--listen", "0.0.0.0:8080"]).resolve(environment: environment)
        #expect(withEnvironment.configuration.access.keys.map(\.name) == ["OLLAMAMAX_API_KEY"])
        #expect(AccessOptions.warning(for: withEnvironment.configuration) == nil)
        #expect(withEnvironment.configuration.servesDebugEndpoints)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("access-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = try Self.keyFile("keys:\n  - name: ci\n    key: env:CI_KEY\n    role: admin\n", in: directory)
        let config = directory.appendingPathComponent("gateway.yaml").path
        try "listen: 0.0.0.0:9000\napi_keys: \(URL(fileURLWithPath: keys).lastPathComponent)\n".write(
            toFile: config,
            atomically: true,
            encoding: .utf8
        )
        let fromFile = try Start.parse(["--simulate", "1", "--config", config]).resolve(environment: ["CI_KEY": "ci-key"])
        #expect(fromFile.configuration.access.keys == [APIKey(name: "ci", key: "ci-key", role: .admin)])
        let fromFlag = try Start.parse(["--simulate", "1", "--listen", "0.0.0.0:1", "--api-keys", keys]).resolve(environment: environment)
        #expect(fromFlag.configuration.access.keys.map(\.name) == ["ci", "OLLAMAMAX_API_KEY"])
    }

    @Test func aKeyFileOthersMayReadStopsTheStartWithTheFix() throws {
        let path = try Self.keyFile("keys:\n  - name: a\n    key: env:A\n", mode: 0o644)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let command = try Start.parse(["--simulate", "1", "--api-keys", path])
        #expect {
            _ = try command.resolve(environment: ["A": "x"])
        } throws: { error in
            (error as? CLIError)?.message == "\(path): the API key file is accessible by group or others (mode 644); run chmod 600 \(path)"
        }
    }

    /// The process itself: exit 2 and the message on standard error, before listening anywhere.
    @Test func theGatewayProcessRefusesToStartOnAllAddressesWithoutKeys() async throws {
        let gateway = try ChildProcess(
            ChildProcess.binary,
            ["start", "--simulate", "1", "--listen", "0.0.0.0:0"],
            environment: ["OLLAMAMAX_API_KEY": ""]
        )
        let status = try await gateway.run()
        #expect(status == 2)
        #expect(gateway.stderr.hasPrefix("error: refusing to serve 0.0.0.0 without API keys"))
        #expect(!gateway.stdout.contains("listening on"))
    }
}
