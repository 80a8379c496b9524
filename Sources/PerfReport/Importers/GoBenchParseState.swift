/// What the Go importer has gathered so far, in the order things first appeared.
struct GoBenchParseState {
    private struct Key: Hashable {
        var package: String?
        var name: String
        var procs: String?
    }

    private struct Entry {
        var key: Key
        var unitOrder: [String] = []
        var samples: [String: [Double]] = [:]
    }

    /// Current configuration (`key: value` lines seen so far).
    var config: [String: String] = [:]
    private var entries: [Entry] = []
    private var entryIndex: [Key: Int] = [:]
    private var unitMetadata: [String: (direction: Direction?, exact: Bool?)] = [:]
    /// For each config key, every value it had at a result line, and at how many result lines.
    private var configValues: [String: Set<String>] = [:]
    private var configCounts: [String: Int] = [:]
    private var resultCount = 0

    mutating func addResult(_ fields: [String], stripProcsSuffix: Bool) throws(GoLineError) {
        guard fields.count >= 4, fields.count % 2 == 0 else {
            throw GoLineError(problem: "expected \"Benchmark<Name> <iterations> <value> <unit> [<value> <unit>...]\" (got \(fields.count) fields)")
        }
        guard Int(fields[1]) != nil else {
            throw GoLineError(problem: "iteration count \(ReportError.quoted(fields[1])) is not an integer")
        }
        var name = String(fields[0].dropFirst("Benchmark".count))
        var procs: String?
        if stripProcsSuffix, let dash = name.lastIndex(of: "-"), dash > name.startIndex {
            let digits = name[name.index(after: dash)...]
            if !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) {
                procs = String(digits)
                name = String(name[..<dash])
            }
        }
        var measurements: [(String, Double)] = []
        for pair in stride(from: 2, to: fields.count, by: 2) {
            guard let value = Double(fields[pair]) else {
                throw GoLineError(
                    problem: "value \(ReportError.quoted(fields[pair])) for unit \(ReportError.quoted(fields[pair + 1])) is not a number"
                )
            }
            measurements.append((fields[pair + 1], value))
        }
        let key = Key(package: config["pkg"], name: name.isEmpty ? "Benchmark" : name, procs: procs)
        let index =
            entryIndex[key]
            ?? {
                entries.append(Entry(key: key))
                entryIndex[key] = entries.count - 1
                return entries.count - 1
            }()
        for (unit, value) in measurements {
            if entries[index].samples[unit] == nil { entries[index].unitOrder.append(unit) }
            entries[index].samples[unit, default: []].append(value)
        }
        resultCount += 1
        for (configKey, value) in config {
            configValues[configKey, default: []].insert(value)
            configCounts[configKey, default: 0] += 1
        }
    }

    mutating func addUnitMetadata(_ fields: [String]) throws(GoLineError) {
        guard fields.count >= 2 else { throw GoLineError(problem: "expected \"Unit <unit> key=value...\"") }
        var metadata = unitMetadata[fields[1]] ?? (nil, nil)
        for field in fields.dropFirst(2) {
            let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            switch (parts[0], parts[1]) {
            case ("better", "lower"): metadata.direction = .lowerIsBetter
            case ("better", "higher"): metadata.direction = .higherIsBetter
            case ("better", let other): throw GoLineError(problem: "better=\(other) (expected lower or higher)")
            case ("assume", "exact"): metadata.exact = true
            case ("assume", "nothing"): metadata.exact = false
            case ("assume", let other): throw GoLineError(problem: "assume=\(other) (expected nothing or exact)")
            default: continue
            }
        }
        unitMetadata[fields[1]] = metadata
    }

    func report(createdAt: String) -> PerformanceReport {
        var report = PerformanceReport(metadata: Metadata(createdAt: createdAt), benchmarks: [])
        let names = uniqueNames()
        for (entry, name) in zip(entries, names) {
            let metrics = entry.unitOrder.map { unit in
                var mapped = GoUnit(goUnit: unit)
                if let direction = unitMetadata[unit]?.direction { mapped.direction = direction }
                if let exact = unitMetadata[unit]?.exact { mapped.deterministic = exact }
                return Metric(
                    name: mapped.name,
                    unit: mapped.unit,
                    direction: mapped.direction,
                    deterministic: mapped.deterministic,
                    samples: entry.samples[unit] ?? []
                )
            }
            let tags = entry.key.procs.map { ["gomaxprocs=\($0)"] } ?? []
            report.benchmarks.append(Benchmark(name: name, group: entry.key.package, tags: tags, metrics: metrics))
        }
        var labels = ["source_format": InputFormat.goBench.rawValue]
        for (key, values) in configValues where key != "pkg" && values.count == 1 && configCounts[key] == resultCount {
            labels[key] = values.first
        }
        if labels["goos"] != nil || labels["cpu"] != nil {
            report.metadata.host = HostInfo(os: labels["goos"], cpuModel: labels["cpu"])
        }
        report.metadata.labels = labels
        return report
    }

    /// Names that stay apart: `/gomaxprocs=N` when one name ran with several GOMAXPROCS,
    /// then `<pkg>.<name>` when one name occurs in several packages.
    private func uniqueNames() -> [String] {
        var procsPerName: [Key: Set<String?>] = [:]
        for entry in entries {
            procsPerName[Key(package: entry.key.package, name: entry.key.name), default: []].insert(entry.key.procs)
        }
        let withProcs = entries.map { entry in
            (procsPerName[Key(package: entry.key.package, name: entry.key.name)]?.count ?? 0) > 1 && entry.key.procs != nil
                ? "\(entry.key.name)/gomaxprocs=\(entry.key.procs ?? "")" : entry.key.name
        }
        var packagesPerName: [String: Set<String?>] = [:]
        for (entry, name) in zip(entries, withProcs) { packagesPerName[name, default: []].insert(entry.key.package) }
        return zip(entries, withProcs).map { entry, name in
            guard (packagesPerName[name]?.count ?? 0) > 1, let package = entry.key.package else { return name }
            return "\(package).\(name)"
        }
    }
}
