import ConfigFile
import Foundation

/// The API key file: YAML, one entry per key, never a plaintext key.
///
/// ```yaml
/// keys:
///   - name: ci-bot
///     sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08   # printf %s KEY | sha256sum
///     role: admin
///   - name: alice
///     key: env:ALICE_KEY          # the key from an environment variable
///     role: inference             # inference (the default) | admin | metrics
///     limits: { requests_per_minute: 60, tokens_per_minute: 100000 }
///     models: [llama3.2, qwen2.5:7b]
/// ```
///
/// The file must not be readable by group or others (as ssh insists for a private key).
public struct KeyFile: Sendable, Hashable, Codable {
    public var keys: [Entry]?

    /// One key.
    public struct Entry: Sendable, Hashable, Codable {
        public var name: String?
        public var sha256: String?
        public var key: String?
        public var role: Role?
        public var limits: Limits?
        public var models: [String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, sha256, key, role, limits, models
        }
    }

    /// `limits:` of an entry.
    public struct Limits: Sendable, Hashable, Codable {
        public var requestsPerMinute: Int?
        public var tokensPerMinute: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case requestsPerMinute = "requests_per_minute"
            case tokensPerMinute = "tokens_per_minute"
        }
    }

    static let schema: KeySchema = .map([
        "keys": .list(
            .map(
                Dictionary(
                    uniqueKeysWithValues: Entry.CodingKeys.allCases.map {
                        ($0.rawValue, $0 == .limits ? KeySchema.keys(Limits.CodingKeys.allCases.map(\.rawValue)) : .value)
                    }
                )
            )
        )
    ])

    /// The keys of the file at `path`, after checking its permissions; `env:` references are
    /// read from `environment`.
    public static func load(path: String, environment: [String: String]) throws(ConfigError) -> [APIKey] {
        try checkPermissions(path)
        let file = try YAMLConfig.load(KeyFile.self, path: path, schema: schema, empty: KeyFile())
        return try file.resolve(source: path, environment: environment)
    }

    /// The keys of YAML `text`; `source` names it in errors.
    public static func parse(_ text: String, source: String, environment: [String: String]) throws(ConfigError) -> [APIKey] {
        let file = try YAMLConfig.parse(KeyFile.self, text: text, source: source, schema: schema, empty: KeyFile())
        return try file.resolve(source: source, environment: environment)
    }

    /// Refuses a file that group or others may read or write: its keys would not be secret.
    static func checkPermissions(_ path: String) throws(ConfigError) {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw ConfigError("\(path): cannot read the API key file (\(error.localizedDescription))")
        }
        guard let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue else { return }
        if mode & 0o077 != 0 {
            throw ConfigError(
                "\(path): the API key file is accessible by group or others (mode \(String(mode & 0o777, radix: 8))); "
                    + "run chmod 600 \(path)"
            )
        }
    }

    /// Every entry checked and turned into a key; errors name the file, the entry and the fix.
    func resolve(source: String, environment: [String: String]) throws(ConfigError) -> [APIKey] {
        guard let entries = keys, !entries.isEmpty else {
            throw ConfigError("\(source): no keys; list at least one under keys: (name, sha256 or key: env:VAR, role)")
        }
        var resolved: [APIKey] = []
        var seen: [[UInt8]: String] = [:]
        for (index, entry) in entries.enumerated() {
            let key = try entry.resolve(at: "\(source): keys[\(index)]", environment: environment)
            if resolved.contains(where: { $0.name == key.name }) {
                throw ConfigError("\(source): keys[\(index)]: the name \"\(key.name)\" is used twice; give each key its own name")
            }
            if let other = seen[key.digest] {
                throw ConfigError("\(source): keys[\(index)] (\"\(key.name)\"): the same key as \"\(other)\"; give each entry its own key")
            }
            seen[key.digest] = key.name
            resolved.append(key)
        }
        return resolved
    }
}

extension KeyFile.Entry {
    func resolve(at place: String, environment: [String: String]) throws(ConfigError) -> APIKey {
        guard let name else { throw ConfigError("\(place): name: required (letters, digits, '.', '_' or '-')") }
        guard APIKey.isValidName(name) else {
            throw ConfigError("\(place): name \"\(name)\": use 1 to 64 letters, digits, '.', '_' or '-'")
        }
        let entry = "\(place) (\"\(name)\")"
        let digest: [UInt8]
        switch (sha256, key) {
        case (let hex?, nil):
            guard let bytes = Self.hexBytes(hex), bytes.count == 32 else {
                throw ConfigError("\(entry): sha256: must be 64 hex digits, the SHA-256 of the key (printf %s KEY | sha256sum)")
            }
            digest = bytes
        case (nil, let reference?):
            guard reference.hasPrefix("env:"), reference.count > 4 else {
                throw ConfigError(
                    "\(entry): key: must be env:VARIABLE (the key from an environment variable); "
                        + "a key is never written in the file: give its SHA-256 as sha256: instead"
                )
            }
            let variable = String(reference.dropFirst(4))
            guard let value = environment[variable], !value.isEmpty else {
                throw ConfigError("\(entry): key: the environment variable \(variable) is not set; export it or give sha256: instead")
            }
            digest = APIKey.digest(of: value)
        case (.some, .some):
            throw ConfigError("\(entry): give either sha256: or key: env:VAR, not both")
        case (nil, nil):
            throw ConfigError("\(entry): give the key's SHA-256 as sha256: or the key as key: env:VAR")
        }
        var keyLimits: KeyLimits?
        if let limits {
            for (value, field) in [(limits.requestsPerMinute, "requests_per_minute"), (limits.tokensPerMinute, "tokens_per_minute")] {
                if let value, value < 1 { throw ConfigError("\(entry): limits.\(field): must be at least 1 (leave it out for no limit)") }
            }
            keyLimits = KeyLimits(requestsPerMinute: limits.requestsPerMinute, tokensPerMinute: limits.tokensPerMinute)
        }
        if let models {
            if models.isEmpty { throw ConfigError("\(entry): models: empty; list the models the key may use, or leave it out for all") }
            if models.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                throw ConfigError("\(entry): models: an empty model name")
            }
        }
        return APIKey(name: name, digest: digest, role: role ?? .inference, limits: keyLimits, models: models)
    }

    /// The bytes of a hex string (either case), or nil.
    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension GatewayFile {
    /// The file's `api_keys:` path, relative to the directory of `source` (the gateway file's
    /// own path) unless absolute.
    public func apiKeysPath(source: String) -> String? {
        guard let apiKeys else { return nil }
        if apiKeys.hasPrefix("/") { return apiKeys }
        return URL(fileURLWithPath: source).deletingLastPathComponent().appendingPathComponent(apiKeys).path
    }
}
