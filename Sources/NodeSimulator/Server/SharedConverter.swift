import Foundation
import OllamaAPI
import Synchronization

/// One stream's event converter, shared by the closures of its ``NamedEventStream``; they run
/// one after another, the lock only makes that visible to the compiler.
final class SharedConverter<Converter: Sendable>: Sendable {
    private let converter: Mutex<Converter>

    init(_ converter: Converter) {
        self.converter = Mutex(converter)
    }

    func update<T: Sendable>(_ body: (inout Converter) -> T) -> T {
        converter.withLock { body(&$0) }
    }
}

extension SSEEvent {
    /// A named event (`event: NAME`) whose data is `value` as JSON.
    static func named(_ name: String, _ value: some Encodable) -> SSEEvent {
        SSEEvent(event: name, data: String(decoding: (try? OllamaJSON.encode(value)) ?? Data(), as: UTF8.self))
    }
}
