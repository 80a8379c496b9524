/// An approximate tokenizer: about one token per four bytes of text, at least one per word.
///
/// Real tokenizers differ per model; what matters for the simulator is that counts grow with the
/// text the way real ones do, and that the same text always gives the same count.
public enum Tokenizer {
    /// Tokens in `text`.
    public static func count(_ text: String) -> Int {
        guard !text.isEmpty else { return 0 }
        var words = 0
        var inWord = false
        for byte in text.utf8 {
            let isSpace = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
            if !isSpace, !inWord { words += 1 }
            inWord = !isSpace
        }
        return max(words, (text.utf8.count + 3) / 4)
    }

    /// Tokens a chat prompt costs: each message's content plus a few template tokens, as chat
    /// templates wrap every message in role markers.
    public static func count(messages: [(role: String, content: String)]) -> Int {
        messages.reduce(0) { $0 + count($1.content) + 4 } + (messages.isEmpty ? 0 : 1)
    }
}
