/// The time integral of a pair's requests in flight (request-seconds): the difference of two
/// readings over the time between them is the mean concurrency a request ran under, whatever
/// joined and left meanwhile. What ``ParallelismEstimate/record(outputTokens:seconds:meanInFlight:)``
/// is fed with.
public struct InFlightIntegral: Sendable, Hashable {
    /// Requests in flight since the last change.
    public private(set) var inFlight = 0
    private var area = 0.0
    private var since: Double?

    public init() {}

    /// Request-seconds accumulated up to `now`.
    public func area(at now: Duration) -> Double {
        guard let since else { return area }
        return area + Double(inFlight) * max(0, now.seconds - since)
    }

    /// From `now` on, `inFlight` requests are in flight.
    public mutating func set(_ inFlight: Int, now: Duration) {
        area = area(at: now)
        since = max(since ?? now.seconds, now.seconds)
        self.inFlight = max(0, inFlight)
    }
}
