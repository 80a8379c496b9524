/// The statistics of a final stream object; every duration is in nanoseconds.
///
/// Ollama writes these fields inline in the final object, not nested.
public struct GenerationMetrics: Sendable, Hashable, Codable {
    public var totalDuration: Int64?
    public var loadDuration: Int64?
    public var promptEvalCount: Int?
    public var promptEvalDuration: Int64?
    public var evalCount: Int?
    public var evalDuration: Int64?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case totalDuration = "total_duration"
        case loadDuration = "load_duration"
        case promptEvalCount = "prompt_eval_count"
        case promptEvalDuration = "prompt_eval_duration"
        case evalCount = "eval_count"
        case evalDuration = "eval_duration"
    }

    public init(
        totalDuration: Int64? = nil,
        loadDuration: Int64? = nil,
        promptEvalCount: Int? = nil,
        promptEvalDuration: Int64? = nil,
        evalCount: Int? = nil,
        evalDuration: Int64? = nil
    ) {
        self.totalDuration = totalDuration
        self.loadDuration = loadDuration
        self.promptEvalCount = promptEvalCount
        self.promptEvalDuration = promptEvalDuration
        self.evalCount = evalCount
        self.evalDuration = evalDuration
    }

    /// Output tokens per second, as the Ollama docs define it: `eval_count / eval_duration * 1e9`.
    public var tokensPerSecond: Double? {
        guard let evalCount, let evalDuration, evalDuration > 0 else { return nil }
        return Double(evalCount) / Double(evalDuration) * 1e9
    }

    /// Decodes the metrics from the enclosing object, or `nil` when none of the fields is present.
    static func decodeIfPresent(from decoder: any Decoder) throws -> GenerationMetrics? {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard CodingKeys.allCases.contains(where: container.contains) else { return nil }
        return try GenerationMetrics(from: decoder)
    }
}
