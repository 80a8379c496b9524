import ArgumentParser
import Gateway
import Optimizer

/// `start`'s optimization flags: `--optimization-level` and `--optimization-interval`,
/// laid over the config file's `optimization:` (docs/optimizer.md).
struct OptimizationOptions: ParsableArguments {
    @Option(
        help: """
            How the gateway adapts each node's limit per model: off (the static --max-in-flight), \
            conservative, balanced (default) or aggressive; the static limits stay the ceiling.
            """
    )
    var optimizationLevel: OptimizationLevel?

    @Option(
        help: """
            Time between rounds of the slow knobs (the queue's size and timeout, each node's idle connections \
            and their keep-alive, malloc_trim after a spike), e.g. 5m (default) or 30s; none at level off.
            """
    )
    var optimizationInterval: String?

    @Option(
        name: .customLong("peer"),
        help: ArgumentHelp(
            """
            Another gateway in front of the same nodes, by base URL (repeat for more): each counts the \
            others' requests in flight per node, so together they hold a node to its static limit.
            """,
            valueName: "url"
        )
    )
    var peers: [String] = []

    /// `configuration` with the flags given laid over it.
    func apply(to configuration: inout GatewayConfiguration) throws(CLIError) {
        if let optimizationLevel { configuration.optimization.level = optimizationLevel }
        if let optimizationInterval {
            configuration.optimization.interval = try DurationFlag.positive(optimizationInterval, flag: "--optimization-interval")
        }
        if !peers.isEmpty { configuration.optimization.peers = peers }
    }
}

extension OptimizationLevel: ExpressibleByArgument {}
