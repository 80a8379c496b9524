import OllamaAPI
import Optimizer

extension Gateway {
    /// The slow knobs' rules for `configuration`: the configured queue is their ceiling.
    static func intervalRules(_ configuration: GatewayConfiguration) -> IntervalRules {
        IntervalRules(
            queueCeiling: configuration.queue.queueSize,
            queueTimeoutCeiling: configuration.queue.queueTimeout,
            interval: configuration.optimization.interval
        )
    }

    /// The interval service's log, shared with `GET /ollamamax/optimizer`; nil at level `off`.
    static func intervalLog(_ configuration: GatewayConfiguration) -> IntervalLog? {
        guard configuration.optimization.level != .off else { return nil }
        return IntervalLog(
            seconds: configuration.optimization.interval.inSeconds,
            knobs: intervalRules(configuration).initial(nodes: configuration.nodes.map(\.id))
        )
    }

    /// The service that sets the slow knobs every `--optimization-interval`; nil at level `off`.
    var intervalService: IntervalService? {
        guard let intervalLog else { return nil }
        return IntervalService(
            pool: pool,
            upstreams: dataPlane.upstreams,
            queue: pool.queueKnobs,
            log: intervalLog,
            rules: Self.intervalRules(configuration),
            interval: configuration.optimization.interval,
            logger: logger
        )
    }
}
