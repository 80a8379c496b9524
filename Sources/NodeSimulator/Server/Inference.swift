import Foundation
import OllamaAPI
import PerfStats
import Synchronization

/// One piece of a simulated answer, in the order the model produces them.
enum InferenceEvent: Sendable {
    case thinking(String)
    case content(String)
    case toolCalls([ToolCall])
}

/// A planned failure partway through an answer.
struct SimulatedFailure: Error, Sendable {
    var mode: FaultConfiguration.MidStreamFailureMode
    var message = "simulated failure: the model runner stopped in the middle of the answer"
}

/// A slot on a loaded model, held for one request; released exactly once, even if the response
/// body is never written (the deinit covers a client that vanished before streaming began).
final class SlotLease: Sendable {
    let model: SimulatedModel
    let keepAlive: Duration?
    private let scheduler: ModelScheduler
    private let released = Mutex(false)

    init(model: SimulatedModel, keepAlive: Duration?, scheduler: ModelScheduler) {
        self.model = model
        self.keepAlive = keepAlive
        self.scheduler = scheduler
    }

    func release() async {
        guard claimRelease() else { return }
        await scheduler.release(model, keepAlive: keepAlive)
    }

    private func claimRelease() -> Bool {
        released.withLock { done in
            defer { done = true }
            return !done
        }
    }

    deinit {
        guard claimRelease() else { return }
        let scheduler = scheduler
        let model = model
        let keepAlive = keepAlive
        Task { await scheduler.release(model, keepAlive: keepAlive) }
    }
}

/// A request that holds a slot and has a plan: all that remains is to play it out in time.
struct PreparedInference: Sendable {
    var model: SimulatedModel
    var plan: GenerationPlan
    var lease: SlotLease
    var fault: FaultDecision
    /// The node's current load and speed, which time the steps of the answer.
    var load: NodeLoad
    /// When the request arrived, how long of its wait the model took to load (`load_duration`,
    /// zero for a resident model: the wait for a slot is in neither `load_duration` nor
    /// `prompt_eval_duration`, as on Ollama) and when it got its slot.
    var arrival: ContinuousClock.Instant
    var loadTime: Duration
    var slotAcquired: ContinuousClock.Instant

    /// Emits the plan's events at their planned times and returns the final statistics.
    ///
    /// Times are deadlines from the moment the slot was acquired, so scheduling overhead does
    /// not accumulate over a long answer. Each step is timed from what the node does when it
    /// starts (``ContentionTiming``): the prefill from the prefills sharing the model, each
    /// token's gap from the requests decoding the model then, both from the node's speed
    /// factor. `prompt_eval_duration` and `eval_duration` report the times actually played.
    /// - Throws: ``SimulatedFailure`` where the fault plan says so, or the error `emit` throws.
    func play(_ emit: (InferenceEvent) async throws -> Void) async throws -> GenerationMetrics {
        let clock = ContinuousClock()
        var deadline = slotAcquired + fault.extraDelay
        let prefillSeconds = try await prefill(&deadline, clock)
        load.enter(.decode, model.name)
        defer { load.leave(.decode, model.name) }
        var evalSeconds = 0.0
        func gap(_ index: Int) -> Duration {
            let seconds = ContentionTiming.decodeGap(
                base: plan.gaps[index],
                decoders: load.decoding(model.name),
                factor: load.factor,
                contention: model.contention
            )
            evalSeconds += seconds
            return .seconds(seconds)
        }
        let failAt = fault.failMidStream.map { _ in plan.evalCount / 2 }
        let pieces: [InferenceEvent] = plan.thinking.map { .thinking($0) } + plan.content.map { .content($0) }
        for (index, event) in pieces.enumerated() {
            deadline += gap(index)
            try await clock.sleep(until: deadline)
            if index == failAt, let mode = fault.failMidStream { throw SimulatedFailure(mode: mode) }
            try await emit(event)
        }
        // Tokens after the text pieces belong to tool calls (or to a call cut off by the limit).
        for index in pieces.count..<plan.gaps.count {
            deadline += gap(index)
            // Sleeping token by token keeps the count of decoders (and so the gaps) current.
            try await clock.sleep(until: deadline)
            if index == failAt, let mode = fault.failMidStream { throw SimulatedFailure(mode: mode) }
        }
        try await clock.sleep(until: deadline)
        if !plan.toolCalls.isEmpty { try await emit(.toolCalls(plan.toolCalls)) }
        if plan.gaps.isEmpty, let mode = fault.failMidStream { throw SimulatedFailure(mode: mode) }
        return GenerationMetrics(
            totalDuration: (clock.now - arrival).nanoseconds,
            loadDuration: loadTime.nanoseconds,
            promptEvalCount: plan.promptTokens,
            promptEvalDuration: Duration.seconds(prefillSeconds).nanoseconds,
            evalCount: plan.evalCount,
            evalDuration: Duration.seconds(evalSeconds).nanoseconds
        )
    }

    /// Moves `deadline` past the prompt's processing and returns its length in seconds. Alone
    /// on the model (no contention) it is one step, slept together with the first token's gap;
    /// shared, it advances in steps of ``ContentionTiming/prefillQuantum``, each at the rate
    /// left by the prefills running then.
    private func prefill(_ deadline: inout ContinuousClock.Instant, _ clock: ContinuousClock) async throws -> Double {
        let shared = model.contention.isShared
        if shared { try await clock.sleep(until: deadline) }
        load.enter(.prefill, model.name)
        defer { load.leave(.prefill, model.name) }
        var remaining = Double(plan.promptTokens)
        var seconds = 0.0
        while true {
            let step = ContentionTiming.prefillStep(
                remaining: remaining,
                rate: model.prefillTokensPerSecond,
                prefills: shared ? load.prefilling(model.name) : 1,
                factor: load.factor,
                quantum: shared ? ContentionTiming.prefillQuantum : nil
            )
            seconds += step.seconds
            deadline += .seconds(step.seconds)
            remaining -= step.tokens
            guard remaining > 1e-9 else { return seconds }
            try await clock.sleep(until: deadline)
        }
    }

    /// ``play(_:)``, then the slot is released whatever happened, before the caller writes its
    /// final object: a client that reads the end of a stream sees the slot free.
    func playThenRelease(_ emit: (InferenceEvent) async throws -> Void) async throws -> GenerationMetrics {
        do {
            let metrics = try await play(emit)
            await lease.release()
            return metrics
        } catch {
            await lease.release()
            throw error
        }
    }

    /// The deprecated `context` tokens of a generate answer: prompt and output token ids.
    var contextTokens: [Int] {
        var random = SplitMix64(seed: stableHash(model.name))
        return (0..<(plan.promptTokens + plan.evalCount)).map { _ in Int(random.next() % 128_000) }
    }
}

extension Duration {
    /// The duration in whole nanoseconds, as Ollama reports durations.
    var nanoseconds: Int64 {
        let parts = components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}
