/// How Go benchmark units map to this module's metric names, units and directions, both ways.
///
/// Go's built-in units get the names used everywhere else in reports (`time`,
/// `allocated_bytes`, `allocations`, `throughput`). Any other metric travels as
/// `<name>[<unit>]` (`wall_clock[s]`, `ttft_p95[ms]`) so it survives a trip through Go text;
/// a plain custom Go unit such as `nodes/op` becomes a metric of that name and unit.
struct GoUnit: Hashable, Sendable {
    var name: String
    var unit: String
    var direction: Direction
    var deterministic: Bool

    private static let wellKnown: [String: GoUnit] = [
        "ns/op": GoUnit(name: "time", unit: "ns", direction: .lowerIsBetter, deterministic: false),
        "sec/op": GoUnit(name: "time", unit: "s", direction: .lowerIsBetter, deterministic: false),
        "B/op": GoUnit(name: "allocated_bytes", unit: "B", direction: .lowerIsBetter, deterministic: true),
        "allocs/op": GoUnit(name: "allocations", unit: "count", direction: .lowerIsBetter, deterministic: true),
        "MB/s": GoUnit(name: "throughput", unit: "MB/s", direction: .higherIsBetter, deterministic: false),
        "B/s": GoUnit(name: "throughput", unit: "B/s", direction: .higherIsBetter, deterministic: false),
    ]

    /// The metric a Go unit stands for, before any `Unit` metadata line is applied.
    init(goUnit: String) {
        if let known = Self.wellKnown[goUnit] {
            self = known
        } else if goUnit.hasSuffix("]"), let open = goUnit.lastIndex(of: "["), open > goUnit.startIndex {
            let unitStart = goUnit.index(after: open)
            let unitEnd = goUnit.index(before: goUnit.endIndex)
            let unit = unitStart < unitEnd ? String(goUnit[unitStart..<unitEnd]) : goUnit
            self.init(name: String(goUnit[..<open]), unit: unit, direction: .lowerIsBetter, deterministic: false)
        } else {
            self.init(name: goUnit, unit: goUnit, direction: .lowerIsBetter, deterministic: false)
        }
    }

    init(name: String, unit: String, direction: Direction, deterministic: Bool) {
        self.name = name
        self.unit = unit
        self.direction = direction
        self.deterministic = deterministic
    }

    /// The Go unit to write for a metric: a built-in unit when name and unit match one,
    /// the bare unit when it equals the name, otherwise `<name>[<unit>]`. Spaces become `_`
    /// because Go text splits fields on whitespace.
    static func goUnit(for metric: Metric) -> String {
        if let known = wellKnown.first(where: { $0.value.name == metric.name && $0.value.unit == metric.unit }) {
            return known.key
        }
        let text = metric.name == metric.unit ? metric.unit : "\(metric.name)[\(metric.unit)]"
        return String(text.map { $0.isWhitespace ? "_" : $0 })
    }
}
