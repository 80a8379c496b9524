import Foundation
import Pprof
import Telemetry
import TestHTTP
import Testing

/// The heap sampler fed by the malloc hooks linked into this test bundle, read by the Go
/// toolchain's pprof.
@Suite(.timeLimit(.minutes(3)))
struct HeapProfileTests {
    /// The line of the planted leak's allocation, for file:line.
    static let leakLine = Int64(#line + 6)

    /// The planted leak: 64 MiB in 1,024 blocks that stay allocated until the test frees them.
    @inline(never)
    static func plantedHeapLeak() -> [UnsafeMutableRawPointer] {
        (0..<1024).map { _ in
            let block = UnsafeMutableRawPointer.allocate(byteCount: 64 * 1024, alignment: 16)
            block.storeBytes(of: 1, as: UInt8.self)
            return block
        }
    }

    /// Allocations made and freed again: allocated space, never in use.
    @inline(never)
    static func plantedChurn() -> Int {
        var total = 0
        for round in 0..<2048 {
            let block = UnsafeMutableRawPointer.allocate(byteCount: 32 * 1024, alignment: 16)
            block.storeBytes(of: UInt8(truncatingIfNeeded: round), as: UInt8.self)
            total += Int(block.load(as: UInt8.self))
            block.deallocate()
        }
        return total
    }

    @Test func scalingUndoesTheSamplingProbability() {
        // One sampled 512 KiB object at a 512 KiB rate stood for 1 / (1 - e^-1) = 1.582 objects.
        let scaled = HeapProfile.scaled(objects: 1, bytes: 524_288, meanBytes: 524_288)
        #expect(scaled.objects == 1)
        #expect(scaled.bytes == Int64(524_288 / (1 - exp(-1.0))))
        // Large objects are nearly always sampled: counted nearly as they are.
        #expect(HeapProfile.scaled(objects: 10, bytes: 100 << 20, meanBytes: 524_288) == (10, 100 << 20))
        #expect(HeapProfile.scaled(objects: 0, bytes: 0, meanBytes: 524_288) == (0, 0))
        // A rate of 1 samples every allocation: nothing to scale.
        #expect(HeapProfile.scaled(objects: 3, bytes: 48, meanBytes: 1) == (3, 48))
    }

    @Test func theHooksAreLinkedAndABadRateIsRefused() {
        #expect(HeapSampler.isAvailable)
        #expect(throws: HeapProfileError.badRate(0)) { try HeapSampler.start(meanBytes: 0) }
        #expect(HeapProfileError.badRate(-1).description.contains("524288"))
    }

    /// The return addresses of the stack below this function, taken inside it.
    @inline(never)
    static func stackInsideNamedCaller() -> [UInt64] {
        Thread.callStackReturnAddresses.map { UInt64(truncating: $0) }
    }

    @Test func theMappingsListEveryLibrary() {
        // More than the first 4 KiB of /proc/self/maps: the C library comes after dozens of others.
        let paths = ProcessSymbols.regions().map(\.path)
        #expect(paths.contains { $0.hasSuffix("/libc.so.6") }, "\(paths)")
        #expect(paths.contains { $0.hasSuffix("/libswiftCore.so") }, "\(paths)")
    }

    @Test func theSymbolTablesOfThisProcessNameItsFrames() throws {
        let regions = ProcessSymbols.regions()
        let symbols = ProcessSymbols()
        let frames = Self.stackInsideNamedCaller().map { symbols.frame(returnAddress: $0, regions: regions) }
        // The caller's frame is named and demangled, with its mangled symbol as the system name.
        let caller = try #require(frames.first { $0.name.contains("stackInsideNamedCaller") }, "\(frames.map(\.name))")
        #expect(caller.name.contains("HeapProfileTests"), "\(caller)")
        #expect(caller.systemName.hasPrefix("$s"), "\(caller)")
        #expect(frames.contains { $0.name.contains("theSymbolTablesOfThisProcessNameItsFrames") }, "\(frames.map(\.name))")
        #expect(symbols.frame(returnAddress: 8, regions: regions).name == "[unknown]")
    }

    @Test func symbolizerLinesAreParsed() {
        #expect(SourceLine.parse("/src/Gateway/Proxy.swift:42") == SourceLine(file: "/src/Gateway/Proxy.swift", line: 42))
        #expect(SourceLine.parse("/src/a.swift:7 (discriminator 3)") == SourceLine(file: "/src/a.swift", line: 7))
        #expect(SourceLine.parse("??:0") == nil)
        #expect(SourceLine.parse("/src/a.swift:0") == nil)
        #expect(SourceLine.parse("garbage") == nil)
    }

    @Test func aFileThatIsNotELFIsRefused() {
        #expect(throws: ELFError.self) { try ELFSymbols(elf: Data("not an elf file at all, but long enough to have a header........".utf8)) }
    }

    #if os(Linux)
    @Test(ExternalTool.go.enabled)
    func goToolPprofShowsThePlantedLeakAtTheTopOfInUseSpace() async throws {
        try HeapSampler.start()
        let leak = Self.plantedHeapLeak()
        defer { leak.forEach { $0.deallocate() } }
        #expect(Self.plantedChurn() >= 0)
        let profile = HeapSampler.profile()
        #expect(profile.meanBytes == HeapSampler.defaultMeanBytes)
        let regions = ProcessSymbols.regions()
        let symbols = ProcessSymbols()
        var pprof = profile.pprof(regions: regions) { symbols.frame(returnAddress: $0, regions: regions) }
        // file:line from the test binary's debug information, where llvm-symbolizer is installed.
        let lines = SourceLines()
        await lines.annotate(&pprof, symbols: symbols)
        if lines.symbolizer != nil {
            let leakLocations = pprof.location.filter { location in
                location.line.contains { line in
                    pprof.function.first { $0.id == line.functionID }.map { pprof.text($0.name).contains("plantedHeapLeak") } == true
                }
            }
            #expect(leakLocations.contains { $0.line.first?.line == Self.leakLine }, "\(leakLocations.map { $0.line.first?.line ?? 0 })")
            let files = Set(pprof.function.map { pprof.text($0.filename) })
            #expect(files.contains { $0.hasSuffix("Tests/TelemetryTests/HeapProfileTests.swift") }, "\(files.prefix(20))")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ollamamax-heap-\(UUID().uuidString).pb.gz")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(try pprof.gzipped()).write(to: file)

        let inUse = try await PprofProfileTests.pprof(["-top", "-nodecount=10", "-sample_index=inuse_space", file.path])
        #expect(inUse.status == 0, "go tool pprof -top: \(inUse.output)")
        let entries = inUse.output.split(separator: "\n").drop { !$0.contains("flat%") }.dropFirst()
        #expect(entries.first?.contains("plantedHeapLeak") == true, "inuse_space: \(inUse.output)")
        // About 64 MiB in use estimated from ~12% of the blocks sampled: within a factor of two.
        let megabytes = entries.first.flatMap { Self.megabytes(String($0.split(separator: " ").first ?? "")) } ?? 0
        #expect((32...128).contains(megabytes), "inuse_space: \(inUse.output)")

        // The churn allocated about as much and freed it all: in alloc_space, never in inuse_space.
        let allocated = try await PprofProfileTests.pprof(["-top", "-nodecount=20", "-sample_index=alloc_space", file.path])
        #expect(allocated.output.contains("plantedChurn"), "alloc_space: \(allocated.output)")
        #expect(!entries.contains { $0.contains("plantedChurn") && !$0.hasPrefix("         0") }, "inuse_space: \(inUse.output)")

        let raw = try await PprofProfileTests.pprof(["-raw", file.path])
        #expect(raw.output.contains("PeriodType: space bytes"), "\(raw.output.prefix(800))")
        #expect(raw.output.contains("Period: 524288"), "\(raw.output.prefix(800))")
        #expect(raw.output.contains("alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes"), "\(raw.output.prefix(800))")
    }
    #endif

    /// `64MB`, `63.50MB`, `900kB` as pprof prints sizes, in MiB.
    static func megabytes(_ text: String) -> Double? {
        let units: [(String, Double)] = [("GB", 1024), ("MB", 1), ("kB", 1.0 / 1024), ("B", 1.0 / 1024 / 1024)]
        for (unit, scale) in units where text.hasSuffix(unit) {
            return Double(text.dropLast(unit.count)).map { $0 * scale }
        }
        return nil
    }
}
