import PerfStats

/// Deterministic embeddings: the same text gives the same unit-length vector.
public enum EmbeddingGenerator {
    /// A unit-norm vector of `dimensions` for `text` (truncated to `truncateTo` and renormalised
    /// when that is smaller, as Ollama's `dimensions` parameter does).
    public static func embed(_ text: String, dimensions: Int, truncateTo: Int? = nil) -> [Float] {
        var random = SplitMix64(seed: stableHash(text, seed: 0xE1B))
        var vector = (0..<dimensions).map { _ in random.nextGaussian() }
        if let truncateTo, truncateTo > 0, truncateTo < vector.count {
            vector = Array(vector.prefix(truncateTo))
        }
        let norm = max(vector.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
        return vector.map { Float($0 / norm) }
    }
}
