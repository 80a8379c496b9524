/// Why a statistic could not be computed, with a message that names the input and the fix.
///
/// `code` lets callers branch on the kind of problem; `description` is meant for people.
public struct StatsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Code: String, Sendable, Hashable, Codable {
        /// A sample set had no values.
        case emptySamples
        /// A value was NaN or infinite.
        case nonFiniteValue
        /// A value was outside the range the statistic accepts (for example a zero baseline for a ratio).
        case valueOutOfRange
        /// A parameter (confidence level, resample count, percentile) was outside its range.
        case invalidParameter
    }

    /// The kind of problem.
    public let code: Code
    /// What was wrong, where, and what to do about it.
    public let description: String

    /// Creates an error of kind `code` with a readable `description`.
    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    static func empty(_ label: String) -> StatsError {
        StatsError(.emptySamples, "\(label): no samples (need at least 1 finite value)")
    }

    static func nonFinite(_ label: String, index: Int, value: Double) -> StatsError {
        StatsError(.nonFiniteValue, "\(label)[\(index)] is \(value) (every sample must be a finite number)")
    }

    static func invalid(_ message: String) -> StatsError {
        StatsError(.invalidParameter, message)
    }
}

extension Stats {
    /// Throws unless `samples` is non-empty and every value is finite; `label` names the input in the message.
    static func validate(_ samples: [Double], _ label: String) throws(StatsError) {
        guard !samples.isEmpty else { throw .empty(label) }
        if let index = samples.firstIndex(where: { !$0.isFinite }) {
            throw .nonFinite(label, index: index, value: samples[index])
        }
    }

    /// Throws unless `confidence` lies in the open interval (0, 1).
    static func validateConfidence(_ confidence: Double) throws(StatsError) {
        guard confidence > 0, confidence < 1 else {
            throw .invalid("confidence \(confidence) is outside (0, 1); use a level such as 0.95")
        }
    }
}
