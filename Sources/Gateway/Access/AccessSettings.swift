import ConfigFile

/// Who may use the gateway: its API keys, and whether it may listen beyond loopback without any.
public struct AccessSettings: Sendable, Hashable {
    /// The keys the gateway accepts. None: every request is served without a key, which the
    /// gateway only does on a loopback address unless ``insecureNoAuth`` is set.
    public var keys: [APIKey]
    /// Serve a non-loopback address without keys (the start check allows it, with a warning).
    public var insecureNoAuth: Bool
    /// Whether clients on loopback reach the monitoring routes (``RouteAccess/metrics``) without a
    /// key: a local Prometheus or `status` needs none. Tests turn it off to act as a remote client.
    public var openMetricsOnLoopback: Bool

    /// - Parameters:
    ///   - keys: the accepted keys; empty for none.
    ///   - insecureNoAuth: allow a non-loopback address without keys.
    ///   - openMetricsOnLoopback: let loopback clients read the monitoring routes without a key.
    public init(keys: [APIKey] = [], insecureNoAuth: Bool = false, openMetricsOnLoopback: Bool = true) {
        self.keys = keys
        self.insecureNoAuth = insecureNoAuth
        self.openMetricsOnLoopback = openMetricsOnLoopback
    }

    /// Whether `host` (a listen address) is this machine only: `localhost`, 127.0.0.0/8 or `::1`.
    /// An empty host, `0.0.0.0`, `::` or any other name or address is reachable from elsewhere.
    public static func isLoopback(host: String) -> Bool {
        let name = host.lowercased()
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// What is wrong with serving `host` with these settings, naming the settings; nil when fine.
    /// No keys on a non-loopback address would let anyone who reaches it delete models, pull
    /// onto every node and profile the host.
    public func exposureProblem(host: String) -> String? {
        guard keys.isEmpty, !insecureNoAuth, !Self.isLoopback(host: host) else { return nil }
        return "listen address \(host) is reachable from other machines and no API keys are configured"
    }
}

extension GatewayConfiguration {
    /// Whether `/debug/pprof/*` is served: when switched on, and, without keys, only on loopback
    /// (a profile runs `perf` on the host: never for anyone who can reach the port).
    public var servesDebugEndpoints: Bool {
        debugEndpoints && (!access.keys.isEmpty || AccessSettings.isLoopback(host: host))
    }
}

extension AccessSettings {
    /// The keys of the key file at `path` (nil for none) and the admin key of the
    /// `OLLAMAMAX_API_KEY` environment variable, when set.
    public static func keys(file path: String?, environment: [String: String]) throws(ConfigError) -> [APIKey] {
        var keys: [APIKey] = []
        if let path { keys = try KeyFile.load(path: path, environment: environment) }
        guard let value = environment[APIKey.environmentKeyName], !value.isEmpty else { return keys }
        let key = APIKey(name: APIKey.environmentKeyName, key: value, role: .admin)
        if let clash = keys.first(where: { $0.name == key.name || $0.digest == key.digest }) {
            throw ConfigError(
                "\(path ?? "key file"): the entry \"\(clash.name)\" clashes with the admin key of the environment variable "
                    + "\(APIKey.environmentKeyName) (same name or same key); rename it or give it another key"
            )
        }
        keys.append(key)
        return keys
    }
}
