import Foundation

/// Replaces secrets in text that came from elsewhere (an endpoint's error answer, a library's
/// error description) with ``Secret/mask``, as the last guard before text reaches a log or an
/// error.
///
/// For a secret URL it also replaces the parts that carry its token on their own: the path, the
/// query and the user and password, since an answer may echo any of them.
struct Redactor: Sendable {
    private let needles: [String]

    init(_ secrets: [Secret]) {
        var needles: Set<String> = []
        for secret in secrets {
            let value = secret.revealed
            if !value.isEmpty { needles.insert(value) }
            guard let components = URLComponents(string: value), components.scheme != nil else { continue }
            for part in [components.percentEncodedPath, components.path, components.percentEncodedQuery, components.user, components.password] {
                if let part, part.count >= 4 { needles.insert(part) }
            }
        }
        // Longest first, so a URL goes whole before its path is looked for.
        self.needles = needles.sorted { $0.count > $1.count }
    }

    func clean(_ text: String) -> String {
        needles.reduce(text) { $0.replacingOccurrences(of: $1, with: Secret.mask) }
    }
}
