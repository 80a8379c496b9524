import Foundation

/// Builds one pprof profile (`Perftools_Profiles_Profile`, proto/profile.proto) from stacks.
///
/// Strings are interned into the string table (index 0 is ""), each distinct address becomes one
/// `Location` (its mapping found among the regions, its function by name), and samples with the
/// same stack and labels are merged by adding their values.
public struct ProfileBuilder: Sendable {
    private var profile = Perftools_Profiles_Profile()
    private var strings: [String: Int64] = ["": 0]
    private var functionIDs: [ProfileFunctionKey: UInt64] = [:]
    private var locationIDs: [UInt64: UInt64] = [:]
    private var sampleIndex: [ProfileSampleKey: Int] = [:]
    private let regions: [MappedRegion]
    private var usedMappings: Set<UInt64> = []

    /// - Parameters:
    ///   - sampleTypes: what each value of a sample is, e.g. `[("samples", "count"), ("cpu", "nanoseconds")]`.
    ///   - period: one sampling event, e.g. `("cpu", "nanoseconds", 10_101_010)` at 99 Hz.
    ///   - regions: the process's executable mappings (``MappedRegion/executable(procMaps:)``).
    ///   - time: when the profile started; `duration`: for how long it ran.
    ///   - defaultSampleType: the type tools show first (one of `sampleTypes`).
    public init(
        sampleTypes: [(type: String, unit: String)],
        period: (type: String, unit: String, value: Int64),
        regions: [MappedRegion],
        time: Date,
        duration: Duration,
        defaultSampleType: String? = nil
    ) {
        self.regions = regions.sorted { $0.start < $1.start }
        profile.stringTable = [""]
        profile.sampleType = sampleTypes.map { valueType($0.type, $0.unit) }
        profile.periodType = valueType(period.type, period.unit)
        profile.period = period.value
        profile.timeNanos = Int64((time.timeIntervalSince1970 * 1e9).rounded())
        let (seconds, attoseconds) = duration.components
        profile.durationNanos = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        if let defaultSampleType { profile.defaultSampleType = string(defaultSampleType) }
        for (index, region) in self.regions.enumerated() {
            var mapping = Perftools_Profiles_Mapping()
            mapping.id = UInt64(index + 1)
            mapping.memoryStart = region.start
            mapping.memoryLimit = region.limit
            mapping.fileOffset = region.offset
            mapping.filename = string(region.path)
            profile.mapping.append(mapping)
        }
    }

    /// Adds one stack (leaf first) with its values (one per sample type) and labels.
    public mutating func add(stack: [ProfileFrame], values: [Int64], labels: [String: String] = [:]) {
        let ids = stack.map { location($0) }
        let key = ProfileSampleKey(locations: ids, labels: labels)
        if let index = sampleIndex[key] {
            for (slot, value) in values.enumerated() where slot < profile.sample[index].value.count {
                profile.sample[index].value[slot] += value
            }
            return
        }
        var sample = Perftools_Profiles_Sample()
        sample.locationID = ids
        sample.value = values
        sample.label = labels.sorted { $0.key < $1.key }.map { key, value in
            var label = Perftools_Profiles_Label()
            label.key = string(key)
            label.str = string(value)
            return label
        }
        sampleIndex[key] = profile.sample.count
        profile.sample.append(sample)
    }

    /// Frames whose function fully matches `pattern` (a regular expression), and every frame they
    /// called, are dropped from the samples by pprof's tools: a heap profile's allocator frames.
    public mutating func dropFrames(_ pattern: String) {
        profile.dropFrames = string(pattern)
    }

    /// Adds a note shown by `go tool pprof -comments`.
    public mutating func comment(_ text: String) {
        profile.comment.append(string(text))
    }

    /// The profile; mappings with a symbolized location say they have functions.
    public func build() -> Perftools_Profiles_Profile {
        var built = profile
        for index in built.mapping.indices where usedMappings.contains(built.mapping[index].id) {
            built.mapping[index].hasFunctions_p = true
        }
        return built
    }

    private mutating func string(_ text: String) -> Int64 {
        if let index = strings[text] { return index }
        let index = Int64(profile.stringTable.count)
        profile.stringTable.append(text)
        strings[text] = index
        return index
    }

    private mutating func valueType(_ type: String, _ unit: String) -> Perftools_Profiles_ValueType {
        var value = Perftools_Profiles_ValueType()
        value.type = string(type)
        value.unit = string(unit)
        return value
    }

    private mutating func location(_ frame: ProfileFrame) -> UInt64 {
        if let id = locationIDs[frame.address] { return id }
        var location = Perftools_Profiles_Location()
        location.id = UInt64(profile.location.count + 1)
        location.address = frame.address
        if let mapping = mappingID(for: frame.address) {
            location.mappingID = mapping
            usedMappings.insert(mapping)
        }
        var line = Perftools_Profiles_Line()
        line.functionID = function(frame)
        location.line = [line]
        profile.location.append(location)
        locationIDs[frame.address] = location.id
        return location.id
    }

    private mutating func function(_ frame: ProfileFrame) -> UInt64 {
        let key = ProfileFunctionKey(name: frame.name, systemName: frame.systemName)
        if let id = functionIDs[key] { return id }
        var function = Perftools_Profiles_Function()
        function.id = UInt64(profile.function.count + 1)
        function.name = string(frame.name)
        function.systemName = string(frame.systemName.isEmpty ? frame.name : frame.systemName)
        profile.function.append(function)
        functionIDs[key] = function.id
        return function.id
    }

    /// The id of the region holding `address` (binary search over the sorted regions).
    private func mappingID(for address: UInt64) -> UInt64? {
        var low = 0
        var high = regions.count
        while low < high {
            let middle = (low + high) / 2
            if regions[middle].limit <= address { low = middle + 1 } else { high = middle }
        }
        guard low < regions.count, regions[low].start <= address else { return nil }
        return UInt64(low + 1)
    }
}

private struct ProfileFunctionKey: Hashable, Sendable {
    var name: String
    var systemName: String
}

private struct ProfileSampleKey: Hashable, Sendable {
    var locations: [UInt64]
    var labels: [String: String]
}
