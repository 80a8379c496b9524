import Foundation
import Pprof
import ServiceLifecycle
import Synchronization

/// Continuous profiling (`start --continuous-profiling`): a low-rate CPU profile of a short
/// window once per period, the recent windows kept (``ProfileWindows``) and merged on request
/// (`/debug/pprof/profile?since=15m`). It shares the gateway's ``CPUProfiler``, so an on-demand
/// profile asked for while a window records gets the profiler's "busy" answer.
public final class ContinuousProfiler: Service, Sendable {
    public struct Settings: Sendable, Hashable {
        /// Samples per second while a window records.
        public var hertz: Int
        /// How long each window records, whole seconds.
        public var window: Int
        /// How often a window starts.
        public var period: Duration
        /// How long windows are kept.
        public var keep: Duration

        public init(hertz: Int = 19, window: Int = 10, period: Duration = .seconds(60), keep: Duration = .seconds(3600)) {
            self.hertz = hertz
            self.window = window
            self.period = period
            self.keep = keep
        }
    }

    public let settings: Settings
    private let profiler: CPUProfiler
    private let store: Mutex<ProfileWindows>
    /// Why the last window failed, if it did (perf missing, not allowed): shown to `since=` callers.
    private let lastError = Mutex<String?>(nil)

    public init(profiler: CPUProfiler, settings: Settings = Settings()) {
        self.profiler = profiler
        self.settings = settings
        store = Mutex(ProfileWindows(keep: settings.keep))
    }

    /// Records one window now, then one per period, until the service group shuts down.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let started = ContinuousClock.now
                await self.recordWindow()
                try await Task.sleep(until: started + self.settings.period, clock: .continuous)
            }
        }
    }

    /// Records one window and keeps it.
    public func recordWindow() async {
        do {
            let profile = try await profiler.profile(seconds: settings.window, hertz: settings.hertz)
            store.withLock { $0.add(profile) }
            lastError.withLock { $0 = nil }
        } catch {
            lastError.withLock { $0 = error.description }
        }
    }

    /// The windows that ended at or after `since`, merged; nil when none is that recent.
    public func merged(since: Date) -> Perftools_Profiles_Profile? {
        store.withLock { $0.merged(since: since) }
    }

    /// The windows kept now.
    public var windows: Int { store.withLock { $0.windows.count } }

    /// Why the last window could not be recorded, if it could not.
    public var failure: String? { lastError.withLock { $0 } }
}
