/// One metric family: everything Prometheus, the docs, dashboards and alert rules need to know.
///
/// Definitions live only in ``MetricCatalog``; registering goes through them, so a name, a type,
/// a label set or a help text can never disagree between two places.
public struct MetricDefinition: Sendable, Hashable {
    /// The Prometheus type.
    public enum Kind: String, Sendable, Hashable {
        case counter, gauge, histogram
    }

    /// When the family is collected.
    public enum Tier: String, Sendable, Hashable {
        /// Always: cheap counters and gauges.
        case basic
        /// Only with `--enable-performance-monitoring`: histograms and per-token timing.
        case detailed
    }

    /// The family name as exported (`_total` on counters, base units in the name).
    public let name: String
    public let kind: Kind
    /// The base unit (`seconds`, `bytes`, `tokens`, `requests`, ...), or empty for a plain number.
    public let unit: String
    /// Label names, in the order ``MetricFamily/labels(_:)`` takes their values.
    public let labels: [String]
    /// One sentence for `# HELP`.
    public let help: String
    /// Upper bounds of a histogram's buckets (without `+Inf`), increasing; empty otherwise.
    public let buckets: [Double]
    public let tier: Tier

    /// Internal on purpose: only ``MetricCatalog`` makes definitions.
    init(
        _ name: String,
        _ kind: Kind,
        unit: String,
        labels: [String] = [],
        help: String,
        buckets: [Double] = [],
        tier: Tier = .basic
    ) {
        self.name = name
        self.kind = kind
        self.unit = unit
        self.labels = labels
        self.help = help
        self.buckets = buckets
        self.tier = tier
    }

    /// Everything wrong with the definition, each naming it; empty when it follows the
    /// Prometheus naming rules that `promtool check metrics` enforces and a few of our own.
    public func problems() -> [String] {
        var found: [String] = []
        func problem(_ text: String) { found.append("metric \(name): \(text)") }
        if !Self.isValidName(name) { problem("not a valid Prometheus metric name") }
        if kind == .counter, !name.hasSuffix("_total") { problem("a counter's name must end in _total") }
        if kind != .counter, name.hasSuffix("_total") { problem("only counters end in _total") }
        if help.isEmpty || help.contains("\n") { problem("help must be one non-empty line") }
        for label in labels where !Self.isValidLabelName(label) || label.hasPrefix("__") || label == "le" {
            problem("label \"\(label)\" is not a usable label name")
        }
        if Set(labels).count != labels.count { problem("a label is listed twice") }
        if kind == .histogram {
            if buckets.isEmpty { problem("a histogram needs buckets") }
            if zip(buckets, buckets.dropFirst()).contains(where: { $0 >= $1 }) { problem("buckets must increase") }
        } else if !buckets.isEmpty {
            problem("only histograms have buckets")
        }
        for unit in ["milliseconds", "microseconds", "nanoseconds", "kilobytes", "megabytes"] where name.contains(unit) {
            problem("use base units (seconds, bytes), not \(unit)")
        }
        if !unit.isEmpty, !name.contains("_\(unit)") { problem("the name must carry its unit \"\(unit)\"") }
        return found
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || first == UInt8(ascii: ":") || isLetter(first) else {
            return false
        }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") }
    }

    static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
