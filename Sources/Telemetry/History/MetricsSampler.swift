import Foundation
import Logging
import ServiceLifecycle

/// Samples the registry on an interval into a ``MetricHistory``: the data behind the dashboard
/// and the embedded alert evaluator.
///
/// Each round refreshes the read-on-demand gauges (`refresh`), renders the registry, parses it
/// back and derives one point per series from it and the previous round, so the history shows
/// exactly what a Prometheus scraping `/metrics` would see.
public struct MetricsSampler: Service {
    public let metrics: Metrics
    public let history: MetricHistory
    let refresh: @Sendable () async -> Void
    /// Called with each scrape and when it was taken (the embedded alerting's series store, the dashboard).
    let observe: @Sendable ([ExpositionFamily], Date) -> Void
    let logger: Logger

    public init(
        metrics: Metrics,
        history: MetricHistory,
        logger: Logger,
        refresh: @escaping @Sendable () async -> Void,
        observe: @escaping @Sendable ([ExpositionFamily], Date) -> Void = { _, _ in }
    ) {
        self.metrics = metrics
        self.history = history
        self.logger = logger
        self.refresh = refresh
        self.observe = observe
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var previous: (families: [ExpositionFamily], time: ContinuousClock.Instant)?
            while !Task.isCancelled {
                previous = await sample(previous: previous)
                try await Task.sleep(for: .seconds(history.intervalSeconds))
            }
        }
    }

    /// Takes one sample, appends its point and returns the scrape for the next round.
    @discardableResult
    public func sample(
        previous: (families: [ExpositionFamily], time: ContinuousClock.Instant)?
    ) async
        -> (families: [ExpositionFamily], time: ContinuousClock.Instant)?
    {
        await refresh()
        let now = ContinuousClock.now
        let families: [ExpositionFamily]
        do {
            families = try Exposition.parse(String(decoding: metrics.render(), as: UTF8.self))
        } catch {
            // The registry renders what the catalog defines; a parse failure is a bug worth a log line, not a crash.
            logger.error("metrics history: the registry's own output did not parse", metadata: ["error": "\(error)"])
            return previous
        }
        let seconds = previous.map { Self.seconds(now - $0.time) } ?? 0
        let values = HistorySeries.derive(current: families, previous: previous?.families, seconds: seconds)
        let date = Date()
        history.append(.init(time: date.timeIntervalSince1970, values: values))
        observe(families, date)
        return (families, now)
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
