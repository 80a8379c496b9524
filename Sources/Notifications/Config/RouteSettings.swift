/// A node of the routing tree (`route:`), as in Alertmanager.
///
/// An alert enters at the root, which matches every alert. It goes down into the first child
/// route whose ``matchers`` all hold (and on to later siblings too when that child has
/// ``continueMatching``); a route none of whose children match takes the alert itself. Settings
/// left `nil` are inherited from the parent, and the root's defaults are Alertmanager's.
public struct RouteSettings: Sendable, Hashable {
    /// The receiver that gets this route's notifications (`receiver:`); required at the root.
    public var receiver: String?
    /// Conditions an alert must meet to enter this route (`matchers:`); the root has none.
    public var matchers: [Matcher]
    /// Labels whose values split alerts into groups (`group_by:`).
    public var groupBy: GroupBy?
    /// How long a new group waits before its first notification, to gather alerts (`group_wait:`, 30s).
    public var groupWait: Duration?
    /// How long after a notification a changed group is notified again (`group_interval:`, 5m).
    public var groupInterval: Duration?
    /// How long after a notification an unchanged group is notified again (`repeat_interval:`, 4h).
    public var repeatInterval: Duration?
    /// Whether an alert that matched this route goes on to the next siblings (`continue:`).
    public var continueMatching: Bool
    /// The child routes, tried in order (`routes:`).
    public var routes: [RouteSettings]

    /// Makes a route.
    /// - Parameters:
    ///   - receiver: the receiver's name; `nil` inherits the parent's.
    ///   - matchers: conditions to enter the route.
    ///   - groupBy: grouping labels; `nil` inherits.
    ///   - groupWait: wait before the first notification; `nil` inherits.
    ///   - groupInterval: wait between notifications of a changed group; `nil` inherits.
    ///   - repeatInterval: wait before repeating an unchanged group; `nil` inherits.
    ///   - continueMatching: whether later siblings are tried too.
    ///   - routes: child routes.
    public init(
        receiver: String? = nil,
        matchers: [Matcher] = [],
        groupBy: GroupBy? = nil,
        groupWait: Duration? = nil,
        groupInterval: Duration? = nil,
        repeatInterval: Duration? = nil,
        continueMatching: Bool = false,
        routes: [RouteSettings] = []
    ) {
        self.receiver = receiver
        self.matchers = matchers
        self.groupBy = groupBy
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        self.repeatInterval = repeatInterval
        self.continueMatching = continueMatching
        self.routes = routes
    }

    /// Alertmanager's `group_wait` default.
    public static let defaultGroupWait: Duration = .seconds(30)
    /// Alertmanager's `group_interval` default.
    public static let defaultGroupInterval: Duration = .seconds(300)
    /// Alertmanager's `repeat_interval` default.
    public static let defaultRepeatInterval: Duration = .seconds(4 * 3600)
}

/// Which labels make up a group (`group_by:`).
public enum GroupBy: Sendable, Hashable {
    /// These labels; alerts with the same values for them share a group. An empty list puts
    /// all of a route's alerts in one group.
    case labels([String])
    /// Every label (`group_by: ['...']`): each alert is its own group.
    case all

    /// The group labels of an alert with `labels`: the grouping labels it has.
    func groupLabels(of labels: [String: String]) -> [String: String] {
        switch self {
        case .all:
            return labels
        case .labels(let names):
            var found: [String: String] = [:]
            for name in names {
                if let value = labels[name] { found[name] = value }
            }
            return found
        }
    }
}
