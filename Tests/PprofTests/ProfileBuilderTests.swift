import Foundation
import Pprof
import Testing

/// The pprof profile the gateway serves, built from stacks: its tables, merged samples and gzip.
@Suite struct ProfileBuilderTests {
    static let regions = [
        MappedRegion(start: 0x7000, limit: 0x8000, offset: 0x1000, path: "/usr/lib/libc.so.6"),
        MappedRegion(start: 0x1000, limit: 0x5000, offset: 0, path: "/opt/ollamamax/ollama-distributed"),
    ]
    static let main = ProfileFrame(address: 0x1100, name: "main", systemName: "main")
    static let work = ProfileFrame(address: 0x2200, name: "Gateway.work()", systemName: "$s7Gateway4workyyF")
    static let memcpy = ProfileFrame(address: 0x7100, name: "memcpy", systemName: "memcpy")
    static let kernel = ProfileFrame(address: 0xffff_ffff_8100_0000, name: "[kernel.kallsyms]")

    static func profile() -> Perftools_Profiles_Profile {
        var builder = ProfileBuilder(
            sampleTypes: [("samples", "count"), ("cpu", "nanoseconds")],
            period: ("cpu", "nanoseconds", 10_000_000),
            regions: regions,
            time: Date(timeIntervalSince1970: 1_800_000_000),
            duration: .seconds(2),
            defaultSampleType: "cpu"
        )
        builder.add(stack: [work, main], values: [1, 10_000_000], labels: ["thread": "worker"])
        builder.add(stack: [memcpy, work, main], values: [1, 10_000_000], labels: ["thread": "worker"])
        builder.add(stack: [work, main], values: [1, 10_000_000], labels: ["thread": "worker"])
        builder.add(stack: [work, main], values: [1, 10_000_000], labels: ["thread": "other"])
        builder.add(stack: [kernel], values: [1, 10_000_000])
        builder.comment("test profile")
        return builder.build()
    }

    @Test func stringsAreInternedWithTheEmptyStringFirst() {
        let profile = Self.profile()
        #expect(profile.stringTable.first == "")
        #expect(Set(profile.stringTable).count == profile.stringTable.count)
        #expect(profile.sampleType.map { [profile.text($0.type), profile.text($0.unit)] } == [["samples", "count"], ["cpu", "nanoseconds"]])
        #expect(profile.text(profile.periodType.type) == "cpu")
        #expect(profile.period == 10_000_000)
        #expect(profile.text(profile.defaultSampleType) == "cpu")
        #expect(profile.timeNanos == 1_800_000_000_000_000_000)
        #expect(profile.durationNanos == 2_000_000_000)
        #expect(profile.comment.map { profile.text($0) } == ["test profile"])
    }

    @Test func samplesWithTheSameStackAndLabelsAreMerged() {
        let profile = Self.profile()
        #expect(profile.sample.count == 4)
        let first = profile.sample[0]
        #expect(first.value == [2, 20_000_000])
        #expect(first.label.map { [profile.text($0.key), profile.text($0.str)] } == [["thread", "worker"]])
        #expect(profile.sample.map { $0.value[0] }.reduce(0, +) == 5)
    }

    @Test func locationsPointIntoTheirMappingAndFunction() throws {
        let profile = Self.profile()
        // The regions in address order: the binary is mapping 1, libc mapping 2.
        #expect(profile.mapping.map { profile.text($0.filename) } == ["/opt/ollamamax/ollama-distributed", "/usr/lib/libc.so.6"])
        #expect(profile.mapping.map(\.hasFunctions_p) == [true, true])
        #expect(profile.mapping[1].fileOffset == 0x1000)
        let byAddress = Dictionary(uniqueKeysWithValues: profile.location.map { ($0.address, $0) })
        #expect(byAddress[0x2200]?.mappingID == 1)
        #expect(byAddress[0x7100]?.mappingID == 2)
        // An address in no region (the kernel's) has no mapping.
        #expect(byAddress[0xffff_ffff_8100_0000]?.mappingID == 0)
        let work = try #require(byAddress[0x2200]?.line.first?.functionID)
        let function = try #require(profile.function.first { $0.id == work })
        #expect(profile.text(function.name) == "Gateway.work()")
        #expect(profile.text(function.systemName) == "$s7Gateway4workyyF")
        // One location per address, however many samples hold it; the leaf first.
        #expect(profile.location.count == 4)
        #expect(profile.sample[1].locationID.first == byAddress[0x7100]?.id)
    }

    @Test func theGzippedProfileReadsBackTheSame() throws {
        let profile = Self.profile()
        let bytes = try profile.gzipped()
        #expect(Array(bytes.prefix(2)) == [0x1f, 0x8b])
        #expect(try Perftools_Profiles_Profile(pprof: bytes) == profile)
        // Plain protobuf reads too; anything else is an error that says what it is not.
        #expect(try Perftools_Profiles_Profile(pprof: try profile.encoded()) == profile)
        let error = #expect(throws: ProfileCodingError.self) { try Perftools_Profiles_Profile(pprof: [0x1f, 0x8b, 1, 2, 3]) }
        #expect(error?.description.contains("gzip") == true)
    }

    @Test func stacksComeBackRootFirstWithTheThreadAsTheirRoot() {
        let stacks = Self.profile().stacks(of: "samples")
        #expect(stacks.count == 4)
        #expect(stacks[0].frames == ["worker", "main", "Gateway.work()"])
        #expect(stacks[0].samples == 2)
        #expect(stacks[1].frames == ["worker", "main", "Gateway.work()", "memcpy"])
        // No thread label: the stack alone.
        #expect(stacks[3].frames == ["[kernel.kallsyms]"])
        // The default sample type is cpu: values in nanoseconds.
        #expect(Self.profile().stacks().first?.samples == 20_000_000)
        #expect(Self.profile().stacks(of: "alloc_space").isEmpty)
    }

    @Test func procMapsGiveTheExecutableRegionsWithAFile() {
        let maps = """
            55d0c0a00000-55d0c0b00000 r--p 00000000 08:01 1234   /opt/ollamamax/ollama-distributed
            55d0c0b00000-55d0c0f00000 r-xp 00100000 08:01 1234   /opt/ollamamax/ollama-distributed
            7f0000000000-7f0000100000 rw-p 00000000 00:00 0
            7f1000000000-7f1000200000 r-xp 00028000 08:01 99     /usr/lib/x86_64-linux-gnu/libc.so.6
            7ffd00000000-7ffd00001000 r-xp 00000000 00:00 0      [vdso]
            garbage
            """
        let regions = MappedRegion.executable(procMaps: maps)
        #expect(
            regions == [
                MappedRegion(start: 0x55d0_c0b0_0000, limit: 0x55d0_c0f0_0000, offset: 0x100000, path: "/opt/ollamamax/ollama-distributed"),
                MappedRegion(start: 0x7f10_0000_0000, limit: 0x7f10_0020_0000, offset: 0x28000, path: "/usr/lib/x86_64-linux-gnu/libc.so.6"),
            ]
        )
    }
}

/// Where the time moved between two profiles: shares by function and the largest growth.
@Suite struct ProfileShiftTests {
    static func profile(_ stacks: [([String], Int64)]) -> Perftools_Profiles_Profile {
        var builder = ProfileBuilder(
            sampleTypes: [("samples", "count"), ("cpu", "nanoseconds")],
            period: ("cpu", "nanoseconds", 10_000_000),
            regions: [],
            time: Date(timeIntervalSince1970: 0),
            duration: .seconds(1)
        )
        var addresses: [String: UInt64] = [:]
        for (frames, count) in stacks {
            let stack = frames.reversed().map { name in
                let address = addresses[name] ?? UInt64(0x1000 + addresses.count * 16)
                addresses[name] = address
                return ProfileFrame(address: address, name: name)
            }
            builder.add(stack: stack, values: [count, count * 10_000_000], labels: ["thread": "t"])
        }
        return builder.build()
    }

    @Test func theFunctionWhoseShareGrewMostComesFirst() throws {
        let base = Self.profile([(["main", "parse"], 50), (["main", "encode"], 50)])
        let head = Self.profile([(["main", "parse"], 30), (["main", "encode"], 50), (["main", "encode", "copy"], 20)])
        let shift = ProfileShift(base: base, head: head)
        #expect(shift.baseSamples == 100 && shift.headSamples == 100)
        let grown = shift.grown(5)
        #expect(grown.map(\.name) == ["copy"])
        let copy = try #require(grown.first)
        #expect(abs(copy.selfGrowth - 0.2) < 1e-12)
        // encode's own share held (0.5 -> 0.5) but its total grew with its new callee.
        let encode = try #require(shift.functions.first { $0.name == "encode" })
        #expect(abs(encode.headTotal - 0.7) < 1e-12 && abs(encode.baseTotal - 0.5) < 1e-12)
        let parse = try #require(shift.functions.last)
        #expect(parse.name == "parse" && abs(parse.selfGrowth + 0.2) < 1e-12)
        // The thread label is no function.
        #expect(!shift.functions.contains { $0.name == "t" })
    }

    @Test func anEmptyProfileHasNoShares() {
        let shift = ProfileShift(base: Self.profile([]), head: Self.profile([(["main"], 3)]))
        #expect(shift.baseSamples == 0)
        #expect(shift.grown(3).map(\.name) == ["main"])
    }
}
