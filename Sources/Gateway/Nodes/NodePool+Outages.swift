extension NodePool {
    /// Each node that takes no traffic now and why, for the answer that says no node is
    /// available: `http://127.0.0.1:11434 is down (probe failed: connection refused)`.
    public func outages() -> [String] {
        Self.outages(status())
    }

    /// The outage lines for these node rows (``outages()``), in their order.
    public static func outages(_ nodes: [NodeStatus]) -> [String] {
        nodes.compactMap { status in
            let node = status.node
            if node.state == .unhealthy {
                return "\(node.url) is down (\(status.lastError ?? "not probed yet"))"
            }
            if !node.circuitAllows {
                return "\(node.url) failed its last requests (circuit open: \(status.lastError ?? "no error recorded"))"
            }
            return nil
        }
    }
}
