import ArgumentParser
import ConfigFile
import Gateway

/// `start`'s API key flags: `--api-keys FILE` and `--insecure-no-auth`.
struct AccessOptions: ParsableArguments {
    @Option(
        name: .customLong("api-keys"),
        help: """
            YAML file of API keys (name, sha256 or key: env:VAR, role inference|admin|metrics, optional limits \
            and models; see docs/gateway.md); must not be readable by group or others. OLLAMAMAX_API_KEY adds \
            one admin key. With keys, every route but / needs one (Authorization: Bearer KEY or x-api-key: KEY); loopback clients read /metrics and /ollamamax/* without.
            """
    )
    var apiKeys: String?

    @Flag(
        help: """
            Serve a non-loopback --listen address without API keys (refused otherwise): anyone who reaches it \
            may pull, delete and create models. /debug/pprof stays off.
            """
    )
    var insecureNoAuth = false

    /// Loads the keys (this flag's file, else the config file's `api_keys:`, and
    /// `OLLAMAMAX_API_KEY`) into `configuration`, then refuses a non-loopback address without
    /// keys unless `--insecure-no-auth` (or `insecure_no_auth: true`) allows it.
    func apply(to configuration: inout GatewayConfiguration, config: String?, environment: [String: String]) throws(CLIError) {
        do {
            var file = apiKeys
            if file == nil, let config { file = try GatewayFile.load(path: config).apiKeysPath(source: config) }
            configuration.access.keys = try AccessSettings.keys(file: file, environment: environment)
        } catch {
            throw .invalidInput(error.description)
        }
        if insecureNoAuth { configuration.access.insecureNoAuth = true }
        if configuration.access.exposureProblem(host: configuration.host) != nil {
            throw .invalidInput(Self.exposureMessage(host: configuration.host))
        }
    }

    static func exposureMessage(host: String) -> String {
        "refusing to serve \(host) without API keys: anyone who can reach it could delete or pull models on every node. "
            + "Add keys with --api-keys FILE (see docs/gateway.md) or OLLAMAMAX_API_KEY=<key>, listen on 127.0.0.1, "
            + "or pass --insecure-no-auth to serve it without keys anyway"
    }

    /// The one warning line of a gateway serving a non-loopback address without keys; nil otherwise.
    static func warning(for configuration: GatewayConfiguration) -> String? {
        guard configuration.access.keys.isEmpty, !AccessSettings.isLoopback(host: configuration.host) else { return nil }
        return "--insecure-no-auth: serving \(configuration.host) without API keys; anyone who can reach it may use "
            + "every route, model management included (/debug/pprof is off)"
    }
}

extension OllamaDistributed.Start {
    /// The plan of ``resolveSettings(environment:)`` with the API keys loaded and the
    /// safe-default check passed.
    func resolve(environment: [String: String]) throws(CLIError) -> Plan {
        var plan = try resolveSettings(environment: environment)
        try access.apply(to: &plan.configuration, config: config, environment: environment)
        return plan
    }
}
