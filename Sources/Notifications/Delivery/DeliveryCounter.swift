/// What was delivered to one receiver's integrations of one kind: plain numbers for the
/// gateway to export as metrics, labelled by receiver name and integration kind only (never a
/// URL).
public struct DeliveryCounter: Sendable, Hashable {
    /// The receiver's name (`alertmanager[0]` for the first Alertmanager forwarded to).
    public var receiver: String
    /// The kind of integration.
    public var integration: IntegrationKind
    /// Notifications delivered.
    public var sent: Int
    /// Notifications given up on after every attempt failed.
    public var failed: Int
    /// Attempts made, successful or not.
    public var attempts: Int
    /// Attempts that failed (some of them were retried and then succeeded).
    public var failedAttempts: Int

    /// Makes a counter.
    public init(receiver: String, integration: IntegrationKind, sent: Int = 0, failed: Int = 0, attempts: Int = 0, failedAttempts: Int = 0) {
        self.receiver = receiver
        self.integration = integration
        self.sent = sent
        self.failed = failed
        self.attempts = attempts
        self.failedAttempts = failedAttempts
    }
}

/// Which counter a delivery counts in.
struct CounterKey: Sendable, Hashable {
    let receiver: String
    let integration: IntegrationKind
}
