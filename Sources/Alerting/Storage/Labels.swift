/// One label: a name and a non-empty value.
public struct Label: Hashable, Sendable {
    /// The label name, e.g. `job` or `__name__`.
    public var name: String
    /// The label value; Prometheus treats an empty value as an absent label.
    public var value: String

    /// Creates a label.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A set of labels sorted by name, as Prometheus keeps them: the identity of a series.
///
/// Empty values are dropped on construction, because Prometheus treats `a=""` and a missing `a` alike.
/// Ordering (`<`) is Prometheus' `labels.Compare`: pairwise by name, then value, then length, bytewise.
public struct Labels: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByDictionaryLiteral {
    /// The label name Prometheus uses for the metric name.
    public static let metricName = "__name__"
    /// The empty label set.
    public static let empty = Labels(sortedPairs: [])

    /// The labels, sorted by name, names unique, values non-empty.
    public private(set) var pairs: [Label]

    /// Creates labels from a dictionary, dropping empty values.
    public init(_ dictionary: [String: String]) {
        pairs = dictionary.compactMap { $0.value.isEmpty ? nil : Label(name: $0.key, value: $0.value) }
        pairs.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// Creates labels from a dictionary literal, dropping empty values.
    public init(dictionaryLiteral elements: (String, String)...) {
        var dictionary: [String: String] = [:]
        for (name, value) in elements { dictionary[name] = value }
        self.init(dictionary)
    }

    /// Creates labels keeping empty values: for annotations, which Prometheus keeps even when empty.
    init(allowingEmptyValues dictionary: [String: String]) {
        pairs = dictionary.map { Label(name: $0.key, value: $0.value) }
        pairs.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// Trusts the caller that `pairs` is sorted, unique and free of empty values.
    init(sortedPairs: [Label]) {
        pairs = sortedPairs
    }

    /// The number of labels.
    public var count: Int { pairs.count }

    /// Whether there are no labels.
    public var isEmpty: Bool { pairs.isEmpty }

    /// The value of `name`, or `nil` when the label is absent.
    public subscript(name: String) -> String? {
        for pair in pairs where pair.name == name { return pair.value }
        return nil
    }

    /// The metric name (`__name__`), if any.
    public var metricName: String? { self[Labels.metricName] }

    /// The labels as a dictionary.
    public var dictionary: [String: String] {
        var result: [String: String] = [:]
        for pair in pairs { result[pair.name] = pair.value }
        return result
    }

    /// These labels with `name` set to `value`; an empty value removes the label, as in Prometheus.
    public func setting(_ name: String, to value: String) -> Labels {
        var copy = pairs
        if let index = copy.firstIndex(where: { $0.name == name }) {
            if value.isEmpty {
                copy.remove(at: index)
            } else {
                copy[index].value = value
            }
            return Labels(sortedPairs: copy)
        }
        if value.isEmpty { return self }
        let position = copy.firstIndex { name.utf8.lexicographicallyPrecedes($0.name.utf8) } ?? copy.count
        copy.insert(Label(name: name, value: value), at: position)
        return Labels(sortedPairs: copy)
    }

    /// These labels without the named ones.
    public func removing(_ names: some Sequence<String>) -> Labels {
        let drop = Set(names)
        return Labels(sortedPairs: pairs.filter { !drop.contains($0.name) })
    }

    /// These labels without the named one.
    public func removing(_ name: String) -> Labels {
        Labels(sortedPairs: pairs.filter { $0.name != name })
    }

    /// Only the named labels.
    public func keeping(_ names: some Sequence<String>) -> Labels {
        let keep = Set(names)
        return Labels(sortedPairs: pairs.filter { keep.contains($0.name) })
    }

    /// These labels without `__name__`.
    public var droppingMetricName: Labels {
        guard pairs.first?.name == Labels.metricName || self[Labels.metricName] != nil else { return self }
        return removing(Labels.metricName)
    }

    /// Prometheus' text form: `{a="1", b="2"}` with Go-quoted values.
    public var description: String {
        "{" + pairs.map { "\($0.name)=\(GoQuote.quote($0.value))" }.joined(separator: ", ") + "}"
    }

    /// Prometheus' `labels.Compare` ordering.
    public static func < (lhs: Labels, rhs: Labels) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Prometheus' `labels.Compare`: negative, zero or positive.
    public static func compare(_ lhs: Labels, _ rhs: Labels) -> Int {
        let shared = Swift.min(lhs.pairs.count, rhs.pairs.count)
        for index in 0..<shared {
            let left = lhs.pairs[index]
            let right = rhs.pairs[index]
            if left.name != right.name {
                return left.name.utf8.lexicographicallyPrecedes(right.name.utf8) ? -1 : 1
            }
            if left.value != right.value {
                return left.value.utf8.lexicographicallyPrecedes(right.value.utf8) ? -1 : 1
            }
        }
        return lhs.pairs.count - rhs.pairs.count
    }
}

extension Labels: Sequence {
    /// Iterates the labels in name order.
    public func makeIterator() -> IndexingIterator<[Label]> {
        pairs.makeIterator()
    }
}
