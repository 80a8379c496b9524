import CHeapSampler
import Foundation
import Pprof

/// Why heap sampling could not start; `description` says what to do.
public enum HeapProfileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// This binary was linked without the malloc hooks (a library user's own executable).
    case hooksMissing
    /// The rate is not a whole number of bytes above zero.
    case badRate(Int)
    /// The sampler's tables could not be mapped.
    case noMemory

    public var description: String {
        switch self {
        case .hooksMissing:
            "heap profiling needs the malloc hooks linked into the executable (the CMallocHooks target): ollama-distributed has them; an embedding program must depend on it"
        case .badRate(let rate): "heap profile rate \(rate): give the mean bytes between samples, above 0 (524288 is Go's default)"
        case .noMemory: "heap profiling could not map its tables (mmap failed): the process is out of address space"
        }
    }
}

/// One allocation site: the stack (return addresses, the allocating function first) and what its
/// sampled allocations add up to.
public struct HeapSite: Sendable, Hashable {
    public var frames: [UInt64]
    public var allocatedObjects: UInt64
    public var allocatedBytes: UInt64
    public var freedObjects: UInt64
    public var freedBytes: UInt64

    public init(frames: [UInt64], allocatedObjects: UInt64, allocatedBytes: UInt64, freedObjects: UInt64, freedBytes: UInt64) {
        self.frames = frames
        self.allocatedObjects = allocatedObjects
        self.allocatedBytes = allocatedBytes
        self.freedObjects = freedObjects
        self.freedBytes = freedBytes
    }
}

/// The sampled allocation sites of this process at one moment.
public struct HeapProfile: Sendable, Hashable {
    public var sites: [HeapSite]
    /// Mean bytes between two samples.
    public var meanBytes: Int
    /// Sampled allocations dropped because the sampler's tables were full.
    public var dropped: UInt64
    public var time: Date

    public init(sites: [HeapSite], meanBytes: Int, dropped: UInt64 = 0, time: Date) {
        self.sites = sites
        self.meanBytes = meanBytes
        self.dropped = dropped
        self.time = time
    }

    /// What happened after `earlier` (a profile of the same sampler): per site, the allocations and
    /// frees since; sites with nothing new are left out.
    public func subtracting(_ earlier: HeapProfile) -> HeapProfile {
        let before = Dictionary(earlier.sites.map { ($0.frames, $0) }, uniquingKeysWith: { first, _ in first })
        let sites = sites.compactMap { site -> HeapSite? in
            guard let old = before[site.frames] else { return site }
            let changed = HeapSite(
                frames: site.frames,
                allocatedObjects: site.allocatedObjects - min(old.allocatedObjects, site.allocatedObjects),
                allocatedBytes: site.allocatedBytes - min(old.allocatedBytes, site.allocatedBytes),
                freedObjects: site.freedObjects - min(old.freedObjects, site.freedObjects),
                freedBytes: site.freedBytes - min(old.freedBytes, site.freedBytes)
            )
            return changed.allocatedObjects == 0 && changed.freedObjects == 0 ? nil : changed
        }
        return HeapProfile(sites: sites, meanBytes: meanBytes, dropped: dropped - min(earlier.dropped, dropped), time: time)
    }

    /// The allocator's own frames, dropped by pprof's tools so the leaf is the code that allocated.
    public static let allocatorFrames =
        "malloc|calloc|realloc|memalign|aligned_alloc|posix_memalign|valloc|pvalloc|swift_slowAlloc|swift_allocObject|swift_allocBox|swift_allocEmptyBox|operator new.*"

    /// The sampled counts of a site scaled to estimates of all allocations, as pprof expects:
    /// a site of average size `s` was sampled with probability `1 - exp(-s / meanBytes)`.
    public static func scaled(objects: UInt64, bytes: UInt64, meanBytes: Int) -> (objects: Int64, bytes: Int64) {
        guard objects > 0, bytes > 0 else { return (0, 0) }
        guard meanBytes > 1 else { return (Int64(objects), Int64(bytes)) }
        let average = Double(bytes) / Double(objects)
        let scale = 1 / (1 - exp(-average / Double(meanBytes)))
        return (Int64(Double(objects) * scale), Int64(Double(bytes) * scale))
    }

    /// The profile in pprof's heap format: sample types `alloc_objects/count`, `alloc_space/bytes`,
    /// `inuse_objects/count`, `inuse_space/bytes` (the default), period `space/bytes` of
    /// `meanBytes`, functions named by `symbolize` (a frame's address, nil when unknown).
    public func pprof(regions: [MappedRegion], symbolize: (UInt64) -> ProfileFrame) -> Perftools_Profiles_Profile {
        var builder = ProfileBuilder(
            sampleTypes: [("alloc_objects", "count"), ("alloc_space", "bytes"), ("inuse_objects", "count"), ("inuse_space", "bytes")],
            period: ("space", "bytes", Int64(meanBytes)),
            regions: regions,
            time: time,
            duration: .zero,
            defaultSampleType: "inuse_space"
        )
        builder.dropFrames(Self.allocatorFrames)
        var frames: [UInt64: ProfileFrame] = [:]
        for site in sites {
            let allocated = Self.scaled(objects: site.allocatedObjects, bytes: site.allocatedBytes, meanBytes: meanBytes)
            let inUse = Self.scaled(
                objects: site.allocatedObjects - min(site.freedObjects, site.allocatedObjects),
                bytes: site.allocatedBytes - min(site.freedBytes, site.allocatedBytes),
                meanBytes: meanBytes
            )
            let stack = site.frames.map { address in
                if let known = frames[address] { return known }
                let frame = symbolize(address)
                frames[address] = frame
                return frame
            }
            builder.add(stack: stack, values: [allocated.objects, allocated.bytes, inUse.objects, inUse.bytes])
        }
        builder.comment("heap sampled every \(meanBytes) bytes on average, \(sites.count) sites, \(dropped) samples dropped")
        return builder.build()
    }
}

/// The process's heap sampler: about one allocation per `meanBytes` allocated bytes keeps its
/// stack, and its free is noticed, as Go's runtime does at `MemProfileRate` (512 KiB).
///
/// The malloc hooks that feed it are linked into `ollama-distributed` (and the test bundle); in
/// a binary without them ``start(meanBytes:)`` throws ``HeapProfileError/hooksMissing``.
public enum HeapSampler {
    /// Go's default mean bytes between samples.
    public static let defaultMeanBytes = 512 * 1024

    /// Whether the malloc hooks are linked into this process.
    public static var isAvailable: Bool { heap_sampler_hooked() != 0 }

    /// Mean bytes between samples while sampling, else nil.
    public static var meanBytes: Int? {
        let stats = heap_sampler_read_stats()
        return stats.active != 0 ? Int(stats.mean_bytes) : nil
    }

    /// Starts (or re-rates) sampling. Sites recorded earlier are kept.
    public static func start(meanBytes: Int = defaultMeanBytes) throws(HeapProfileError) {
        guard meanBytes > 0 else { throw .badRate(meanBytes) }
        guard isAvailable else { throw .hooksMissing }
        guard heap_sampler_start(UInt64(meanBytes)) == 0 else { throw .noMemory }
    }

    /// Stops taking samples; frees of sampled allocations are still noticed.
    public static func stop() {
        heap_sampler_stop()
    }

    /// The sites recorded so far, with the rate they were sampled at (the current one).
    public static func profile(time: Date = Date()) -> HeapProfile {
        let stats = heap_sampler_read_stats()
        // Sites only grow; room for some added between counting and copying.
        let capacity = Int(stats.sites) + 64
        let buffer = UnsafeMutablePointer<heap_sampler_site>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        let total = heap_sampler_sites(buffer, capacity)
        let sites = (0..<min(total, capacity)).map { index in
            let site = buffer[index]
            let frames = withUnsafeBytes(of: site.frames) { raw in Array(raw.bindMemory(to: UInt64.self).prefix(Int(site.depth))) }
            return HeapSite(
                frames: frames,
                allocatedObjects: site.alloc_count,
                allocatedBytes: site.alloc_bytes,
                freedObjects: site.free_count,
                freedBytes: site.free_bytes
            )
        }
        return HeapProfile(sites: sites, meanBytes: Int(stats.mean_bytes), dropped: stats.dropped, time: time)
    }
}
