import Foundation
import Yams

/// Every problem found while reading one configuration, so all of them are reported at once.
final class ProblemList {
    private(set) var problems: [ConfigProblem] = []
    private var nodes: [String: Node] = [:]

    /// Records `what` about the key at `path`, with the line and column of `node`, or else of the
    /// nearest enclosing key read so far.
    func add(_ path: String, _ node: Node?, _ what: String) {
        let mark = (node ?? enclosing(path))?.mark
        problems.append(ConfigProblem(line: mark?.line, column: mark?.column, path: path, message: what))
    }

    /// The problems in the order of the file; those without a position last.
    var sorted: [ConfigProblem] {
        problems.enumerated().sorted { left, right in
            let l = (left.element.line ?? .max, left.element.column ?? .max, left.offset)
            let r = (right.element.line ?? .max, right.element.column ?? .max, right.offset)
            return l < r
        }.map(\.element)
    }

    private func enclosing(_ path: String) -> Node? {
        var path = Substring(path)
        while !path.isEmpty {
            if let node = nodes[String(path)] { return node }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
            path = path[..<cut]
        }
        return nil
    }

    /// Remembers where `path` is, for problems found after reading (``add(_:_:_:)`` with no node).
    func note(_ path: String, _ node: Node) {
        nodes[path] = node
    }
}

/// A YAML node with the key path that leads to it, read into typed values.
///
/// Each reader returns `nil` and records a problem naming the path when the node has the wrong
/// shape; a null node (`key:` with nothing after it) reads as absent. Readers of secrets never
/// put the value in a problem.
struct YAMLField {
    let node: Node
    let path: String
    let problems: ProblemList

    /// Whether the node is YAML null (`~`, `null` or nothing).
    var isNull: Bool { node.null != nil }

    /// The mapping's fields by key, after recording every key that is not in `allowed`.
    func mapping(allowed: [String]) -> [String: YAMLField]? {
        guard !isNull else { return nil }
        guard let mapping = node.mapping else {
            problems.add(path, node, "must be a mapping of keys (key: value lines); known keys here: \(allowed.joined(separator: ", "))")
            return nil
        }
        var fields: [String: YAMLField] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                problems.add(path, key, "keys must be plain strings")
                continue
            }
            let full = path.isEmpty ? name : "\(path).\(name)"
            guard allowed.contains(name) else {
                problems.add(full, key, "unknown key; known keys here: \(allowed.sorted().joined(separator: ", "))")
                continue
            }
            problems.note(full, value)
            if value.null == nil { fields[name] = YAMLField(node: value, path: full, problems: problems) }
        }
        return fields
    }

    /// The elements of a sequence, each with its index in the path.
    func sequence() -> [YAMLField]? {
        guard !isNull else { return nil }
        guard let elements = node.sequence else {
            problems.add(path, node, "must be a list (lines starting with \"- \", or [a, b])")
            return nil
        }
        return elements.enumerated().map { index, element in
            problems.note("\(path)[\(index)]", element)
            return YAMLField(node: element, path: "\(path)[\(index)]", problems: problems)
        }
    }

    /// A scalar's text.
    func string() -> String? {
        guard !isNull else { return nil }
        guard let scalar = node.scalar else {
            problems.add(path, node, "must be a single value, not a list or a mapping")
            return nil
        }
        return scalar.string
    }

    /// A scalar's text as a ``Secret``; no problem about it quotes the value.
    func secret() -> Secret? {
        guard !isNull else { return nil }
        guard let scalar = node.scalar else {
            problems.add(path, node, "must be a single value (the value is secret and not shown here)")
            return nil
        }
        return Secret(scalar.string)
    }

    /// `true` or `false`.
    func bool() -> Bool? {
        guard let text = string() else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            problems.add(path, node, "\(LabelText.quoted(text)) is not true or false")
            return nil
        }
    }

    /// A whole number, at least `minimum`.
    func int(minimum: Int) -> Int? {
        guard let text = string() else { return nil }
        guard let value = Int(text), value >= minimum else {
            problems.add(path, node, "\(LabelText.quoted(text)) is not a whole number of at least \(minimum)")
            return nil
        }
        return value
    }

    /// A Prometheus duration (`30s`, `5m`, `1h30m`); `positive` refuses zero.
    func duration(positive: Bool) -> Duration? {
        guard let text = string() else { return nil }
        guard let value = DurationText.parse(text) else {
            problems.add(path, node, "\(LabelText.quoted(text)) is not a duration; write one like 30s, 5m, 4h or 1h30m")
            return nil
        }
        if positive && value <= .zero {
            problems.add(path, node, "must be longer than 0s")
            return nil
        }
        return value
    }

    /// A list of plain strings; a single string also counts as a list of one.
    func strings() -> [String]? {
        guard !isNull else { return nil }
        if node.scalar != nil { return string().map { [$0] } }
        guard let elements = sequence() else { return nil }
        return elements.compactMap { $0.string() }
    }

    /// The text of the file this node names, relative to `directory`, as a secret: read whole,
    /// with trailing newlines dropped.
    func secretFile(relativeTo directory: String?) -> Secret? {
        guard let given = string() else { return nil }
        let path = ConfigPath.resolve(given, relativeTo: directory)
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read (check its permissions)" : "no such file"
            problems.add(self.path, node, "\(path): \(reason); give a file that holds only the secret")
            return nil
        }
        let text = String(decoding: data, as: UTF8.self)
        var end = text.endIndex
        while end > text.startIndex, text[text.index(before: end)].isNewline { end = text.index(before: end) }
        let value = String(text[..<end])
        guard !value.isEmpty else {
            problems.add(self.path, node, "\(path) is empty; write the secret into it")
            return nil
        }
        return Secret(value)
    }
}

/// Paths in a configuration file, relative to its directory unless absolute.
enum ConfigPath {
    static func resolve(_ path: String, relativeTo directory: String?) -> String {
        guard !path.hasPrefix("/"), let directory, !directory.isEmpty else { return path }
        return URL(fileURLWithPath: directory).appendingPathComponent(path).path
    }
}
