/// Where, when and how a report was produced.
///
/// Everything but ``createdAt`` is optional because imported results (hyperfine JSON, Go text)
/// often do not say; absent fields are left out of the JSON rather than written as `null`.
public struct Metadata: Sendable, Hashable, Codable {
    /// When the measurement finished, as an ISO-8601 timestamp (`2026-11-29T08:47:00Z`).
    public var createdAt: String
    /// The commit measured, when known.
    public var git: GitInfo?
    /// The machine measured on, when known.
    public var host: HostInfo?
    /// The toolchain that built the code measured, e.g. `Swift 6.3` or `go1.19.8`.
    public var toolchain: String?
    /// The command line that produced the results, arguments joined by spaces.
    public var command: String?
    /// Free-form key/value labels (CI job, scenario, imported config lines such as `goos`).
    public var labels: [String: String]?

    /// Creates metadata; only the timestamp is required.
    public init(
        createdAt: String,
        git: GitInfo? = nil,
        host: HostInfo? = nil,
        toolchain: String? = nil,
        command: String? = nil,
        labels: [String: String]? = nil
    ) {
        self.createdAt = createdAt
        self.git = git
        self.host = host
        self.toolchain = toolchain
        self.command = command
        self.labels = labels
    }

    private enum CodingKeys: String, CodingKey {
        case createdAt = "created_at"
        case git, host, toolchain, command, labels
    }
}
