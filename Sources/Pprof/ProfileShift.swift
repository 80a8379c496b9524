/// Where a CPU profile's time moved between two runs: each function's share of the samples in
/// a base and a head profile, and the functions whose share grew most. What a red CI run points
/// at (`compare --profiles`).
public struct ProfileShift: Sendable, Hashable {
    /// One function's share of all samples in both profiles.
    public struct Function: Sendable, Hashable {
        public var name: String
        /// Share of the samples in which it was the leaf (its own time), 0...1.
        public var baseSelf: Double
        public var headSelf: Double
        /// Share of the samples in which it was anywhere on the stack (it and its callees), 0...1.
        public var baseTotal: Double
        public var headTotal: Double

        /// How much its own share grew, in share points (0.05 = 5 points).
        public var selfGrowth: Double { headSelf - baseSelf }
    }

    /// Every function of either profile, the largest growth of its own share first.
    public var functions: [Function]
    public var baseSamples: Int
    public var headSamples: Int

    /// The shift from `base` to `head`, counting the `samples` sample type (every sample one).
    public init(base: Perftools_Profiles_Profile, head: Perftools_Profiles_Profile) {
        let (baseSelf, baseTotal, baseCount) = Self.shares(base)
        let (headSelf, headTotal, headCount) = Self.shares(head)
        let names = Set(baseTotal.keys).union(headTotal.keys)
        functions = names.map { name in
            Function(
                name: name,
                baseSelf: baseSelf[name] ?? 0,
                headSelf: headSelf[name] ?? 0,
                baseTotal: baseTotal[name] ?? 0,
                headTotal: headTotal[name] ?? 0
            )
        }
        .sorted { $0.selfGrowth != $1.selfGrowth ? $0.selfGrowth > $1.selfGrowth : $0.name < $1.name }
        baseSamples = baseCount
        headSamples = headCount
    }

    /// The `count` functions whose own share grew most, those that grew at all.
    public func grown(_ count: Int) -> [Function] {
        Array(functions.prefix { $0.selfGrowth > 0 }.prefix(count))
    }

    private static func shares(_ profile: Perftools_Profiles_Profile) -> (own: [String: Double], total: [String: Double], samples: Int) {
        let stacks = profile.stacks(of: "samples", threads: false)
        let samples = stacks.reduce(0) { $0 + $1.samples }
        guard samples > 0 else { return ([:], [:], 0) }
        var own: [String: Int] = [:]
        var total: [String: Int] = [:]
        for stack in stacks {
            let frames = stack.frames
            guard let leaf = frames.last else { continue }
            own[leaf, default: 0] += stack.samples
            for name in Set(frames) { total[name, default: 0] += stack.samples }
        }
        let scale = 1 / Double(samples)
        return (own.mapValues { Double($0) * scale }, total.mapValues { Double($0) * scale }, samples)
    }
}
