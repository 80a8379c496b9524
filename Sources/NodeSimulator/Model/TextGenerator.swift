import PerfStats

/// Deterministic model output: the same seed gives the same tokens.
public struct TextGenerator: Sendable {
    private var random: SplitMix64
    private var index = 0

    private static let words: [String] = [
        "the", "model", "answers", "with", "a", "clear", "and", "short", "reply", "about", "distributed", "inference",
        "across", "several", "nodes", "where", "each", "request", "is", "routed", "to", "the", "best", "server",
        "that", "has", "capacity", "latency", "matters", "because", "users", "wait", "for", "first", "token", "while",
        "throughput", "keeps", "costs", "low", "so", "we", "measure", "everything", "carefully", "in", "production",
        "data", "shows", "how", "queues", "grow", "when", "load", "rises", "beyond", "what", "one", "machine", "can",
        "serve", "then", "another", "node", "takes", "over", "quickly", "without", "dropping", "streams",
    ]

    public init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    /// The next token: a word with a leading space, with sentence punctuation now and then.
    public mutating func nextToken() -> String {
        defer { index += 1 }
        let word = Self.words[Int(random.next() % UInt64(Self.words.count))]
        if index == 0 { return word.prefix(1).uppercased() + word.dropFirst() }
        if random.next() % 11 == 0 { return " " + word + "." }
        return " " + word
    }

    /// `count` tokens.
    public mutating func tokens(_ count: Int) -> [String] {
        (0..<max(0, count)).map { _ in nextToken() }
    }

    /// A word for filling a value in generated JSON.
    public mutating func word() -> String {
        Self.words[Int(random.next() % UInt64(Self.words.count))]
    }

    /// A small integer for generated JSON.
    public mutating func smallInteger() -> Int {
        Int(random.next() % 100)
    }
}

/// Splits text into pieces of about `size` characters, for streaming generated JSON as tokens.
func chunked(_ text: String, size: Int) -> [String] {
    var pieces: [String] = []
    var current = ""
    for character in text {
        current.append(character)
        if current.count >= size {
            pieces.append(current)
            current = ""
        }
    }
    if !current.isEmpty { pieces.append(current) }
    return pieces
}
