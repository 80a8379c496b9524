/// The version-control state of the code measured; each field is absent when git could not tell.
public struct GitInfo: Sendable, Hashable, Codable {
    /// Full commit hash of `HEAD`.
    public var commit: String?
    /// Branch name, or `HEAD` when detached.
    public var branch: String?
    /// True when the work tree had uncommitted changes.
    public var dirty: Bool?

    /// Creates git information.
    public init(commit: String? = nil, branch: String? = nil, dirty: Bool? = nil) {
        self.commit = commit
        self.branch = branch
        self.dirty = dirty
    }
}
