import OllamaAPI
import Optimizer

/// What one answer says about its node's speed, in the limiter's terms: never the whole
/// latency, which grows with the answer's length.
public struct AnswerTiming: Sendable, Hashable {
    /// From sending the request to the node to its first token.
    public var firstToken: Duration
    /// Decode time per output token (`eval_duration / eval_count`), when the node reported it.
    public var timePerOutputToken: Duration?
    /// Output tokens (`eval_count`), when the node reported their decode time too: what the
    /// pair's throughput is counted in (``ParallelismEstimate``).
    public var outputTokens: Int?
    /// How long the request waited for a slot on the node: its first token less what the node
    /// says it spent loading the model (`load_duration`) and processing the prompt
    /// (`prompt_eval_duration`), when it said both. Ollama's runner queues a request whose
    /// model has every slot busy before either clock starts, so the rest is that queue (and
    /// the network): what ``SlotEstimate`` learns the node's slots from.
    public var slotWait: Duration?
    /// The node's `prompt_eval_duration`, when it reported ``slotWait``'s parts.
    public var promptEval: Duration?

    public init(
        firstToken: Duration,
        timePerOutputToken: Duration? = nil,
        outputTokens: Int? = nil,
        slotWait: Duration? = nil,
        promptEval: Duration? = nil
    ) {
        self.firstToken = firstToken
        self.timePerOutputToken = timePerOutputToken
        self.outputTokens = outputTokens
        self.slotWait = slotWait
        self.promptEval = promptEval
    }

    /// Whether the request waited for a slot on the node (``SlotEstimate/waited(slotWait:promptEval:timePerOutputToken:)``);
    /// nil when the node did not report the times to tell.
    public var waitedForSlot: Bool? {
        guard let slotWait, let promptEval else { return nil }
        return SlotEstimate.waited(slotWait: slotWait, promptEval: promptEval, timePerOutputToken: timePerOutputToken)
    }

    /// The timing of an answer, or nil when it has none the limiter can use.
    ///
    /// A stream's first token is its first token chunk. A whole answer arrives after its last
    /// token: its first token is its arrival less the decode time the node reported
    /// (`eval_duration`, Ollama's routes); the OpenAI and Anthropic routes report no durations,
    /// so a whole answer there has no timing.
    ///
    /// - Parameters:
    ///   - firstChunk: from sending the request to the first token chunk (a stream) or to the
    ///     first byte (a whole answer); nil when nothing arrived.
    ///   - streamed: whether the answer was a stream.
    ///   - usage: the statistics found in the answer.
    public init?(firstChunk: Duration?, streamed: Bool, usage: UsageScanner.Usage) {
        guard let firstChunk else { return nil }
        var decode: Duration?
        if let nanoseconds = usage.evalDurationNanoseconds, nanoseconds > 0 { decode = .nanoseconds(nanoseconds) }
        if let decode, let tokens = usage.outputTokens, tokens > 0 {
            timePerOutputToken = decode / tokens
            outputTokens = tokens
        }
        if streamed {
            firstToken = firstChunk
        } else {
            guard let decode else { return nil }
            firstToken = max(.zero, firstChunk - decode)
        }
        if let prompt = usage.promptEvalDurationNanoseconds, let load = usage.loadDurationNanoseconds, prompt >= 0, load >= 0 {
            slotWait = max(.zero, firstToken - .nanoseconds(prompt) - .nanoseconds(load))
            promptEval = .nanoseconds(prompt)
        }
    }
}
