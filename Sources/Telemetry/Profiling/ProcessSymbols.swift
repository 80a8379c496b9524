import Foundation
import Pprof
import Synchronization

/// Names the addresses of this process from the ELF symbol tables of its mapped files, read
/// once per file and kept (memory-mapped): how heap profiles get function names without perf.
public final class ProcessSymbols: Sendable {
    private let tables = Mutex<[String: ELFSymbols?]>([:])

    public init() {}

    /// This process's executable mappings, from all of `/proc/self/maps` (Foundation's
    /// `String(contentsOfFile:)` stops at the first 4 KiB of a proc file, which cuts the list).
    public static func regions() -> [MappedRegion] {
        #if os(Linux)
        MappedRegion.executable(procMaps: (try? ProcessStats.readProcFile("/proc/self/maps")) ?? "")
        #else
        []
        #endif
    }

    /// One frame for a return address of `regions` (the process's executable mappings): named by
    /// the function holding the call, `address - 1`, demangled; `[file]` when no symbol covers it.
    public func frame(returnAddress address: UInt64, regions: [MappedRegion]) -> ProfileFrame {
        guard let region = Self.region(holding: address, in: regions) else { return ProfileFrame(address: address, name: "[unknown]") }
        let offset = region.offset + (address - 1 - region.start)
        guard let symbol = symbols(region.path)?.function(atFileOffset: offset) else {
            return ProfileFrame(address: address, name: "[\((region.path as NSString).lastPathComponent)]")
        }
        return ProfileFrame(address: address, name: SwiftDemangle.name(symbol), systemName: symbol)
    }

    /// The address the file `path` counts `fileOffset` at (its symbols and debug information).
    public func fileAddress(path: String, fileOffset: UInt64) -> UInt64? {
        symbols(path)?.address(atFileOffset: fileOffset)
    }

    private func symbols(_ path: String) -> ELFSymbols? {
        if let known = tables.withLock({ $0[path] }) { return known }
        let table = (try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)).flatMap { try? ELFSymbols(elf: $0) }
        tables.withLock { $0[path] = table }
        return table
    }

    static func region(holding address: UInt64, in regions: [MappedRegion]) -> MappedRegion? {
        var low = 0
        var high = regions.count
        while low < high {
            let middle = (low + high) / 2
            if regions[middle].limit <= address { low = middle + 1 } else { high = middle }
        }
        return low < regions.count && regions[low].start <= address ? regions[low] : nil
    }
}
