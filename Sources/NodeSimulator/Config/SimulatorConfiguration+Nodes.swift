import OllamaAPI

/// A setting that cannot be used, named by its key or environment variable.
public struct SimulatorSettingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong and what to write instead (`OLLAMA_MAX_QUEUE=lots: expected an integer`).
    public let description: String

    private init(_ description: String) { self.description = description }

    static func notInteger(_ variable: String, _ text: String) -> SimulatorSettingError {
        SimulatorSettingError("\(variable)=\(text): expected an integer")
    }

    static func notDuration(_ variable: String, _ text: String) -> SimulatorSettingError {
        SimulatorSettingError("\(variable)=\(text): not a duration; use e.g. 5m, 30s, 1h30m or -1 (forever)")
    }

    static func outOfRange(_ key: String, _ requirement: String, got value: String) -> SimulatorSettingError {
        SimulatorSettingError("\(key): must be \(requirement), got \(value)")
    }

    static func portRange(first port: Int, count: Int) -> SimulatorSettingError {
        if port == 0 {
            return SimulatorSettingError("port 0 picks one free port; with count \(count) give a first port instead")
        }
        return SimulatorSettingError("port \(port) with count \(count) runs past port 65535")
    }
}

extension SimulatorConfiguration {
    /// This configuration with Ollama's variables laid over it: `OLLAMA_NUM_PARALLEL`,
    /// `OLLAMA_MAX_QUEUE`, `OLLAMA_MAX_LOADED_MODELS` and `OLLAMA_KEEP_ALIVE`. Empty values are
    /// unset; as in Ollama, a parallelism or model count of 0 or less keeps the default.
    ///
    /// - Throws: ``SimulatorSettingError`` naming the variable whose value is not an integer or a duration.
    public func applying(environment: [String: String]) throws(SimulatorSettingError) -> SimulatorConfiguration {
        func integer(_ key: String) throws(SimulatorSettingError) -> Int? {
            guard let text = environment[key], !text.isEmpty else { return nil }
            guard let value = Int(text) else { throw .notInteger(key, text) }
            return value
        }
        var copy = self
        if let value = try integer("OLLAMA_NUM_PARALLEL"), value > 0 { copy.limits.numParallel = value }
        if let value = try integer("OLLAMA_MAX_QUEUE") { copy.limits.maxQueue = value }
        if let value = try integer("OLLAMA_MAX_LOADED_MODELS"), value > 0 { copy.limits.maxLoadedModels = value }
        if let text = environment["OLLAMA_KEEP_ALIVE"], !text.isEmpty {
            guard let seconds = GoDuration.parse(text) else { throw .notDuration("OLLAMA_KEEP_ALIVE", text) }
            copy.limits.defaultKeepAlive = .seconds(seconds)
        }
        return copy
    }

    /// `count` nodes from this one, on consecutive ports from ``port``, named `node-0`, `node-1`,
    /// ...; node i is (1 + i × `speedSpread`) times slower than node 0.
    ///
    /// - Throws: ``SimulatorSettingError`` when `count` is not 1-64, `speedSpread` is negative, or
    ///   the ports do not fit (port 0 picks a single free port, so it serves one node only).
    public func nodes(count: Int, speedSpread: Double) throws(SimulatorSettingError) -> [SimulatorConfiguration] {
        guard (1...64).contains(count) else { throw .outOfRange("count", "between 1 and 64", got: "\(count)") }
        guard speedSpread >= 0 else { throw .outOfRange("speed_spread", "0 or more", got: "\(speedSpread)") }
        guard port != 0 || count == 1, port + count - 1 <= 65535 else { throw .portRange(first: port, count: count) }
        return (0..<count).map { index in
            var node = scaledSpeed(by: 1 + Double(index) * speedSpread)
            node.port = port + (port == 0 ? 0 : index)
            node.name = "node-\(index)"
            return node
        }
    }
}
