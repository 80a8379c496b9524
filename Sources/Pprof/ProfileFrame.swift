import Foundation

/// One frame of a sampled stack: an address and what it resolved to.
public struct ProfileFrame: Sendable, Hashable {
    /// The instruction's virtual address in the sampled process.
    public var address: UInt64
    /// The readable name (demangled), or `[object]` when the address had no symbol.
    public var name: String
    /// The symbol as the binary has it (mangled); empty when there was none.
    public var systemName: String

    public init(address: UInt64, name: String, systemName: String = "") {
        self.address = address
        self.name = name
        self.systemName = systemName
    }
}

/// A range of the sampled process's address space mapped from a file (a line of
/// `/proc/<pid>/maps`): what pprof's `Mapping` says so tools can find the binary of an address.
public struct MappedRegion: Sendable, Hashable {
    public var start: UInt64
    public var limit: UInt64
    /// Where in the file the range starts.
    public var offset: UInt64
    public var path: String

    public init(start: UInt64, limit: UInt64, offset: UInt64, path: String) {
        self.start = start
        self.limit = limit
        self.offset = offset
        self.path = path
    }

    /// The executable regions with a file in `/proc/<pid>/maps` text (`start-limit perms offset
    /// dev inode path`), in address order. Lines that are not such a region are skipped.
    public static func executable(procMaps text: String) -> [MappedRegion] {
        var regions: [MappedRegion] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[1].count == 4, fields[1].dropFirst(2).first == "x" else { continue }
            let bounds = fields[0].split(separator: "-")
            let path = fields[5].trimmingCharacters(in: .whitespaces)
            guard bounds.count == 2, let start = UInt64(bounds[0], radix: 16), let limit = UInt64(bounds[1], radix: 16),
                let offset = UInt64(fields[2], radix: 16), path.hasPrefix("/")
            else { continue }
            regions.append(MappedRegion(start: start, limit: limit, offset: offset, path: path))
        }
        return regions.sorted { $0.start < $1.start }
    }
}
