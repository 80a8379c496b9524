/// The one-line description of a notification that subjects, Slack headers and PagerDuty
/// summaries share, after Alertmanager's default `__subject` template.
enum Summary {
    /// `[FIRING:2] NodeDown (node=a severity=critical)`: the status (with the count of firing
    /// alerts), the group labels' values, then the other labels all alerts share.
    static func line(_ notification: AlertNotification) -> String {
        var text = "[\(notification.status.rawValue.uppercased())"
        if notification.status == .firing { text += ":\(notification.firing.count)" }
        text += "]"
        let groupValues = LabelText.sortedPairs(notification.groupLabels).map(\.value)
        if !groupValues.isEmpty { text += " " + groupValues.joined(separator: " ") }
        let extra = notification.commonLabels.filter { notification.groupLabels[$0.key] == nil }
        if !extra.isEmpty {
            text += " (" + LabelText.sortedPairs(extra).map { "\($0.name)=\($0.value)" }.joined(separator: " ") + ")"
        }
        return text
    }

    /// The alert name of the group: the common `alertname`, or the distinct names joined.
    static func alertName(_ notification: AlertNotification) -> String {
        if let name = notification.commonLabels["alertname"] { return name }
        var names: [String] = []
        for alert in notification.alerts where !names.contains(alert.name) && !alert.name.isEmpty { names.append(alert.name) }
        return names.isEmpty ? "alerts" : names.joined(separator: ", ")
    }

    /// The group's severity: the most severe `severity` label among its alerts (firing ones
    /// first), by PagerDuty's order, or `nil` when none carries a known one.
    static func severity(_ notification: AlertNotification) -> String? {
        let order = ["critical", "error", "warning", "info"]
        let candidates = notification.firing.isEmpty ? notification.alerts : notification.firing
        let known = candidates.compactMap { $0.labels["severity"]?.lowercased() }.compactMap { order.firstIndex(of: $0) }
        return known.min().map { order[$0] }
    }

    /// Cuts `text` to at most `limit` characters, ending with `…` when cut.
    static func truncate(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(max(0, limit - 1))) + "…"
    }
}
