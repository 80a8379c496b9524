import Foundation

extension Perftools_Profiles_Profile {
    /// The samples as stacks of function names, root first, each with its value of the sample
    /// type named `type` (the default sample type, else the last, when nil). With `threads`, a
    /// sample's `thread` label, when it has one, is the root frame, as collapsed stacks name threads. Addresses
    /// without a function are named by their address (`0x7f12…`). The profile's `drop_frames`
    /// pattern is applied as pprof's tools do: from the first frame (from the root) whose function
    /// fully matches it, that frame and all it called are left out (a heap profile's allocator).
    public func stacks(of type: String? = nil, threads: Bool = true) -> [(frames: [String], samples: Int)] {
        let wanted = type ?? (defaultSampleType != 0 ? text(defaultSampleType) : typeName(at: sampleType.count - 1))
        guard let column = sampleType.firstIndex(where: { text($0.type) == wanted }) else { return [] }
        let functions = Dictionary(function.map { ($0.id, text($0.name)) }, uniquingKeysWith: { first, _ in first })
        var names: [UInt64: [String]] = [:]
        for location in location {
            // Inlined frames come innermost first: reversed, the caller comes first.
            let lines = location.line.compactMap { functions[$0.functionID] }
            names[location.id] = lines.isEmpty ? ["0x" + String(location.address, radix: 16)] : lines.reversed()
        }
        let threadKey = threads ? stringTable.firstIndex(of: "thread").map(Int64.init) : nil
        let drop = dropFrames != 0 ? try? NSRegularExpression(pattern: "^(?:\(text(dropFrames)))$") : nil
        return sample.compactMap { sample in
            guard column < sample.value.count else { return nil }
            var frames = sample.locationID.reversed().flatMap { names[$0] ?? ["0x?"] }
            if let drop, let cut = frames.firstIndex(where: { drop.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }) {
                frames.removeSubrange(cut...)
            }
            if let threadKey, let thread = sample.label.first(where: { $0.key == threadKey }) {
                frames.insert(text(thread.str), at: 0)
            }
            return (frames, Int(sample.value[column]))
        }
    }

    private func typeName(at index: Int) -> String? {
        index >= 0 && index < sampleType.count ? text(sampleType[index].type) : nil
    }
}
