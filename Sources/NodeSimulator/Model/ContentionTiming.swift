/// The time steps of an answer on a busy node: pure functions of what runs at that moment, so
/// tests check them without a clock and the server only sleeps to their results.
public enum ContentionTiming {
    /// How often a shared prefill looks again at how many others share the prefill rate.
    public static let prefillQuantum = 0.01

    /// The gap before the next token, in seconds: the plan's gap at the model's full rate
    /// (`base`), stretched by ``Contention/gapFactor(_:)`` for the `decoders` of the model
    /// decoding now (this request included) and by the node's speed `factor`. Exactly `base`
    /// with no contention and factor 1.
    public static func decodeGap(base: Double, decoders: Int, factor: Double, contention: Contention) -> Double {
        base * contention.gapFactor(decoders) * factor
    }

    /// One step of processing a prompt: `prefills` requests of the model (this one included)
    /// share the prefill `rate` (tokens per second) equally, slowed by `factor`. The step ends
    /// when the prompt is done or after `quantum` seconds, whichever is first (`nil`: when done).
    ///
    /// - Returns: the step's length in seconds and the prompt tokens it processed.
    public static func prefillStep(
        remaining: Double,
        rate: Double,
        prefills: Int,
        factor: Double,
        quantum: Double?
    ) -> (seconds: Double, tokens: Double) {
        let effective = rate / (Double(max(1, prefills)) * factor)
        let finish = remaining / effective
        guard let quantum, finish > quantum else { return (finish, remaining) }
        return (quantum, quantum * effective)
    }
}
