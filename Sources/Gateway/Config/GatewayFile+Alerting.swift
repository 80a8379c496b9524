import ConfigFile
import Foundation
import OllamaAPI

extension GatewayFile {
    /// `alerting:`: rule files evaluated in the gateway and where their alerts go, paths relative
    /// to the config file unless absolute.
    ///
    /// ```yaml
    /// alerting:
    ///   rule_files: [rules/ollamamax-alerts.yml]
    ///   notifications: alerting.yml      # a file with a notifications: section (receivers, routes)
    ///   evaluation_interval: 30s         # groups without their own interval (default 1m)
    /// ```
    public struct Alerting: Sendable, Hashable, Codable {
        public var ruleFiles: [String]?
        public var notifications: String?
        public var evaluationInterval: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case ruleFiles = "rule_files"
            case notifications
            case evaluationInterval = "evaluation_interval"
        }
    }

    /// `configuration` with the file's `alerting:` laid over it; `source` names the file.
    func applyAlerting(to configuration: inout GatewayConfiguration, source: String) throws(ConfigError) {
        guard let alerting else { return }
        let directory = URL(fileURLWithPath: source).deletingLastPathComponent()
        func resolved(_ path: String) -> String { path.hasPrefix("/") ? path : directory.appendingPathComponent(path).path }
        if let files = alerting.ruleFiles { configuration.alerting.ruleFiles = files.map(resolved) }
        if let file = alerting.notifications { configuration.alerting.notificationsFile = resolved(file) }
        if let text = alerting.evaluationInterval {
            guard let seconds = GoDuration.parse(text), seconds > 0 else {
                throw ConfigError("\(source): alerting.evaluation_interval: \"\(text)\" is not a positive duration; write e.g. 30s or 1m")
            }
            configuration.alerting.evaluationInterval = .seconds(seconds)
        }
    }
}
