/// A problem with the history database or a query; the message names the database and what to do.
public struct HistoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem, for callers that choose an exit code.
    public enum Kind: String, Sendable, Hashable {
        /// No database at the path (reads never create one).
        case missingDatabase
        /// The file is not a SQLite database or is damaged; it is never overwritten.
        case corrupt
        /// The benchmark, metric or run asked for is not in the history.
        case notFound
        /// The report is already stored.
        case duplicate
        /// Any other SQLite or file error.
        case storage
    }

    public let kind: Kind
    public let description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
