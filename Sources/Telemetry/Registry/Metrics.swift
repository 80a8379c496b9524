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
            definition: definition,
            registry: registry,
            enabled: definition.tier == .basic || detailed,
            series: SeriesCache()
        )
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

    // Label values come as separate arguments, one overload per count up to three (no catalog
    // family has more): a variadic call would build a heap array on every request.

    /// Adds `amount` to a counter.
    public func increment(by amount: Int64 = 1) {
        increment(by: amount, SeriesKey([]))
    }

    public func increment(by amount: Int64 = 1, _ first: String) {
        increment(by: amount, SeriesKey(first))
    }

    public func increment(by amount: Int64 = 1, _ first: String, _ second: String) {
        increment(by: amount, SeriesKey(first, second))
    }

    public func increment(by amount: Int64 = 1, _ first: String, _ second: String, _ third: String) {
        increment(by: amount, SeriesKey(first, second, third))
    }

    private func increment(by amount: Int64, _ key: SeriesKey) {
        guard enabled, amount >= 0 else { return }
        counter(key).increment(by: amount)
    }

    /// Adds a fractional `amount` to a counter.
    public func increment(byDouble amount: Double, _ labels: String...) {
        guard enabled, amount >= 0, amount.isFinite else { return }
        counter(SeriesKey(labels)).increment(by: amount)
    }

    /// Sets a gauge.
    public func set(_ value: Double) {
        set(value, SeriesKey([]))
    }

    public func set(_ value: Double, _ first: String) {
        set(value, SeriesKey(first))
    }

    public func set(_ value: Double, _ first: String, _ second: String) {
        set(value, SeriesKey(first, second))
    }

    public func set(_ value: Double, _ first: String, _ second: String, _ third: String) {
        set(value, SeriesKey(first, second, third))
    }

    private func set(_ value: Double, _ key: SeriesKey) {
        guard enabled else { return }
        gauge(key).set(value)
    }

    /// Adds `delta` (negative to subtract) to a gauge.
    public func add(_ delta: Double) {
        add(delta, SeriesKey([]))
    }

    public func add(_ delta: Double, _ first: String) {
        add(delta, SeriesKey(first))
    }

    public func add(_ delta: Double, _ first: String, _ second: String) {
        add(delta, SeriesKey(first, second))
    }

    private func add(_ delta: Double, _ key: SeriesKey) {
        guard enabled else { return }
        gauge(key).increment(by: delta)
    }

    /// Removes one labelled gauge series, for a value that is no longer known.
    public func remove(_ labels: String...) {
        guard enabled else { return }
        if let gauge = series.remove(SeriesKey(labels)) as? Gauge { registry.unregisterGauge(gauge) }
    }

    /// Records one observation in a histogram.
    public func observe(_ value: Double) {
        observe(value, SeriesKey([]))
    }

    public func observe(_ value: Double, _ first: String) {
        observe(value, SeriesKey(first))
    }

    public func observe(_ value: Double, _ first: String, _ second: String) {
        observe(value, SeriesKey(first, second))
    }

    public func observe(_ value: Double, _ first: String, _ second: String, _ third: String) {
        observe(value, SeriesKey(first, second, third))
    }

    private func observe(_ value: Double, _ key: SeriesKey) {
        guard enabled, value.isFinite else { return }
        histogram(key).record(value)
    }

    private func counter(_ key: SeriesKey) -> Counter {
        series.get(key) { registry.makeCounter(descriptor: descriptor, labels: pairs(key.values)) }
    }

    private func gauge(_ key: SeriesKey) -> Gauge {
        series.get(key) { registry.makeGauge(descriptor: descriptor, labels: pairs(key.values)) }
    }

    private func histogram(_ key: SeriesKey) -> ValueHistogram {
        series.get(key) {
            registry.makeValueHistogram(descriptor: descriptor, labels: pairs(key.values), buckets: definition.buckets)
        }
    }

    /// Label pairs in definition order. A wrong count is a programming error: tests stop on it,
    /// production pads or truncates rather than crash.
    private func pairs(_ values: [String]) -> [(String, String)] {
        assert(values.count == definition.labels.count, "\(definition.name) takes labels \(definition.labels), got \(values)")
        return definition.labels.enumerated().map { index, name in (name, index < values.count ? values[index] : "") }
    }
}

/// A series' label values as a dictionary key: up to three inline (short strings need no heap
/// either), more in `rest`.
struct SeriesKey: Hashable, Sendable {
    let count: Int
    let first: String
    let second: String
    let third: String
    let rest: [String]

    init(_ first: String) {
        self.init(count: 1, first, "", "", [])
    }

    init(_ first: String, _ second: String) {
        self.init(count: 2, first, second, "", [])
    }

    init(_ first: String, _ second: String, _ third: String) {
        self.init(count: 3, first, second, third, [])
    }

    init(_ values: [String]) {
        self.init(
            count: values.count,
            values.count > 0 ? values[0] : "",
            values.count > 1 ? values[1] : "",
            values.count > 2 ? values[2] : "",
            values.count > 3 ? Array(values.dropFirst(3)) : []
        )
    }

    private init(count: Int, _ first: String, _ second: String, _ third: String, _ rest: [String]) {
        self.count = count
        self.first = first
        self.second = second
        self.third = third
        self.rest = rest
    }

    /// The values in label order.
    var values: [String] {
        Array([first, second, third].prefix(min(count, 3))) + rest
    }
}

/// A family's registered series by label values.
final class SeriesCache: Sendable {
    private let series = Mutex<[SeriesKey: any AnyObject & Sendable]>([:])

    /// The series for `labels`, registering it with `make` the first time.
    func get<Series: AnyObject & Sendable>(_ labels: SeriesKey, make: () -> Series) -> Series {
        series.withLock { series in
            if let found = series[labels] as? Series { return found }
            let made = make()
            series[labels] = made
            return made
        }
    }

    /// Forgets the series for `labels` and returns it.
    func remove(_ labels: SeriesKey) -> (any AnyObject & Sendable)? {
        series.withLock { $0.removeValue(forKey: labels) }
    }
}
