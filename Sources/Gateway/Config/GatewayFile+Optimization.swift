import ConfigFile
import OllamaAPI
import Optimizer

extension GatewayFile {
    /// `optimization:`: the adaptive limits, as `--optimization-level` and
    /// `--optimization-interval` (``OptimizationSettings``).
    ///
    /// ```yaml
    /// optimization:
    ///   level: balanced   # off | conservative | balanced | aggressive
    ///   interval: 5m      # the slow knobs' period
    ///   peers: [http://10.0.0.2:11434]   # other gateways in front of the same nodes
    /// ```
    public struct Optimization: Sendable, Hashable, Codable {
        public var level: String?
        public var interval: String?
        public var peers: [String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case level, interval, peers
        }
    }

    /// `configuration` with the file's `optimization:` laid over it; `source` names the file.
    func applyOptimization(to configuration: inout GatewayConfiguration, source: String) throws(ConfigError) {
        guard let optimization else { return }
        if let text = optimization.level {
            guard let level = OptimizationLevel(rawValue: text) else {
                throw ConfigError("\(source): optimization.level: \"\(text)\" is not a level; write one of \(Self.levelNames)")
            }
            configuration.optimization.level = level
        }
        if let text = optimization.interval {
            guard let seconds = GoDuration.parse(text), seconds > 0 else {
                throw ConfigError("\(source): optimization.interval: \"\(text)\" is not a positive duration; write e.g. 30s or 5m")
            }
            configuration.optimization.interval = .seconds(seconds)
        }
        if let peers = optimization.peers { configuration.optimization.peers = peers }
    }

    /// The levels as a reader types them: `off, conservative, balanced, aggressive`.
    static var levelNames: String {
        OptimizationLevel.allCases.map(\.rawValue).joined(separator: ", ")
    }
}
