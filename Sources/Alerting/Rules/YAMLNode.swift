import Yams

/// Helpers to read Yams nodes strictly (unknown fields are errors, as Prometheus' strict YAML decoding) with
/// `line:column` positions for messages.
extension Node {
    /// `line:column` of the node, 1-based, or an empty string when unknown.
    var location: String {
        guard let mark else { return "" }
        return "\(mark.line):\(mark.column)"
    }

    /// The scalar's text, or `nil` for mappings and sequences.
    var scalarText: String? {
        if case .scalar(let scalar) = self { return scalar.string }
        return nil
    }

    /// Whether the node is YAML's null (`~`, `null` or empty).
    var isNull: Bool {
        if case .scalar(let scalar) = self {
            return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
        }
        return false
    }

    /// The mapping's entries in order with string keys, or `nil` when the node is not a mapping.
    var entries: [(key: String, value: Node, keyNode: Node)]? {
        guard case .mapping(let mapping) = self else { return nil }
        return mapping.map { (key: $0.key.scalarText ?? "", value: $0.value, keyNode: $0.key) }
    }

    /// The sequence's items, or `nil` when the node is not a sequence.
    var items: [Node]? {
        if case .sequence(let sequence) = self { return Array(sequence) }
        return nil
    }
}

/// A problem found while reading YAML: where (`line:column`, may be empty) and what.
struct YAMLProblem: Sendable {
    var location: String
    var message: String

    /// `location: prefix message`, leaving out what is empty.
    func formatted(prefix: String = "") -> String {
        (location.isEmpty ? "" : location + ": ") + prefix + message
    }
}

/// Reads a YAML mapping field by field, collecting problems instead of stopping at the first.
struct YAMLFields {
    let node: Node
    /// Prefix for messages (`group: `), empty where the caller adds its own context.
    let context: String
    private(set) var values: [String: Node] = [:]
    private(set) var problems: [YAMLProblem] = []

    /// Checks that `node` is a mapping whose keys are all in `allowed` and not repeated.
    init(_ node: Node, allowed: Set<String>, context: String) {
        self.node = node
        self.context = context
        guard let entries = node.entries else {
            if !node.isNull { problems.append(YAMLProblem(location: node.location, message: context + "expected a mapping")) }
            return
        }
        for entry in entries {
            if !allowed.contains(entry.key) {
                problems.append(YAMLProblem(location: entry.keyNode.location, message: context + "unknown field \(GoQuote.quote(entry.key))"))
            } else if values[entry.key] != nil {
                problems.append(YAMLProblem(location: entry.keyNode.location, message: context + "field \(GoQuote.quote(entry.key)) appears twice"))
            } else {
                values[entry.key] = entry.value
            }
        }
    }

    mutating func string(_ key: String) -> String? {
        guard let value = values[key], !value.isNull else { return nil }
        guard let text = value.scalarText else {
            problems.append(YAMLProblem(location: value.location, message: context + "field \(GoQuote.quote(key)) must be a string"))
            return nil
        }
        return text
    }

    mutating func duration(_ key: String) -> Int64? {
        guard let text = string(key) else { return nil }
        guard let milliseconds = PromDuration.milliseconds(text) else {
            problems.append(
                YAMLProblem(
                    location: values[key]?.location ?? "",
                    message: context + "field \(GoQuote.quote(key)): not a valid duration string: \(GoQuote.quote(text))"
                )
            )
            return nil
        }
        return milliseconds
    }

    mutating func integer(_ key: String) -> Int? {
        guard let text = string(key) else { return nil }
        guard let value = Int(text) else {
            problems.append(YAMLProblem(location: values[key]?.location ?? "", message: context + "field \(GoQuote.quote(key)) must be an integer"))
            return nil
        }
        return value
    }

    mutating func stringMap(_ key: String) -> [(name: String, value: String)] {
        guard let node = values[key], !node.isNull else { return [] }
        guard let entries = node.entries else {
            problems.append(YAMLProblem(location: node.location, message: context + "field \(GoQuote.quote(key)) must be a mapping"))
            return []
        }
        var result: [(name: String, value: String)] = []
        for entry in entries {
            guard let value = entry.value.isNull ? "" : entry.value.scalarText else {
                problems.append(YAMLProblem(location: entry.value.location, message: context + "\(key) \(GoQuote.quote(entry.key)) must be a string"))
                continue
            }
            result.append((entry.key, value))
        }
        return result
    }

    mutating func list(_ key: String) -> [Node] {
        guard let node = values[key], !node.isNull else { return [] }
        guard let items = node.items else {
            problems.append(YAMLProblem(location: node.location, message: context + "field \(GoQuote.quote(key)) must be a list"))
            return []
        }
        return items
    }

    mutating func problem(_ problem: YAMLProblem) {
        problems.append(problem)
    }
}
