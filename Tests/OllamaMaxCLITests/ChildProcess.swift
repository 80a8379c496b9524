import Foundation
import Synchronization

/// A child process for tests: output goes to files (no pipe to fill up), exit is awaited
/// without blocking a thread.
final class ChildProcess: @unchecked Sendable {
    // `process` is configured before `run()` and only read afterwards; Process itself is thread-safe for that.
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL
    /// Lines of stdout as they are written, for waiting on a line without polling.
    private let lines: AsyncStream<String>
    private let lineSink: AsyncStream<String>.Continuation
    private let pipe = Pipe()

    init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ollamamax-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        stdoutURL = directory.appendingPathComponent("stdout")
        stderrURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        (lines, lineSink) = AsyncStream<String>.makeStream()
        let output = try FileHandle(forWritingTo: stdoutURL)
        let sink = lineSink
        let pending = Mutex(Data())
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                sink.finish()
                return
            }
            output.write(data)
            pending.withLock { pending in
                pending.append(data)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    sink.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
        }
        process.standardOutput = pipe
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
    }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Starts the process and returns its exit code when it ends.
    func run() async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { process in continuation.resume(returning: process.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }

    /// Starts the process in the background.
    func start() throws {
        try process.run()
    }

    /// Waits for the first stdout line containing `text`; fails if stdout closes first.
    func waitForLine(containing text: String) async throws -> String {
        for await line in lines where line.contains(text) {
            return line
        }
        throw ChildProcessError("no line containing \"\(text)\"; stdout: \(stdout) stderr: \(stderr)")
    }

    func stop() {
        if process.isRunning {
            process.interrupt()
            process.waitUntilExit()
        }
    }

    /// The package's root directory.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The built `ollama-distributed` next to the test bundle.
    static var binary: URL {
        Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("ollama-distributed")
            ?? packageRoot.appendingPathComponent(".build/debug/ollama-distributed")
    }
}

struct ChildProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
