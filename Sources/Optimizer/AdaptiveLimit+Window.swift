/// The Gradient2 step at the close of a window.
extension AdaptiveLimit {
    /// Closes the open window: updates the long-term latencies, computes the gradient, moves
    /// the limit (unless it was not in use or a drop already cut it), opens the next window.
    mutating func closeWindow(now: Duration) -> LimitDecision? {
        let closed = window
        windows += 1
        var decision: LimitDecision?
        // Half the samples at least: a window of drops with one lucky answer says nothing of latency.
        if closed.ttfts.count >= max(1, samplesNeeded / 2), let sample = closed.ttfts.percentile(parameters.percentile) {
            decision = step(closed, sample: sample, now: now)
        }
        let next = Duration.seconds(2 * (latency.last ?? 0))
        window = SampleWindow(start: now, length: min(max(next, parameters.minWindow), parameters.maxWindow))
        return decision
    }

    private mutating func step(_ closed: SampleWindow, sample: Double, now: Duration) -> LimitDecision? {
        let from = limit
        // At the floor, inflation is no queue the limit can remove: 3 such windows restart the baseline.
        let atMinimum = from <= lowest
        let ttft = latency.take(sample, tolerance: parameters.rttTolerance, longWindow: parameters.longWindow, atMinimum: atMinimum)
        // TTFT inflation the node says is no wait for a slot (prefills sharing it) lowers nothing.
        let ttftGradient = closed.nodeQueueAbsent ? 1 : ttft.gradient
        var gradient = ttftGradient
        // Most requests waited for a slot: the limit is over the slots whatever the tolerance
        // hides (a high TTFT at the slots hides a queue of several); aim at the floor.
        let slotGradient = closed.nodeQueueMostly && from > lowest ? max(0.5, Double(lowest) / Double(from)) : nil
        if let slotGradient { gradient = min(gradient, slotGradient) }
        var restarted = ttft.restarted
        var tpotGradient: Double?
        if let tpot = closed.timesPerOutputToken.percentile(parameters.percentile) {
            let taken = timePerOutputToken.take(tpot, tolerance: parameters.tpotTolerance, longWindow: parameters.longWindow, atMinimum: atMinimum)
            tpotGradient = taken.gradient
            gradient = min(gradient, taken.gradient)
            restarted = restarted || taken.restarted
        }
        lastGradient = gradient
        if restarted {
            // A node that says nothing queued at this limit is no reason to double it: the
            // baseline moves, the limit probes as usual.
            slowStart = parameters.slowStart && !closed.nodeQueueAbsent
            restarts += 1
        }
        let endsSlowStart = slowStart && gradient < 1
        if gradient < 1 { slowStart = false }
        // Gradient2's app-limited rule: a limit not half used says nothing about the node.
        guard Double(closed.maxInFlight) >= Double(from) / 2 else { return nil }
        // A window that saw a drop never raises the limit.
        if gradient >= 1, closed.cut { return nil }
        if gradient >= 1, slowStart {
            estimate = clamped(estimate * 2)
        } else if endsSlowStart {
            // Slow start overshoots by up to 2x by design: its first inflation takes the whole
            // gradient at once (down to half, or to the learned slots), as TCP halves at its
            // first loss, instead of smoothing back over several windows of queued requests.
            estimate = clamped(max(estimate * gradient, min(Double(lowest), estimate)))
        } else {
            var next = Self.smoothed(estimate, gradient: gradient, queueSize: parameters.queueSize, smoothing: parameters.smoothing)
            if gradient < 1 { next = max(next, min(Double(lowest), estimate)) }
            estimate = clamped(next)
        }
        guard limit != from else { return nil }
        let long = latency.long ?? sample
        return LimitDecision(
            seconds: now.seconds,
            kind: limit > from ? .increase : .decrease,
            from: from,
            to: limit,
            reason: reason(
                from: from,
                sample: sample,
                long: long,
                gradients: (ttftGradient, tpotGradient, slotGradient),
                waits: (closed.slotWaits, closed.slotReports),
                restarted: restarted
            ),
            gradient: gradient,
            sampleLatency: sample,
            longLatency: long
        )
    }

    private func reason(
        from: Int,
        sample: Double,
        long: Double,
        gradients: (ttft: Double, tpot: Double?, slot: Double?),
        waits: (waited: Int, reported: Int),
        restarted: Bool
    ) -> String {
        let p = "p\(Self.format(parameters.percentile * 100))"
        let change = "limit \(from) -> \(limit)"
        let (ttftGradient, tpotGradient) = (gradients.ttft, gradients.tpot)
        if limit < from, let slot = gradients.slot, slot <= min(ttftGradient, tpotGradient ?? 1) {
            return "\(waits.waited) of \(waits.reported) requests waited for a slot on the node, over its \(lowest) learned slots "
                + "(gradient \(Self.format(slot))): \(change)"
        }
        if limit < from {
            if let tpotGradient, tpotGradient < ttftGradient, let tpot = timePerOutputToken.last, let longTPOT = timePerOutputToken.long {
                return "time per output token \(p) \(Self.format(tpot)) s is over \(Self.format(parameters.tpotTolerance))x "
                    + "the long-term \(Self.format(longTPOT)) s (gradient \(Self.format(tpotGradient))): \(change)"
            }
            return "TTFT \(p) \(Self.format(sample)) s is over \(Self.format(parameters.rttTolerance))x "
                + "the long-term \(Self.format(long)) s (gradient \(Self.format(ttftGradient))): \(change)"
        }
        if restarted {
            return "TTFT \(p) stayed over the tolerance for \(Baseline.rebaselineWindows) windows at the lowest limit (\(lowest)): "
                + "the node got slower, \(Self.format(sample)) s is the new long-term TTFT: \(change) (slow start)"
        }
        let how = slowStart ? "slow start doubles" : "+\(Self.format(parameters.queueSize)) slot x smoothing \(Self.format(parameters.smoothing))"
        return "TTFT \(p) \(Self.format(sample)) s is within \(Self.format(parameters.rttTolerance))x "
            + "the long-term \(Self.format(long)) s with \(window.maxInFlight) in flight: \(change) (\(how))"
    }
}
