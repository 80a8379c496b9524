/// CPU samples as collapsed stacks, one line per distinct stack: `thread;root;...;leaf count`.
///
/// The format flame-graph tools (`flamegraph.pl`), speedscope and Pyroscope read. Built from the
/// text `perf script` prints for a `perf record -g` profile.
public struct FoldedStacks: Sendable, Hashable {
    /// Samples per stack, the stack written root first with `;` between frames.
    public var counts: [String: Int]

    public init(counts: [String: Int] = [:]) {
        self.counts = counts
    }

    /// All samples.
    public var samples: Int { counts.values.reduce(0, +) }

    /// One line per stack, the most sampled first (ties in name order), each ending in a newline.
    public var text: String {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.key) \($0.value)\n" }
            .joined()
    }

    /// Folds `perf script`'s default output (``PerfScript``). The thread name becomes the root
    /// frame, as `stackcollapse-perf.pl` does; a frame without a symbol is named after its object
    /// (`[libc.so.6]`). `demangle` turns a symbol into a readable name.
    public static func parse(perfScript text: String, demangle: (String) -> String = { $0 }) -> FoldedStacks {
        fold(PerfScript.samples(text), demangle: demangle)
    }

    /// Folds stacks given root first with their samples (e.g. read from a pprof profile).
    public init(stacks: [(frames: [String], samples: Int)]) {
        self.init()
        for stack in stacks where stack.samples > 0 {
            counts[stack.frames.map(Self.clean).joined(separator: ";"), default: 0] += stack.samples
        }
    }

    /// Folds samples: one line per distinct stack, root first.
    public static func fold(_ samples: [PerfScript.Sample], demangle: (String) -> String = { $0 }) -> FoldedStacks {
        var stacks = FoldedStacks()
        for sample in samples {
            let frames = sample.frames.reversed().map { clean($0.name(demangle: demangle)) }
            stacks.counts[([clean(sample.thread)] + frames).joined(separator: ";"), default: 0] += 1
        }
        return stacks
    }

    /// `;` separates frames and the last space separates the count, so a name keeps neither.
    static func clean(_ name: String) -> String {
        String(name.map { $0 == ";" ? ":" : ($0 == "\n" ? " " : $0) })
    }
}
