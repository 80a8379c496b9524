/// `label_replace` and `label_join`, with Go's regexp template expansion (`$1`, `${1}`, `$name`, `$$`).
enum LabelFunctions {
    static func replace(
        _ input: [VectorSample],
        destination: String,
        replacement: String,
        source: String,
        regex pattern: String
    ) throws(PromQLError) -> [VectorSample] {
        let regex: AnchoredRegex
        do {
            regex = try AnchoredRegex(pattern)
        } catch {
            throw .evaluation("invalid regular expression in label_replace(): \(pattern)")
        }
        guard LabelName.isValid(destination) else {
            throw .evaluation("invalid destination label name in label_replace(): \(destination)")
        }
        let names = regex.groupNames
        return input.map { sample in
            let value = sample.labels[source] ?? ""
            guard let captures = regex.captureRanges(in: value) else { return sample }
            let expanded = expand(replacement, value: value, captures: captures, groupNames: names)
            var labels = sample.labels.removing(destination)
            if !expanded.isEmpty { labels = labels.setting(destination, to: expanded) }
            return VectorSample(labels: labels, value: sample.value, timestampMs: sample.timestampMs)
        }
    }

    static func join(
        _ input: [VectorSample],
        destination: String,
        separator: String,
        sources: [String]
    ) throws(PromQLError)
        -> [VectorSample]
    {
        for source in sources where !LabelName.isValid(source) {
            throw .evaluation("invalid source label name in label_join(): \(source)")
        }
        guard LabelName.isValid(destination) else {
            throw .evaluation("invalid destination label name in label_join(): \(destination)")
        }
        return input.map { sample in
            let joined = sources.map { sample.labels[$0] ?? "" }.joined(separator: separator)
            let labels = joined.isEmpty ? sample.labels.removing(destination) : sample.labels.setting(destination, to: joined)
            return VectorSample(labels: labels, value: sample.value, timestampMs: sample.timestampMs)
        }
    }

    /// Go's `Regexp.ExpandString`: `$n`/`${n}` insert capture n, `$name`/`${name}` a named capture (the
    /// longest run of letters, digits and `_`), `$$` a dollar; a malformed reference stays literal.
    static func expand(_ template: String, value: String, captures: [Range<String.Index>?], groupNames: [String?]) -> String {
        var output = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                output += "$"
                rest = rest.dropFirst()
                continue
            }
            guard let (name, remainder) = referenceName(rest) else {
                output += "$"
                continue
            }
            rest = remainder
            if let number = captureNumber(name) {
                if number < captures.count, let range = captures[number] { output += value[range] }
            } else if let index = groupNames.firstIndex(where: { $0 == name }), index + 1 < captures.count,
                let range = captures[index + 1]
            {
                output += value[range]
            }
        }
        return output + rest
    }

    private static func referenceName(_ text: Substring) -> (String, Substring)? {
        var rest = text
        let braced = rest.first == "{"
        if braced { rest = rest.dropFirst() }
        let end = rest.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") } ?? rest.endIndex
        let name = rest[..<end]
        if name.isEmpty { return nil }
        rest = rest[end...]
        if braced {
            guard rest.first == "}" else { return nil }
            rest = rest.dropFirst()
        }
        return (String(name), rest)
    }

    private static func captureNumber(_ name: String) -> Int? {
        guard name.allSatisfy({ $0.isASCII && $0.isNumber }), name.count <= 8 else { return nil }
        if name.hasPrefix("0") && name.count > 1 { return nil }
        return Int(name)
    }
}
