import Testing

/// Yields until `condition` holds, for at most `limit` of real time: a wait for another task to
/// reach a state (a request queued, a model resident) that never ends fails the test naming
/// `what`, instead of hanging it. The deadline is only a bound; nothing depends on its length.
/// - Returns: whether the condition held.
@discardableResult
public func yieldUntil(
    _ what: String,
    within limit: Duration = .seconds(30),
    sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out after \(limit) waiting until \(what)", sourceLocation: sourceLocation)
            return false
        }
        await Task.yield()
    }
    return true
}
