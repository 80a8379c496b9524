import Foundation
import Testing

/// Tests whose assertions are about how the optimizer adapts to real simulated nodes under load:
/// a limit that falls when a node slows, a knee found among 2, 4 and 8 slots. They are correct
/// only while the machine gives the nodes their timing, which a thousand other tests running in
/// parallel on two cores do not. `scripts/test.sh` runs them in a phase of their own after the
/// rest (`OLLAMAMAX_LOAD_SENSITIVE_TESTS=1`); a plain `swift test` skips them, saying so.
public enum LoadSensitive {
    /// Whether this run is the load-sensitive phase.
    public static var selected: Bool { ProcessInfo.processInfo.environment["OLLAMAMAX_LOAD_SENSITIVE_TESTS"] == "1" }

    /// The trait of such a test.
    public static var phase: ConditionTrait {
        .enabled(
            if: selected,
            "load-sensitive: runs alone in scripts/test.sh's second phase, or with OLLAMAMAX_LOAD_SENSITIVE_TESTS=1 swift test --filter ..."
        )
    }
}
