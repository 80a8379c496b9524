import Foundation
import Synchronization

/// Ctrl-C during a run: stop sending, keep what finished, still print and write the results.
///
/// ``install()`` clears the flag before it sets the handler, so the handler only does an atomic
/// store (async-signal-safe); a run polls ``raised`` through its `stop` closure.
public enum InterruptSignal {
    private static let flag = Atomic<Bool>(false)

    /// Clears the flag and makes SIGINT set it instead of ending the process.
    /// - Returns: the check to pass as a run's `stop`.
    @discardableResult
    public static func install() -> @Sendable () -> Bool {
        flag.store(false, ordering: .relaxed)
        signal(SIGINT) { _ in InterruptSignal.flag.store(true, ordering: .relaxed) }
        return { InterruptSignal.raised }
    }

    /// Gives SIGINT back its default action (end the process); the flag keeps its value.
    public static func uninstall() {
        signal(SIGINT, SIG_DFL)
    }

    /// Whether SIGINT arrived since ``install()``.
    public static var raised: Bool { flag.load(ordering: .relaxed) }
}
