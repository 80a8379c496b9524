/// `load --sweep`: find the highest request rate that still meets the SLOs.
///
/// Like guidellm's sweep: a closed-loop step first measures what the server sustains flat out;
/// then open-loop steps offer evenly spaced fractions of that rate (1/n, 2/n, ... n/n). A step
/// meets the SLOs when at least `goodputTarget` of its requests succeed within every bound; the
/// answer is the highest such rate.
public struct Sweep: Sendable, Hashable {
    /// Open-loop steps after the closed-loop one.
    public var steps: Int
    /// Share of a step's requests that must meet the SLOs.
    public var goodputTarget: Double
    /// Clients of the closed-loop step.
    public var concurrency: Int

    public init(steps: Int = 5, goodputTarget: Double = 0.95, concurrency: Int = 32) {
        self.steps = steps
        self.goodputTarget = goodputTarget
        self.concurrency = concurrency
    }

    /// One step's offered rate and what it got.
    public struct Step: Sendable {
        /// Requests per second offered; `nil` for the closed-loop step.
        public var rate: Double?
        public var results: [RequestResult]
        public var summary: LoadSummary

        public init(rate: Double?, results: [RequestResult], summary: LoadSummary) {
            self.rate = rate
            self.results = results
            self.summary = summary
        }
    }

    /// The rates of the open-loop steps for a server that sustained `maximum` requests/s.
    public func rates(maximum: Double) -> [Double] {
        guard maximum > 0, steps > 0 else { return [] }
        return (1...steps).map { maximum * Double($0) / Double(steps) }
    }

    /// The highest offered rate whose goodput reached the target, if any did.
    public func best(_ steps: [Step]) -> Double? {
        steps.compactMap { step -> Double? in
            guard let rate = step.rate, let goodput = step.summary.goodput, goodput >= goodputTarget else { return nil }
            return rate
        }.max()
    }
}

extension LoadRunner {
    /// Runs a sweep: a closed-loop step, then `sweep.steps` open-loop steps of `step` each.
    public func sweep(
        _ sweep: Sweep,
        step stepDuration: Duration,
        slo: SLO,
        warmup: Int,
        maxInFlight: Int,
        seed: UInt64,
        stop: @escaping @Sendable () -> Bool = { false },
        progress: @escaping @Sendable (LoadProgress) -> Void = { _ in }
    ) async -> [Sweep.Step] {
        let flatOut = await run(
            LoadOptions(mode: .closed(concurrency: sweep.concurrency), duration: stepDuration, requests: nil, warmup: warmup),
            stop: stop,
            progress: progress
        )
        var steps = [
            Sweep.Step(rate: nil, results: flatOut.results, summary: LoadSummary(results: flatOut.results, elapsed: flatOut.elapsed, slo: slo))
        ]
        for rate in sweep.rates(maximum: steps[0].summary.requestThroughput) where !stop() {
            guard let schedule = try? OpenLoopSchedule(rate: rate, arrivals: .constant, seed: seed) else { continue }
            let step = await run(
                LoadOptions(mode: .open(schedule), duration: stepDuration, requests: nil, maxInFlight: maxInFlight),
                stop: stop,
                progress: progress
            )
            steps.append(Sweep.Step(rate: rate, results: step.results, summary: LoadSummary(results: step.results, elapsed: step.elapsed, slo: slo)))
        }
        return steps
    }
}
