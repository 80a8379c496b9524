import Optimizer
import Synchronization
import Telemetry

/// The optimizer's families, brought up to date from ``NodePool/optimizerSnapshot()`` at every
/// scrape, as the node gauges are: limits, gradients, latencies, the learned parallelism and
/// cold-load cost are set; the drop and decision counters grow by what the pool counted since
/// the last scrape.
final class OptimizerGauges: Sendable {
    let metrics: Metrics
    let limit: MetricFamily
    let gradient: MetricFamily
    let latency: MetricFamily
    let drops: MetricFamily
    let decisions: MetricFamily
    let learnedParallelism: MetricFamily
    let coldLoad: MetricFamily
    /// The counts already added to the counters, by the pool's own keys: a model whose label is
    /// capped to `other` adds to that series without losing its own count.
    private let exported = Mutex(Exported())

    struct Exported {
        var drops: [DropKey: Int] = [:]
        var decisions: [String: Int] = [:]
    }

    struct DropKey: Hashable {
        var node: String
        var model: String
        var kind: String
    }

    init(metrics registry: Metrics) {
        metrics = registry
        limit = registry.family(MetricCatalog.optimizerLimit)
        gradient = registry.family(MetricCatalog.optimizerGradient)
        latency = registry.family(MetricCatalog.optimizerLatency)
        drops = registry.family(MetricCatalog.optimizerDrops)
        decisions = registry.family(MetricCatalog.optimizerDecisions)
        learnedParallelism = registry.family(MetricCatalog.optimizerLearnedParallelism)
        coldLoad = registry.family(MetricCatalog.optimizerColdLoad)
    }

    /// Sets the gauges and advances the counters to `snapshot`.
    func refresh(_ snapshot: OptimizerSnapshot) {
        var newDrops: [(DropKey, Int)] = []
        for pair in snapshot.pairs {
            let model = metrics.models.label(pair.model)
            limit.set(Double(pair.limit), pair.node, model)
            if let value = pair.gradient { gradient.set(value, pair.node, model) }
            if let value = pair.sampleLatencySeconds { latency.set(value, pair.node, model, "sample") }
            if let value = pair.longLatencySeconds { latency.set(value, pair.node, model, "long") }
            if let value = pair.learnedParallelism { learnedParallelism.set(Double(value), pair.node, model) }
            if let value = pair.coldLoadSeconds { coldLoad.set(value, pair.node, model) }
            for (kind, count) in pair.dropsByKind { newDrops.append((DropKey(node: pair.node, model: pair.model, kind: kind), count)) }
        }
        let (dropDeltas, decisionDeltas) = exported.withLock { exported in
            var dropDeltas: [(DropKey, Int)] = []
            for (key, count) in newDrops where count > exported.drops[key, default: 0] {
                dropDeltas.append((key, count - exported.drops[key, default: 0]))
                exported.drops[key] = count
            }
            var decisionDeltas: [(String, Int)] = []
            for (kind, count) in snapshot.decisionCounts where count > exported.decisions[kind, default: 0] {
                decisionDeltas.append((kind, count - exported.decisions[kind, default: 0]))
                exported.decisions[kind] = count
            }
            return (dropDeltas, decisionDeltas)
        }
        for (key, delta) in dropDeltas {
            drops.increment(by: Int64(delta), key.node, metrics.models.label(key.model), key.kind)
        }
        for (kind, delta) in decisionDeltas { decisions.increment(by: Int64(delta), kind) }
    }
}
