/// Prometheus text exposition format 0.0.4: a parser, and a checker for the mistakes
/// `promtool check metrics` lets through.
public enum Exposition {
    /// Parses a body into families, in order of first appearance (HELP, TYPE or sample).
    ///
    /// Samples named `<h>_bucket`, `<h>_sum` and `<h>_count` belong to family `<h>` when
    /// `# TYPE <h> histogram` is declared anywhere in the body (`_sum`/`_count` also for
    /// `summary`). A sample with no TYPE gets an `untyped` family of its own name.
    ///
    /// Only syntax is enforced: the first malformed line throws. Semantic slips such as
    /// interleaved families, a late or repeated TYPE, a missing final newline or bad
    /// buckets still parse; `problems(in:)` reports them. Timestamps are dropped.
    public static func parse(_ text: String) throws(ExpositionError) -> [ExpositionFamily] {
        var lines: [(number: Int, line: ExpositionLine)] = []
        for raw in RawLine.split(text) {
            lines.append((raw.number, try LineLexer.lex(raw).get()))
        }
        return group(lines.map(\.line))
    }

    /// Builds families from lexed lines. The first HELP for a name wins.
    static func group(_ lines: [ExpositionLine]) -> [ExpositionFamily] {
        let resolver = FamilyResolver(lines)
        var families: [ExpositionFamily] = []
        var position: [String: Int] = [:]
        func slot(_ name: String) -> Int {
            if let existing = position[name] { return existing }
            families.append(ExpositionFamily(name: name, type: resolver.type(of: name)))
            position[name] = families.count - 1
            return families.count - 1
        }
        for line in lines {
            switch line {
            case .blank, .comment:
                break
            case .help(let name, let text):
                let index = slot(name)
                if families[index].help == nil { families[index].help = text }
            case .type(let name, _):
                _ = slot(name)
            case .sample(let sample):
                families[slot(resolver.family(of: sample.name))].samples.append(sample)
            }
        }
        return families
    }
}

/// Decides which family a sample name belongs to, from every HELP/TYPE line in the body
/// (so a TYPE that comes too late still groups consistently; the checker flags it).
struct FamilyResolver {
    private var types: [String: String] = [:]
    private var described: Set<String> = []

    init(_ lines: [ExpositionLine]) {
        for line in lines {
            switch line {
            case .help(let name, _):
                described.insert(name)
            case .type(let name, let type):
                described.insert(name)
                if types[name] == nil { types[name] = type }
            case .blank, .comment, .sample:
                break
            }
        }
    }

    /// The declared type, or `untyped`. The first TYPE line for a name wins.
    func type(of family: String) -> String { types[family] ?? "untyped" }

    /// Like expfmt: an exact HELP/TYPE name first, then summary/histogram suffixes.
    func family(of sampleName: String) -> String {
        if described.contains(sampleName) { return sampleName }
        for suffix in ["_bucket", "_sum", "_count"] where sampleName.hasSuffix(suffix) {
            let base = String(sampleName.dropLast(suffix.count))
            guard !base.isEmpty else { continue }
            let type = types[base]
            if type == "histogram" || (type == "summary" && suffix != "_bucket") { return base }
        }
        return sampleName
    }
}
