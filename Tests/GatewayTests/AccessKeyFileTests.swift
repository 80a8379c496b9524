import ConfigFile
import Foundation
import Testing

@testable import Gateway

/// The API key file: its format, its errors (file, entry, fix) and its permissions.
struct AccessKeyFileTests {
    static let digest = String(repeating: "ab", count: 32)

    @Test func entriesBecomeKeysWithRolesLimitsAndModels() throws {
        let text = """
            keys:
              - name: ci-bot
                sha256: \(Self.digest.uppercased())
                role: admin
              - name: alice
                key: env:ALICE_KEY
                limits: { requests_per_minute: 60, tokens_per_minute: 100000 }
                models: [llama3.2, "qwen2.5:7b"]
              - name: prom.scrape_1
                sha256: \(String(repeating: "0", count: 64))
                role: metrics
            """
        let keys = try KeyFile.parse(text, source: "keys.yaml", environment: ["ALICE_KEY": "s3cret"])
        #expect(keys.map(\.name) == ["ci-bot", "alice", "prom.scrape_1"])
        #expect(keys.map(\.role) == [.admin, .inference, .metrics])
        #expect(keys[0].digest == [UInt8](repeating: 0xab, count: 32))
        #expect(keys[1].digest == APIKey.digest(of: "s3cret"))
        #expect(keys[1].limits == KeyLimits(requestsPerMinute: 60, tokensPerMinute: 100000))
        #expect(keys[1].models == ["llama3.2", "qwen2.5:7b"])
        #expect(keys[2].limits == nil)
        // printf %s test | sha256sum
        #expect(APIKey.digest(of: "test") == KeyFile.Entry.hexBytes("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
    }

    @Test(arguments: [
        ("keys: []", "keys.yaml: no keys; list at least one"),
        ("keys:\n  - sha256: \(digest)", "keys.yaml: keys[0]: name: required"),
        ("keys:\n  - name: bad name\n    sha256: \(digest)", #"keys.yaml: keys[0]: name "bad name": use 1 to 64 letters"#),
        ("keys:\n  - name: a\n    sha256: abc", #"keys.yaml: keys[0] ("a"): sha256: must be 64 hex digits"#),
        ("keys:\n  - name: a\n    key: plaintext", #"keys.yaml: keys[0] ("a"): key: must be env:VARIABLE"#),
        ("keys:\n  - name: a\n    key: env:UNSET_VAR", #"keys.yaml: keys[0] ("a"): key: the environment variable UNSET_VAR is not set"#),
        ("keys:\n  - name: a", #"keys.yaml: keys[0] ("a"): give the key's SHA-256 as sha256: or the key as key: env:VAR"#),
        ("keys:\n  - name: a\n    sha256: \(digest)\n    key: env:K", #"keys.yaml: keys[0] ("a"): give either sha256: or key: env:VAR, not both"#),
        ("keys:\n  - name: a\n    sha256: \(digest)\n  - name: a\n    key: env:K", #"keys.yaml: keys[1]: the name "a" is used twice"#),
        ("keys:\n  - name: a\n    sha256: \(digest)\n  - name: b\n    sha256: \(digest)", #"keys.yaml: keys[1] ("b"): the same key as "a""#),
        ("keys:\n  - name: a\n    key: env:K\n    limits: {requests_per_minute: 0}", #"limits.requests_per_minute: must be at least 1"#),
        ("keys:\n  - name: a\n    key: env:K\n    models: []", #"keys.yaml: keys[0] ("a"): models: empty"#),
        ("keys:\n  - name: a\n    key: env:K\n    role: root", "keys[0].role"),
        ("keys:\n  - name: a\n    key: env:K\n    rol: admin", #"keys.yaml: unknown key "keys[0].rol""#),
        ("keys:\n  - name: a\n    key: env:K\n    limits: {rpm: 1}", #"unknown key "keys[0].limits.rpm""#),
    ])
    func badEntriesNameTheFileTheEntryAndTheFix(text: String, message: String) {
        #expect {
            _ = try KeyFile.parse(text, source: "keys.yaml", environment: ["K": "value"])
        } throws: { error in
            (error as? ConfigError)?.description.contains(message) == true
        }
    }

    static func write(_ text: String, mode: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test func aKeyFileOthersMayReadIsRefusedWithTheFix() throws {
        let text = "keys:\n  - name: a\n    sha256: \(Self.digest)\n"
        for mode in [0o644, 0o640, 0o604, 0o660] {
            let path = try Self.write(text, mode: mode)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect {
                _ = try KeyFile.load(path: path, environment: [:])
            } throws: { error in
                (error as? ConfigError)?.description
                    == "\(path): the API key file is accessible by group or others (mode \(String(mode, radix: 8))); run chmod 600 \(path)"
            }
        }
        let path = try Self.write(text, mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try KeyFile.load(path: path, environment: [:]).map(\.name) == ["a"])
    }

    @Test func theEnvironmentKeyIsOneAdminKeyNamedAfterItsVariable() throws {
        let keys = try AccessSettings.keys(file: nil, environment: ["OLLAMAMAX_API_KEY": "env-secret"])
        #expect(keys == [APIKey(name: "OLLAMAMAX_API_KEY", key: "env-secret", role: .admin)])
        #expect(try AccessSettings.keys(file: nil, environment: ["OLLAMAMAX_API_KEY": ""]).isEmpty)
        let path = try Self.write("keys:\n  - name: a\n    key: env:A\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let both = try AccessSettings.keys(file: path, environment: ["A": "a-secret", "OLLAMAMAX_API_KEY": "env-secret"])
        #expect(both.map(\.name) == ["a", "OLLAMAMAX_API_KEY"])
        #expect {
            _ = try AccessSettings.keys(file: path, environment: ["A": "same", "OLLAMAMAX_API_KEY": "same"])
        } throws: { error in
            (error as? ConfigError)?.description.contains(#"the entry "a" clashes with the admin key"#) == true
        }
    }

    @Test func theGatewayFileNamesTheKeyFileRelativeToItself() throws {
        let file = try GatewayFile.parse("api_keys: keys.yaml\ninsecure_no_auth: true\n", source: "/etc/ollamamax/gateway.yaml")
        #expect(file.apiKeysPath(source: "/etc/ollamamax/gateway.yaml") == "/etc/ollamamax/keys.yaml")
        var configuration = GatewayConfiguration()
        try file.apply(to: &configuration, source: "/etc/ollamamax/gateway.yaml")
        #expect(configuration.access.insecureNoAuth)
        let absolute = try GatewayFile.parse("api_keys: /run/keys.yaml\n", source: "gw.yaml")
        #expect(absolute.apiKeysPath(source: "gw.yaml") == "/run/keys.yaml")
    }
}
