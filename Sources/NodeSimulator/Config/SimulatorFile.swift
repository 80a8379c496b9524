import ConfigFile
import OllamaAPI

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
        public var contention: Contention?

        typealias CodingKeys = SimulatedModel.CodingKeys

        /// The model, with defaults for what the entry leaves out.
        public var model: SimulatedModel {
            let base = SimulatedModel(name: name)
            return SimulatedModel(
                name: name,
                family: family ?? base.family,
                parameterSize: parameterSize ?? base.parameterSize,
                quantizationLevel: quantizationLevel ?? base.quantizationLevel,
                sizeBytes: sizeBytes ?? base.sizeBytes,
                loadTime: loadSeconds.map { .seconds($0) } ?? base.loadTime,
                prefillTokensPerSecond: prefillTokensPerSecond ?? base.prefillTokensPerSecond,
                decodeTokensPerSecond: decodeTokensPerSecond ?? base.decodeTokensPerSecond,
                jitter: jitter ?? base.jitter,
                minOutputTokens: minOutputTokens ?? base.minOutputTokens,
                maxOutputTokens: maxOutputTokens ?? base.maxOutputTokens,
                contextLength: contextLength ?? base.contextLength,
                embeddingLength: embeddingLength ?? base.embeddingLength,
                capabilities: capabilities ?? base.capabilities,
                modifiedAt: modifiedAt ?? base.modifiedAt,
                contention: contention ?? base.contention
            )
        }
    }

    /// The keys the file may have.
    static let schema: KeySchema = {
        var top = Dictionary(uniqueKeysWithValues: CodingKeys.allCases.map { ($0.rawValue, KeySchema.value) })
        let model = KeySchema.keys(SimulatedModel.CodingKeys.allCases.map(\.rawValue))
        top["models"] = .list(model)
        top["registry"] = .list(model)
        var faults = Dictionary(uniqueKeysWithValues: FaultConfiguration.CodingKeys.allCases.map { ($0.rawValue, KeySchema.value) })
        faults["slowdowns"] = .list(.keys(["after", "factor"]))
        top["faults"] = .map(faults)
        return .map(top)
    }()

    /// Reads and checks `path`.
    ///
    /// - Throws: ``ConfigError`` naming the file, the key and the problem.
    public static func load(path: String) throws(ConfigError) -> SimulatorFile {
        try YAMLConfig.load(SimulatorFile.self, path: path, schema: schema, empty: SimulatorFile()).checked(source: path)
    }

    /// Parses YAML `text`; `source` names it in errors.
    public static func parse(_ text: String, source: String) throws(ConfigError) -> SimulatorFile {
        try YAMLConfig.parse(SimulatorFile.self, text: text, source: source, schema: schema, empty: SimulatorFile())
            .checked(source: source)
    }

    /// `keep_alive` as a duration (negative is forever); `nil` when absent or not a duration.
    public var keepAliveDuration: Duration? {
        keepAlive.flatMap(GoDuration.parse).map { .seconds($0) }
    }

    /// The file, or an error for the values decoding cannot check (a `keep_alive` that is no duration).
    private func checked(source: String) throws(ConfigError) -> SimulatorFile {
        if let keepAlive, GoDuration.parse(keepAlive) == nil {
            throw ConfigError("\(source): keep_alive: \"\(keepAlive)\" is not a duration; use e.g. 5m, 30s, 1h30m or -1 (forever)")
        }
        for (index, entry) in (faults?.slowdowns ?? []).enumerated() where entry.slowdown == nil {
            throw ConfigError("\(source): faults.slowdowns[\(index)].after: \"\(entry.after)\" is not a duration; use e.g. 30s, 2m or 90")
        }
        return self
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
        public var slowdowns: [SlowdownEntry]?

        typealias CodingKeys = FaultConfiguration.CodingKeys
    }

    /// One entry of `faults.slowdowns`: `{after: 30s, factor: 3}` (`after` a Go duration; a bare
    /// number is seconds).
    public struct SlowdownEntry: Sendable, Hashable, Codable {
        public var after: String
        public var factor: Double

        /// The change, or `nil` when `after` is not a duration.
        public var slowdown: Slowdown? {
            GoDuration.parse(after).map { Slowdown(after: .seconds($0), factor: factor) }
        }
    }
}
