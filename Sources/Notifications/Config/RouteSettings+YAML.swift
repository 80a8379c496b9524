import Yams

/// Reads `route:` mappings, recursively.
enum RouteReader {
    static let keys = ["receiver", "matchers", "group_by", "group_wait", "group_interval", "repeat_interval", "continue", "routes"]

    /// The route in `field`, or `nil` when it is not a mapping (a problem is recorded).
    static func read(_ field: YAMLField) -> RouteSettings? {
        guard let fields = field.mapping(allowed: keys) else {
            if field.isNull { field.problems.add(field.path, field.node, "is empty; give at least a receiver") }
            return nil
        }
        var route = RouteSettings()
        if let receiver = fields["receiver"] {
            route.receiver = receiver.string()
            if route.receiver?.isEmpty == true { receiver.problems.add(receiver.path, receiver.node, "must not be empty; name a receiver") }
        }
        route.matchers = fields["matchers"].map(matchers) ?? []
        route.groupBy = fields["group_by"].flatMap(groupBy)
        route.groupWait = fields["group_wait"]?.duration(positive: false)
        route.groupInterval = fields["group_interval"]?.duration(positive: true)
        route.repeatInterval = fields["repeat_interval"]?.duration(positive: true)
        route.continueMatching = fields["continue"]?.bool() ?? false
        route.routes = fields["routes"]?.sequence()?.compactMap(read) ?? []
        return route
    }

    private static func matchers(_ field: YAMLField) -> [Matcher] {
        let entries = field.node.scalar != nil ? [field] : field.sequence() ?? []
        var found: [Matcher] = []
        for entry in entries {
            guard let text = entry.string() else { continue }
            do {
                found += try Matcher.parseList(text)
            } catch {
                entry.problems.add(entry.path, entry.node, error.description)
            }
        }
        return found
    }

    private static func groupBy(_ field: YAMLField) -> GroupBy? {
        guard let names = field.strings() else { return nil }
        if names.contains("...") {
            guard names.count == 1 else {
                field.problems.add(field.path, field.node, "'...' (group by every label) must be alone in the list; remove the other labels")
                return nil
            }
            return .all
        }
        for name in names where name.isEmpty || name.contains(where: { $0.isWhitespace || $0 == "," }) {
            field.problems.add(field.path, field.node, "\(LabelText.quoted(name)) is not a label name; list label names like [alertname, node]")
            return nil
        }
        return .labels(names)
    }
}
