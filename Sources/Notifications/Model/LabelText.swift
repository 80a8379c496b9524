/// Label sets and matchers written as Alertmanager writes them, the form its group keys use.
enum LabelText {
    /// `{alertname="NodeDown", node="a"}`: names sorted, values quoted, `, ` between pairs.
    static func set(_ labels: [String: String]) -> String {
        "{" + labels.keys.sorted().map { "\($0)=\(quoted(labels[$0] ?? ""))" }.joined(separator: ", ") + "}"
    }

    /// `"value"` with backslash, quote and control characters escaped as Go's `%q` does for
    /// the printable text labels hold.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Label pairs sorted by name, for stable rendering.
    static func sortedPairs(_ labels: [String: String]) -> [(name: String, value: String)] {
        labels.keys.sorted().map { ($0, labels[$0] ?? "") }
    }
}
