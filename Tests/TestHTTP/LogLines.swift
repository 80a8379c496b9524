import Logging
import Synchronization

/// A log handler that keeps each line as `level message key=value...` (keys sorted), so a test
/// can read everything that was logged (and check that no secret was).
public final class LogLines: LogHandler, Sendable {
    private let lines = Mutex<[String]>([])
    private let level = Mutex<Logger.Level>(.trace)

    public init() {}

    /// Every line so far.
    public var all: [String] { lines.withLock { $0 } }

    /// A logger writing here.
    public var logger: Logger { Logger(label: "test") { _ in self } }

    public var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    public var logLevel: Logger.Level {
        get { level.withLock { $0 } }
        set { level.withLock { $0 = newValue } }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    public func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        lines.withLock { $0.append(([event.level.rawValue, "\(event.message)"] + fields).joined(separator: " ")) }
    }
}
