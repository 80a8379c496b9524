import Foundation

/// A Go (RE2-syntax) regular expression run by Foundation's engine; RE2's `(?P<name>…)` groups are
/// rewritten to `(?<name>…)`. Anchored expressions match whole strings, as Prometheus' label matchers do.
struct GoRegex: Sendable {
    let pattern: String
    private let regex: NSRegularExpression
    /// Capture group names (index 0 is group 1); unnamed groups are `nil`.
    let groupNames: [String?]

    init(_ pattern: String, anchored: Bool) throws {
        self.pattern = pattern
        let icuPattern = pattern.replacingOccurrences(of: "(?P<", with: "(?<")
        regex = try NSRegularExpression(pattern: anchored ? "^(?:" + icuPattern + ")$" : icuPattern, options: [])
        groupNames = GoRegex.names(in: pattern)
    }

    /// The first match's groups (index 0 the whole match), or `nil`.
    func firstMatch(in text: String) -> [Range<String.Index>?]? {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        guard let match = regex.firstMatch(in: text, options: [], range: range) else { return nil }
        return (0..<match.numberOfRanges).map { Range(match.range(at: $0), in: text) }
    }

    /// Every non-overlapping match's groups.
    func matches(in text: String) -> [[Range<String.Index>?]] {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return regex.matches(in: text, options: [], range: range).map { match in
            (0..<match.numberOfRanges).map { Range(match.range(at: $0), in: text) }
        }
    }

    /// Group names in order of their opening parenthesis.
    private static func names(in pattern: String) -> [String?] {
        var names: [String?] = []
        let characters = Array(pattern)
        var index = 0
        var inClass = false
        while index < characters.count {
            let character = characters[index]
            if character == "\\" {
                index += 2
                continue
            }
            if inClass {
                if character == "]" { inClass = false }
            } else if character == "[" {
                inClass = true
            } else if character == "(" {
                if index + 1 < characters.count, characters[index + 1] == "?" {
                    let named = index + 2 < characters.count && (characters[index + 2] == "P" || characters[index + 2] == "<")
                    let start = index + (index + 2 < characters.count && characters[index + 2] == "P" ? 4 : 3)
                    if named, start <= characters.count, let end = characters[start...].firstIndex(of: ">") {
                        names.append(String(characters[start..<end]))
                    }
                } else {
                    names.append(nil)
                }
            }
            index += 1
        }
        return names
    }
}

/// An unanchored Go regular expression, for the templates' `match` and `reReplaceAll`.
typealias UnanchoredRegex = GoRegex

extension GoRegex {
    init(_ pattern: String) throws {
        try self.init(pattern, anchored: false)
    }
}
