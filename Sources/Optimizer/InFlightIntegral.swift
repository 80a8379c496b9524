/// The time integrals of a pair's requests in flight (request-seconds) and of its square: the
/// difference of two ``Reading``s over the time between them is the mean concurrency a request
/// ran under, whatever joined and left meanwhile, and how much it varied. What
/// ``ParallelismEstimate/record(outputTokens:seconds:meanInFlight:)`` is fed with.
public struct InFlightIntegral: Sendable, Hashable {
    /// The integrals up to one moment.
    public struct Reading: Sendable, Hashable {
        /// ∫ in flight dt, request-seconds.
        public var area: Double = 0
        /// ∫ (in flight)² dt.
        public var squares: Double = 0

        public init(area: Double = 0, squares: Double = 0) {
            self.area = area
            self.squares = squares
        }

        /// The mean and standard deviation of the in-flight count between `start` and this
        /// reading, `seconds` apart; nil when no time passed.
        public func inFlight(since start: Reading, seconds: Double) -> (mean: Double, deviation: Double)? {
            guard seconds > 0, seconds.isFinite else { return nil }
            let mean = (area - start.area) / seconds
            let meanSquare = (squares - start.squares) / seconds
            return (mean, max(0, meanSquare - mean * mean).squareRoot())
        }
    }

    /// Requests in flight since the last change.
    public private(set) var inFlight = 0
    private var total = Reading()
    private var since: Double?

    public init() {}

    /// The integrals up to `now`.
    public func reading(at now: Duration) -> Reading {
        guard let since else { return total }
        let seconds = max(0, now.seconds - since)
        let count = Double(inFlight)
        return Reading(area: total.area + count * seconds, squares: total.squares + count * count * seconds)
    }

    /// Request-seconds accumulated up to `now`.
    public func area(at now: Duration) -> Double { reading(at: now).area }

    /// From `now` on, `inFlight` requests are in flight.
    public mutating func set(_ inFlight: Int, now: Duration) {
        total = reading(at: now)
        since = max(since ?? now.seconds, now.seconds)
        self.inFlight = max(0, inFlight)
    }
}
