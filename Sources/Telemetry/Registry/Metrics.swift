import Prometheus
import Synchronization

/// The process's metrics: a Prometheus registry that only accepts families from ``MetricCatalog``.
///
/// Recording goes through ``MetricFamily`` handles taken from catalog definitions, so a name,
/// type, help text or label set cannot collide (swift-prometheus stops the process on such a
/// collision; the catalog tests make that a test failure instead). Families of tier `detailed`
/// record nothing and are not exported unless `detailed` is on.
///
/// swift-metrics is deliberately not bootstrapped: metrics made through it carry no help text
/// (which `promtool check metrics` rejects) and would let any library add families that are not
/// in the catalog.
public final class Metrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// Whether `detailed` families (histograms, per-token timing) are collected.
    public let detailed: Bool
    /// Caps the `model` label: the first `modelLimit` models keep their name, later ones are `other`.
    public let models: LabelLimiter

    public init(detailed: Bool, modelLimit: Int = 100) {
        self.detailed = detailed
        models = LabelLimiter(limit: modelLimit)
    }

    /// The family for `definition`; recording is a no-op when its tier is off.
    public func family(_ definition: MetricDefinition) -> MetricFamily {
        assert(MetricCatalog.definition(named: definition.name) == definition, "\(definition.name) is not in MetricCatalog")
        return MetricFamily(
            definition: definition, registry: registry, enabled: definition.tier == .basic || detailed, series: SeriesCache())
    }

    /// The exposition in Prometheus text format 0.0.4.
    public func render() -> [UInt8] {
        registry.emitToBuffer()
    }

    /// The content type of ``render()``.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}

/// One catalog family in a registry; label values are given in the definition's label order.
///
/// A class: the request path reads families many times per request, and copying a struct that
/// holds the definition's strings and arrays retained each of them every time.
public final class MetricFamily: Sendable {
    public let definition: MetricDefinition
    let registry: PrometheusCollectorRegistry
    /// False when the family's tier is off: every call does nothing.
    public let enabled: Bool
    /// The series already registered, by label values: a registry lookup validates names and
    /// help text every time, which costs more than the recording itself on the request path.
    let series: SeriesCache
    init(definition: MetricDefinition, registry: PrometheusCollectorRegistry, enabled: Bool, series: SeriesCache) {
        self.definition = definition
        self.registry = registry
        self.enabled = enabled
        self.series = series
    }

    /// swift-prometheus' name for the family (not `Sendable`, so made on use).
    var descriptor: MetricNameDescriptor {
        MetricNameDescriptor(metricName: definition.name, unitName: "", helpText: definition.help)
    }

    /// Adds `amount` to a counter.
    public func increment(by amount: Int64 = 1, _ labels: String...) {
        guard enabled, amount >= 0 else { return }
        counter(labels).increment(by: amount)
    }

    /// Adds a fractional `amount` to a counter.
    public func increment(byDouble amount: Double, _ labels: String...) {
        guard enabled, amount >= 0, amount.isFinite else { return }
        counter(labels).increment(by: amount)
    }

    /// Sets a gauge.
    public func set(_ value: Double, _ labels: String...) {
        guard enabled else { return }
        gauge(labels).set(value)
    }

    /// Adds `delta` (negative to subtract) to a gauge.
    public func add(_ delta: Double, _ labels: String...) {
        guard enabled else { return }
        gauge(labels).increment(by: delta)
    }

    /// Removes one labelled gauge series, for a value that is no longer known.
    public func remove(_ labels: String...) {
        guard enabled else { return }
        if let gauge = series.remove(labels) as? Gauge { registry.unregisterGauge(gauge) }
    }

    /// Records one observation in a histogram.
    public func observe(_ value: Double, _ labels: String...) {
        guard enabled, value.isFinite else { return }
        histogram(labels).record(value)
    }

    private func counter(_ labels: [String]) -> Counter {
        series.get(labels) { registry.makeCounter(descriptor: descriptor, labels: pairs(labels)) }
    }

    private func gauge(_ labels: [String]) -> Gauge {
        series.get(labels) { registry.makeGauge(descriptor: descriptor, labels: pairs(labels)) }
    }

    private func histogram(_ labels: [String]) -> ValueHistogram {
        series.get(labels) {
            registry.makeValueHistogram(descriptor: descriptor, labels: pairs(labels), buckets: definition.buckets)
        }
    }

    /// Label pairs in definition order. A wrong count is a programming error: tests stop on it,
    /// production pads or truncates rather than crash.
    private func pairs(_ values: [String]) -> [(String, String)] {
        assert(values.count == definition.labels.count, "\(definition.name) takes labels \(definition.labels), got \(values)")
        return definition.labels.enumerated().map { index, name in (name, index < values.count ? values[index] : "") }
    }
}

/// A family's registered series by label values.
final class SeriesCache: Sendable {
    private let series = Mutex<[[String]: any AnyObject & Sendable]>([:])

    /// The series for `labels`, registering it with `make` the first time.
    func get<Series: AnyObject & Sendable>(_ labels: [String], make: () -> Series) -> Series {
        series.withLock { series in
            if let found = series[labels] as? Series { return found }
            let made = make()
            series[labels] = made
            return made
        }
    }

    /// Forgets the series for `labels` and returns it.
    func remove(_ labels: [String]) -> (any AnyObject & Sendable)? {
        series.withLock { $0.removeValue(forKey: labels) }
    }
}
