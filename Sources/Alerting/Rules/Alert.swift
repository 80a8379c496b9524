/// The state of one alert instance.
public enum AlertState: String, Sendable, Hashable, Comparable {
    /// The condition cleared (kept for 15 minutes after firing, so the resolution can be notified).
    case inactive
    /// The condition holds but not yet for the rule's `for:` duration.
    case pending
    /// The condition has held for `for:` (or is kept firing by `keep_firing_for:`).
    case firing

    private var rank: Int {
        switch self {
        case .inactive: return 0
        case .pending: return 1
        case .firing: return 2
        }
    }

    public static func < (lhs: AlertState, rhs: AlertState) -> Bool {
        lhs.rank < rhs.rank
    }
}

/// One alert instance of an alerting rule: one per label set the rule's expression returned.
public struct Alert: Sendable, Hashable {
    /// The series' labels (without `__name__`), the rule's expanded labels and `alertname`.
    public var labels: Labels
    /// The rule's expanded annotations.
    public var annotations: Labels
    /// Pending, firing, or inactive once resolved.
    public var state: AlertState
    /// The expression's value at the last evaluation that returned this alert.
    public var value: Double
    /// When the condition started to hold (ms since the epoch).
    public var activeAtMs: Int64
    /// When the alert started firing, if it did.
    public var firedAtMs: Int64?
    /// When the alert resolved, if it did.
    public var resolvedAtMs: Int64?
    /// Since when a firing alert whose condition cleared is held by `keep_firing_for:`.
    public var keepFiringSinceMs: Int64?

    /// Creates an alert.
    public init(
        labels: Labels,
        annotations: Labels,
        state: AlertState,
        value: Double,
        activeAtMs: Int64,
        firedAtMs: Int64? = nil,
        resolvedAtMs: Int64? = nil,
        keepFiringSinceMs: Int64? = nil
    ) {
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.value = value
        self.activeAtMs = activeAtMs
        self.firedAtMs = firedAtMs
        self.resolvedAtMs = resolvedAtMs
        self.keepFiringSinceMs = keepFiringSinceMs
    }

    /// Whether the alert is pending or firing (not resolved).
    public var isActive: Bool { resolvedAtMs == nil }

    public static func == (lhs: Alert, rhs: Alert) -> Bool {
        lhs.labels == rhs.labels && lhs.annotations == rhs.annotations && lhs.state == rhs.state
            && lhs.value.bitPattern == rhs.value.bitPattern && lhs.activeAtMs == rhs.activeAtMs
            && lhs.firedAtMs == rhs.firedAtMs && lhs.resolvedAtMs == rhs.resolvedAtMs
            && lhs.keepFiringSinceMs == rhs.keepFiringSinceMs
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(labels)
        hasher.combine(state)
        hasher.combine(activeAtMs)
    }
}
