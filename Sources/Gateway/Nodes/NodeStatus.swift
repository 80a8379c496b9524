/// A node's full status row.
public struct NodeStatus: Sendable, Hashable, Codable {
    public var node: NodeSnapshot
    public var version: String?
    public var requests: Int
    public var failures: Int
    public var probeLatencySeconds: Double?
    public var lastError: String?
    public var consecutiveProbeFailures: Int
    public var inventoryKnown: Bool

    public init(
        node: NodeSnapshot,
        version: String?,
        requests: Int,
        failures: Int,
        probeLatencySeconds: Double?,
        lastError: String?,
        consecutiveProbeFailures: Int,
        inventoryKnown: Bool
    ) {
        self.node = node
        self.version = version
        self.requests = requests
        self.failures = failures
        self.probeLatencySeconds = probeLatencySeconds
        self.lastError = lastError
        self.consecutiveProbeFailures = consecutiveProbeFailures
        self.inventoryKnown = inventoryKnown
    }
}
