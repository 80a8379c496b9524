import Foundation
import OllamaAPI
import PerfStats

/// How the send times of an open-loop run are spaced.
public enum Arrivals: String, Sendable, Hashable, Codable, CaseIterable {
    /// Evenly spaced: one request every `1 / rate` seconds.
    case constant
    /// A Poisson process: independent, exponentially distributed gaps with mean `1 / rate`.
    case poisson
}

/// An open-loop schedule: requests are sent at fixed intended times whatever the server does,
/// so a slow server cannot slow the offered load (no coordinated omission).
public struct OpenLoopSchedule: Sendable, Hashable {
    /// Requests per second, finite and > 0.
    public let rate: Double
    /// How the send times are spaced.
    public let arrivals: Arrivals
    /// Seed of the Poisson gaps; the same seed gives the same send times on every platform.
    public let seed: UInt64

    /// Creates a schedule.
    /// - Throws: ``LoadError`` when `rate` is not a finite number > 0.
    public init(rate: Double, arrivals: Arrivals = .constant, seed: UInt64 = 0) throws(LoadError) {
        guard rate.isFinite, rate > 0 else {
            throw .schedule("rate is \(rate) requests/s (need a finite number > 0)")
        }
        self.rate = rate
        self.arrivals = arrivals
        self.seed = seed
    }

    /// The intended send times, in seconds from the start of the run, ascending.
    ///
    /// The first request goes at 0. With `.constant` the i-th goes at exactly `i / rate`; with
    /// `.poisson` the gaps are exponential draws from SplitMix64(`seed`).
    ///
    /// - Parameters:
    ///   - duration: when given, every offset is less than it.
    ///   - requests: when given, at most this many offsets.
    /// - Returns: the offsets bounded by whichever bounds are given; empty when neither is
    ///   (an unbounded run cannot be listed — callers check that one bound is set).
    public func sendOffsets(duration: Duration?, requests: Int?) -> [Double] {
        guard duration != nil || requests != nil else { return [] }
        let limit = duration?.inSeconds
        var arrivalsInCount = ArrivalSequence(arrivals: arrivals, seed: seed)
        var offsets: [Double] = []
        if let requests { offsets.reserveCapacity(max(requests, 0)) }
        while requests.map({ offsets.count < $0 }) ?? true {
            let offset = arrivalsInCount.next() / rate
            if let limit, !(offset < limit) { break }
            offsets.append(offset)
        }
        return offsets
    }
}

/// A schedule whose rate rises (or falls) linearly from `from` to `to` requests/s over `duration`.
///
/// The k-th request (k = 0, 1, …) goes when the expected number sent so far,
/// `N(t) = from·t + (to − from)·t² / (2·duration)`, reaches k (or, with `.poisson`, reaches the
/// k-th point of a unit-rate Poisson process), so about `(from + to) / 2 · duration` are sent.
public struct RampSchedule: Sendable, Hashable {
    /// Rate at the start, requests/s, ≥ 0.
    public let from: Double
    /// Rate at the end, requests/s, ≥ 0.
    public let to: Double
    /// Length of the ramp, > 0.
    public let duration: Duration
    /// How the send times are spaced around the ramp's expected count.
    public let arrivals: Arrivals
    /// Seed of the Poisson gaps.
    public let seed: UInt64

    /// Creates a ramp.
    /// - Throws: ``LoadError`` when a rate is negative or not finite, both rates are 0, or the
    ///   duration is not more than zero.
    public init(
        from: Double,
        to: Double,
        duration: Duration,
        arrivals: Arrivals = .constant,
        seed: UInt64 = 0
    )
        throws(LoadError)
    {
        guard from.isFinite, to.isFinite, from >= 0, to >= 0, from + to > 0 else {
            throw .schedule("ramp from \(from) to \(to) requests/s (need finite rates ≥ 0, not both 0)")
        }
        guard duration > .zero else {
            throw .schedule("ramp duration is \(duration.inSeconds) s (need more than 0)")
        }
        self.from = from
        self.to = to
        self.duration = duration
        self.arrivals = arrivals
        self.seed = seed
    }

    /// A ramp written as `FROM:TO` requests per second, e.g. `1:50`, over `duration`.
    /// - Throws: ``LoadError`` naming `text` when it is not two numbers around a colon, or when
    ///   the rates or the duration are out of range (as ``init(from:to:duration:arrivals:seed:)``).
    public init(parsing text: String, duration: Duration, arrivals: Arrivals = .constant, seed: UInt64 = 0) throws(LoadError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
        guard parts.count == 2, let from = parts[0], let to = parts[1] else {
            throw .schedule("ramp \(LoadError.quoted(text)) is not FROM:TO requests per second, e.g. 1:50")
        }
        try self.init(from: from, to: to, duration: duration, arrivals: arrivals, seed: seed)
    }

    /// The intended send times in seconds from the start, ascending, all `< duration`.
    public func sendOffsets() -> [Double] {
        let seconds = duration.inSeconds
        let a = (to - from) / (2 * seconds)
        var arrivalsInCount = ArrivalSequence(arrivals: arrivals, seed: seed)
        var offsets: [Double] = []
        while true {
            let count = arrivalsInCount.next()
            guard count > 0 else {
                offsets.append(0)
                continue
            }
            // The positive root of a·t² + from·t − count = 0, in the form that stays exact
            // when a = 0 and does not cancel when a < 0.
            let discriminant = from * from + 4 * a * count
            guard discriminant >= 0 else { break }
            let denominator = from + discriminant.squareRoot()
            guard denominator > 0 else { break }
            let offset = 2 * count / denominator
            guard offset < seconds else { break }
            offsets.append(offset)
        }
        return offsets
    }
}

/// The arrival points of a unit-rate process: 0, 1, 2, … for `.constant`; 0 then cumulative
/// Exp(1) draws for `.poisson`. Dividing by a rate (or inverting a cumulative rate) gives times.
struct ArrivalSequence {
    private let arrivals: Arrivals
    private var generator: SplitMix64
    private var index = 0
    private var cumulative = 0.0

    init(arrivals: Arrivals, seed: UInt64) {
        self.arrivals = arrivals
        self.generator = SplitMix64(seed: seed)
    }

    mutating func next() -> Double {
        defer { index += 1 }
        switch arrivals {
        case .constant:
            return Double(index)
        case .poisson:
            if index > 0 {
                // A uniform in [0, 1) from the top 53 bits; 1 − u is in (0, 1], so the log is finite.
                let uniform = Double(generator.next() >> 11) * 0x1p-53
                cumulative -= log(1 - uniform)
            }
            return cumulative
        }
    }
}
