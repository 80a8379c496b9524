import Foundation
import Yams

extension NotificationSettings {
    /// The keys of the `notifications:` mapping.
    static let keys = ["route", "receivers", "alertmanagers", "external_url", "dashboard_url"]

    /// Reads the YAML file at `path`: a top-level `notifications:` mapping. Relative file names
    /// inside (`*_file:`, `ca_file:`) are taken from the file's directory.
    /// - Throws: ``NotificationConfigError`` with every problem found.
    public static func load(path: String) throws(NotificationConfigError) -> NotificationSettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason =
                FileManager.default.fileExists(atPath: path) ? "cannot be read (check its permissions)" : "no such file; check the path"
            throw NotificationConfigError(source: path, problems: [ConfigProblem(line: nil, column: nil, path: "file", message: reason)])
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(yaml: String(decoding: data, as: UTF8.self), source: path, baseDirectory: directory)
    }

    /// Reads YAML `text` whose top level holds `notifications:`; `source` names it in errors and
    /// relative file names are taken from `baseDirectory` (the working directory when `nil`).
    /// - Throws: ``NotificationConfigError`` with every problem found.
    public static func parse(yaml text: String, source: String, baseDirectory: String? = nil) throws(NotificationConfigError) -> NotificationSettings
    {
        let problems = ProblemList()
        let document: Node?
        do {
            document = try Yams.compose(yaml: text)
        } catch {
            throw NotificationConfigError(source: source, problems: [yamlProblem(error)])
        }
        guard let document else {
            throw NotificationConfigError(
                source: source,
                problems: [ConfigProblem(line: nil, column: nil, path: "notifications", message: "the file is empty; add a notifications: section")]
            )
        }
        let top = YAMLField(node: document, path: "", problems: problems)
        let fields = top.mapping(allowed: ["notifications"])
        guard let section = fields?["notifications"] else {
            if problems.problems.isEmpty { problems.add("notifications", nil, "required; put the routes and receivers under notifications:") }
            throw NotificationConfigError(source: source, problems: problems.sorted)
        }
        return try read(section, problems: problems, source: source, baseDirectory: baseDirectory)
    }

    /// Reads the `notifications:` mapping `node` taken from a larger document (the gateway's
    /// configuration file, say); key paths in errors start with `notifications`.
    /// - Throws: ``NotificationConfigError`` with every problem found.
    public init(node: Node, source: String, baseDirectory: String? = nil) throws(NotificationConfigError) {
        let problems = ProblemList()
        self = try Self.read(
            YAMLField(node: node, path: "notifications", problems: problems),
            problems: problems,
            source: source,
            baseDirectory: baseDirectory
        )
    }

    private static func read(
        _ section: YAMLField,
        problems: ProblemList,
        source: String,
        baseDirectory: String?
    ) throws(NotificationConfigError) -> NotificationSettings {
        var settings = NotificationSettings()
        let fields = section.mapping(allowed: keys) ?? [:]
        let reader = ReceiverReader(baseDirectory: baseDirectory)
        settings.route = fields["route"].flatMap { RouteReader.read($0) }
        settings.receivers = fields["receivers"]?.sequence()?.compactMap { reader.receiver($0) } ?? []
        settings.alertmanagers = fields["alertmanagers"]?.sequence()?.compactMap(alertmanager) ?? []
        if let field = fields["external_url"], let url = field.string() {
            if url.isEmpty || HTTPURLCheck.isHTTP(url) {
                settings.externalURL = url
            } else {
                field.problems.add(field.path, field.node, "\(LabelText.quoted(url)) is not an http:// or https:// URL")
            }
        }
        if let field = fields["dashboard_url"], let url = field.string() {
            if HTTPURLCheck.isHTTP(url) {
                settings.dashboardURL = url
            } else {
                field.problems.add(field.path, field.node, "\(LabelText.quoted(url)) is not an http:// or https:// URL")
            }
        }
        if problems.problems.isEmpty {
            for problem in settings.findProblems() { problems.add(problem.path, nil, problem.message) }
        }
        guard problems.problems.isEmpty else { throw NotificationConfigError(source: source, problems: problems.sorted) }
        return settings
    }

    private static func alertmanager(_ field: YAMLField) -> AlertmanagerTarget? {
        guard let fields = field.mapping(allowed: ["url"]) else { return nil }
        guard let urlField = fields["url"] else {
            field.problems.add("\(field.path).url", field.node, "required; give the Alertmanager's base URL, like http://127.0.0.1:9093")
            return nil
        }
        guard let url = urlField.string() else { return nil }
        guard HTTPURLCheck.isHTTP(url) else {
            urlField.problems.add(urlField.path, urlField.node, "\(LabelText.quoted(url)) is not an http:// or https:// URL")
            return nil
        }
        return AlertmanagerTarget(url: url)
    }

    /// A syntax error as a problem: libyaml's own words and position, never the offending line,
    /// which may hold a secret.
    private static func yamlProblem(_ error: any Error) -> ConfigProblem {
        let advice = "; fix the YAML syntax there (quote values that contain : or #)"
        guard let yaml = error as? YamlError else {
            return ConfigProblem(line: nil, column: nil, path: "notifications", message: "not valid YAML" + advice)
        }
        switch yaml {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let around = context.map { " (\($0.text))" } ?? ""
            return ConfigProblem(line: mark.line, column: mark.column, path: "notifications", message: "not valid YAML: \(problem)\(around)" + advice)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigProblem(
                line: context.mark.line,
                column: context.mark.column,
                path: "notifications",
                message: "the key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) appears twice in one mapping; keep one"
            )
        case .reader(let problem, _, _, _):
            return ConfigProblem(line: nil, column: nil, path: "notifications", message: "not readable as UTF-8 text: \(problem)")
        default:
            return ConfigProblem(line: nil, column: nil, path: "notifications", message: "not valid YAML" + advice)
        }
    }
}

/// Checks that a URL is an absolute `http://` or `https://` URL with a host.
enum HTTPURLCheck {
    static func isHTTP(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return false }
        return true
    }
}
