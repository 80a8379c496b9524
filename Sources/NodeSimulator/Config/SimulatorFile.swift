import Foundation
import Yams

/// The YAML file `node-sim --config` reads. Every key is optional; unknown keys are errors.
///
/// ```yaml
/// port: 11434
/// count: 3              # nodes on consecutive ports
/// speed_spread: 0.5     # node i is (1 + 0.5 i) times slower
/// num_parallel: 4
/// max_queue: 512
/// keep_alive: 5m
/// models:
///   - name: llama3.2:latest
///     decode_tokens_per_second: 60
/// faults:
///   error_rate: 0.01
/// ```
public struct SimulatorFile: Sendable, Hashable, Codable {
    public var host: String?
    public var port: Int?
    public var count: Int?
    public var speedSpread: Double?
    public var version: String?
    public var numParallel: Int?
    public var maxQueue: Int?
    public var maxLoadedModels: Int?
    public var keepAlive: String?
    public var maxBodyBytes: Int?
    public var models: [ModelEntry]?
    public var registry: [ModelEntry]?
    public var faults: FaultConfiguration.File?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port, count, version, models, registry, faults
        case speedSpread = "speed_spread"
        case numParallel = "num_parallel"
        case maxQueue = "max_queue"
        case maxLoadedModels = "max_loaded_models"
        case keepAlive = "keep_alive"
        case maxBodyBytes = "max_body_bytes"
    }

    /// A model in the file: `name` and any of the timing fields; the rest take defaults.
    public struct ModelEntry: Sendable, Hashable, Codable {
        public var name: String
        public var family: String?
        public var parameterSize: String?
        public var quantizationLevel: String?
        public var sizeBytes: Int64?
        public var loadSeconds: Double?
        public var prefillTokensPerSecond: Double?
        public var decodeTokensPerSecond: Double?
        public var jitter: Double?
        public var minOutputTokens: Int?
        public var maxOutputTokens: Int?
        public var contextLength: Int?
        public var embeddingLength: Int?
        public var capabilities: [String]?
        public var modifiedAt: String?

        typealias CodingKeys = SimulatedModel.CodingKeys

        /// The model, with defaults for what the entry leaves out.
        public var model: SimulatedModel {
            let base = SimulatedModel(name: name)
            return SimulatedModel(
                name: name, family: family ?? base.family, parameterSize: parameterSize ?? base.parameterSize,
                quantizationLevel: quantizationLevel ?? base.quantizationLevel, sizeBytes: sizeBytes ?? base.sizeBytes,
                loadSeconds: loadSeconds ?? base.loadSeconds,
                prefillTokensPerSecond: prefillTokensPerSecond ?? base.prefillTokensPerSecond,
                decodeTokensPerSecond: decodeTokensPerSecond ?? base.decodeTokensPerSecond, jitter: jitter ?? base.jitter,
                minOutputTokens: minOutputTokens ?? base.minOutputTokens,
                maxOutputTokens: maxOutputTokens ?? base.maxOutputTokens, contextLength: contextLength ?? base.contextLength,
                embeddingLength: embeddingLength ?? base.embeddingLength, capabilities: capabilities ?? base.capabilities,
                modifiedAt: modifiedAt ?? base.modifiedAt)
        }
    }

    /// Reads and checks `path`.
    ///
    /// - Throws: ``SimulatorConfigError`` naming the file, the key and the problem.
    public static func load(path: String) throws(SimulatorConfigError) -> SimulatorFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SimulatorConfigError("\(path): cannot read the file (\(error.localizedDescription))")
        }
        return try parse(text, source: path)
    }

    /// Parses YAML `text`; `source` names it in errors.
    public static func parse(_ text: String, source: String) throws(SimulatorConfigError) -> SimulatorFile {
        let tree: Any?
        do {
            tree = try Yams.load(yaml: text)
        } catch {
            throw SimulatorConfigError("\(source): not valid YAML: \(error)")
        }
        guard let tree else { return SimulatorFile() }
        guard let top = tree as? [String: Any] else {
            throw SimulatorConfigError("\(source): the top level must be a mapping of keys such as port, models, faults")
        }
        try checkKeys(top, allowed: CodingKeys.allCases.map(\.rawValue), at: "", source: source)
        for list in ["models", "registry"] {
            for (index, entry) in (top[list] as? [Any] ?? []).enumerated() {
                guard let entry = entry as? [String: Any] else {
                    throw SimulatorConfigError("\(source): \(list)[\(index)]: must be a mapping with at least a name")
                }
                try checkKeys(
                    entry, allowed: SimulatedModel.CodingKeys.allCases.map(\.rawValue), at: "\(list)[\(index)].",
                    source: source)
            }
        }
        if let faults = top["faults"] as? [String: Any] {
            try checkKeys(
                faults, allowed: FaultConfiguration.CodingKeys.allCases.map(\.rawValue), at: "faults.", source: source)
        }
        do {
            return try YAMLDecoder().decode(SimulatorFile.self, from: text)
        } catch let error as DecodingError {
            throw SimulatorConfigError("\(source): \(describe(error))")
        } catch {
            throw SimulatorConfigError("\(source): \(error)")
        }
    }

    private static func checkKeys(_ map: [String: Any], allowed: [String], at prefix: String, source: String)
        throws(SimulatorConfigError)
    {
        for key in map.keys.sorted() where !allowed.contains(key) {
            throw SimulatorConfigError(
                "\(source): unknown key \"\(prefix)\(key)\"; known keys here: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(Self.typeWord(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): missing \(Self.typeWord(type))"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeWord(_ type: Any.Type) -> String {
        switch String(describing: type) {
        case "Int", "Int64", "UInt64": "an integer"
        case "Double": "a number"
        case "String": "a string"
        case "Bool": "true or false"
        default: "a value of type \(type)"
        }
    }
}

extension FaultConfiguration {
    /// The `faults:` section of a simulator file: every key optional.
    public struct File: Sendable, Hashable, Codable {
        public var errorRate: Double?
        public var midStreamFailureRate: Double?
        public var midStreamFailureMode: MidStreamFailureMode?
        public var latencySpikeRate: Double?
        public var latencySpikeSeconds: Double?
        public var hangRate: Double?
        public var seed: UInt64?

        typealias CodingKeys = FaultConfiguration.CodingKeys
    }
}

/// A configuration problem, with a message that names the input, the key and the fix.
public struct SimulatorConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
