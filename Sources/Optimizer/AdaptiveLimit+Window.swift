/// The Gradient2 step at the close of a window.
extension AdaptiveLimit {
    /// Closes the open window: updates the long-term latencies, computes the gradient, moves
    /// the limit (unless it was not in use or a drop already cut it), opens the next window.
    mutating func closeWindow(now: Duration) -> LimitDecision? {
        let closed = window
        windows += 1
        var decision: LimitDecision?
        // Half the samples at least: a window of drops with one lucky answer says nothing of latency.
        if closed.ttfts.count >= max(1, parameters.minSamples / 2), let sample = closed.ttfts.percentile(parameters.percentile) {
            decision = step(closed, sample: sample, now: now)
        }
        let next = Duration.seconds(2 * (lastSampleLatency ?? 0))
        window = SampleWindow(start: now, length: min(max(next, parameters.minWindow), parameters.maxWindow))
        return decision
    }

    private mutating func step(_ closed: SampleWindow, sample: Double, now: Duration) -> LimitDecision? {
        latencyWindows += 1
        let long = Self.nextLong(longLatency, sample: sample, windows: latencyWindows, longWindow: parameters.longWindow)
        longLatency = long
        lastSampleLatency = sample
        minLatency = min(minLatency ?? sample, sample)
        let latencyGradient = Self.gradient(tolerance: parameters.rttTolerance, long: long, sample: sample)
        var gradient = latencyGradient
        var tpotGradient: Double?
        if let tpot = closed.timesPerOutputToken.percentile(parameters.percentile) {
            tpotWindows += 1
            let longTPOT = Self.nextLong(longTimePerOutputToken, sample: tpot, windows: tpotWindows, longWindow: parameters.longWindow)
            longTimePerOutputToken = longTPOT
            lastTimePerOutputToken = tpot
            tpotGradient = Self.gradient(tolerance: parameters.tpotTolerance, long: longTPOT, sample: tpot)
            gradient = min(gradient, tpotGradient!)
        }
        lastGradient = gradient
        if gradient < 1 { slowStart = false }
        let from = limit
        // Gradient2's app-limited rule: a limit not half used says nothing about the node.
        guard Double(closed.maxInFlight) >= Double(from) / 2 else { return nil }
        let grows = gradient >= 1 && !closed.cut
        if gradient >= 1, closed.cut { return nil }  // a window that saw a drop never raises the limit
        if grows, slowStart {
            estimate = clamped(estimate * 2)
        } else {
            estimate = clamped(Self.smoothed(estimate, gradient: gradient, queueSize: parameters.queueSize, smoothing: parameters.smoothing))
        }
        guard limit != from else { return nil }
        return LimitDecision(
            seconds: now.seconds,
            kind: limit > from ? .increase : .decrease,
            from: from,
            to: limit,
            reason: reason(from: from, sample: sample, long: long, latencyGradient: latencyGradient, tpotGradient: tpotGradient, maxInFlight: closed.maxInFlight),
            gradient: gradient,
            sampleLatency: sample,
            longLatency: long
        )
    }

    private func reason(from: Int, sample: Double, long: Double, latencyGradient: Double, tpotGradient: Double?, maxInFlight: Int) -> String {
        let p = "p\(Self.format(parameters.percentile * 100))"
        let ttft = "TTFT \(p) \(Self.format(sample)) s vs long-term \(Self.format(long)) s (gradient \(Self.format(latencyGradient)))"
        let change = "limit \(from) -> \(limit)"
        if limit < from {
            if let tpotGradient, tpotGradient < latencyGradient, let tpot = lastTimePerOutputToken, let longTPOT = longTimePerOutputToken {
                return "time per output token \(p) \(Self.format(tpot)) s is over \(Self.format(parameters.tpotTolerance))x "
                    + "the long-term \(Self.format(longTPOT)) s (gradient \(Self.format(tpotGradient))): \(change)"
            }
            return "\(ttft) is over the tolerated \(Self.format(parameters.rttTolerance))x: \(change)"
        }
        let how = slowStart ? "slow start doubles" : "+\(Self.format(parameters.queueSize)) slot x smoothing \(Self.format(parameters.smoothing))"
        return "\(ttft) within \(Self.format(parameters.rttTolerance))x with \(maxInFlight) in flight: \(change) (\(how))"
    }
}
