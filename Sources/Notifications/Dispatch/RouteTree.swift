/// A route with every setting inherited and defaulted, ready to match alerts.
struct RouteTree: Sendable {
    /// Unique among routes: the matchers of every route from the root, with each child's index.
    let id: String
    /// Alertmanager's route key (the matchers from the root down): the first half of group keys.
    let key: String
    let matchers: [Matcher]
    let receiver: String
    let groupBy: GroupBy
    let groupWait: Duration
    let groupInterval: Duration
    let repeatInterval: Duration
    let continueMatching: Bool
    let children: [RouteTree]

    /// The tree under `root`; the root's missing settings take Alertmanager's defaults.
    init(root: RouteSettings) {
        self.init(
            settings: root,
            parent: nil,
            index: 0,
            inherited: Inherited(
                receiver: root.receiver ?? "",
                groupBy: .labels([]),
                groupWait: RouteSettings.defaultGroupWait,
                groupInterval: RouteSettings.defaultGroupInterval,
                repeatInterval: RouteSettings.defaultRepeatInterval
            )
        )
    }

    private struct Inherited {
        var receiver: String
        var groupBy: GroupBy
        var groupWait: Duration
        var groupInterval: Duration
        var repeatInterval: Duration
    }

    private init(settings: RouteSettings, parent: (id: String, key: String)?, index: Int, inherited: Inherited) {
        let own = "{" + settings.matchers.map(\.description).joined(separator: ",") + "}"
        id = parent.map { "\($0.id)/\(own)/\(index)" } ?? own
        key = parent.map { "\($0.key)/\(own)" } ?? own
        matchers = settings.matchers
        receiver = settings.receiver ?? inherited.receiver
        groupBy = settings.groupBy ?? inherited.groupBy
        groupWait = settings.groupWait ?? inherited.groupWait
        groupInterval = settings.groupInterval ?? inherited.groupInterval
        repeatInterval = settings.repeatInterval ?? inherited.repeatInterval
        continueMatching = settings.continueMatching
        let passed = Inherited(
            receiver: receiver,
            groupBy: groupBy,
            groupWait: groupWait,
            groupInterval: groupInterval,
            repeatInterval: repeatInterval
        )
        let here = (id: id, key: key)
        children = settings.routes.enumerated().map { RouteTree(settings: $1, parent: here, index: $0, inherited: passed) }
    }

    /// The routes that take an alert with `labels`, as Alertmanager decides: go down into the
    /// first matching child (and on to later siblings while the matched one has `continue`);
    /// a route none of whose children match takes the alert itself.
    func routes(for labels: [String: String]) -> [RouteTree] {
        guard matchers.allSatisfy({ $0.matches(labels) }) else { return [] }
        var found: [RouteTree] = []
        for child in children {
            let matched = child.routes(for: labels)
            found += matched
            if !matched.isEmpty && !child.continueMatching { break }
        }
        return found.isEmpty ? [self] : found
    }
}
