/// A fingerprint of the machine measured on; comparisons across different hosts deserve a warning.
public struct HostInfo: Sendable, Hashable, Codable {
    /// Host name.
    public var hostname: String?
    /// Operating system, e.g. `Debian GNU/Linux 12 (bookworm)` or Go's `linux`.
    public var os: String?
    /// Kernel release, e.g. `6.1.0-18-amd64`.
    public var kernel: String?
    /// CPU model name, e.g. `Intel(R) Xeon(R) Processor`.
    public var cpuModel: String?
    /// Number of active processor cores.
    public var cores: Int?
    /// Physical memory in bytes.
    public var memoryBytes: Int?

    /// Creates a host description.
    public init(
        hostname: String? = nil,
        os: String? = nil,
        kernel: String? = nil,
        cpuModel: String? = nil,
        cores: Int? = nil,
        memoryBytes: Int? = nil
    ) {
        self.hostname = hostname
        self.os = os
        self.kernel = kernel
        self.cpuModel = cpuModel
        self.cores = cores
        self.memoryBytes = memoryBytes
    }

    private enum CodingKeys: String, CodingKey {
        case hostname, os, kernel, cores
        case cpuModel = "cpu_model"
        case memoryBytes = "memory_bytes"
    }
}
