/// What went wrong in `bench` or its gate, with what to do about it.
public struct BenchError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    static func unknownScenario(_ name: String, known: [String]) -> BenchError {
        BenchError("scenario: no scenario named \"\(name)\" (known: \(known.joined(separator: ", ")))")
    }
}
