import Foundation
import Synchronization

/// One child process of a soak (a simulated node or the gateway): its output goes to a log
/// file, and the port of its `... listening on http://host:PORT` line is kept.
final class SoakChild: Sendable {
    /// The child's name in messages (`node 1`, `gateway`).
    let name: String
    // Configured before `run()` and then only read, signalled and polled; Foundation's Process is thread-safe for that.
    private let process: Mutex<Process>
    private let port = ListeningPort()
    private let log: URL

    /// Starts `executable arguments` with its stdout and stderr appended to `log`.
    init(name: String, executable: URL, arguments: [String], log: URL) throws(SoakError) {
        self.name = name
        self.log = log
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // The children serve loopback for this soak alone: no key from the caller's shell applies.
        for key in ["OLLAMAMAX_API_KEY", "OLLAMAMAX_NODES", "OLLAMA_HOST"] { environment.removeValue(forKey: key) }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let output: FileHandle
        do {
            output = try FileHandle(forWritingTo: log)
            try output.seekToEnd()
        } catch {
            throw .childFailed(name, "cannot write its log \(log.path): \(error)")
        }
        let pipe = Pipe()
        let port = self.port
        let pending = Mutex([UInt8]())
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                return
            }
            output.write(data)
            pending.withLock { pending in
                pending.append(contentsOf: data)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[..<newline], as: UTF8.self)
                    pending.removeSubrange(...newline)
                    if let found = Self.listeningPort(line) { port.value.withLock { $0 = $0 ?? found } }
                }
            }
        }
        process.standardOutput = pipe
        process.standardError = output
        do {
            try process.run()
        } catch {
            throw .childFailed(name, "cannot start \(executable.path): \(error)")
        }
        self.process = Mutex(process)
    }

    /// The child's process id.
    var pid: Int32 { process.withLock { $0.processIdentifier } }

    /// Whether the child still runs.
    var isRunning: Bool { process.withLock { $0.isRunning } }

    /// Waits (polling, at most `timeout`) until the child says which port it listens on.
    func listeningPort(within timeout: Duration) async throws(SoakError) -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let port = port.value.withLock({ $0 }) { return port }
            if !isRunning { throw .childFailed(name, "exited before listening; see \(log.path)") }
            try? await Task.sleep(for: .milliseconds(50))
        }
        throw .childFailed(name, "did not listen within \(timeout); see \(log.path)")
    }

    /// Sends `signal` to the child.
    func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// SIGTERM, then SIGKILL if the child still runs after `grace`; returns once it has exited
    /// (or after a bounded wait).
    func stop(grace: Duration = .seconds(5)) async {
        send(SIGTERM)
        if await waitForExit(within: grace) { return }
        send(SIGKILL)
        _ = await waitForExit(within: .seconds(5))
    }

    /// Polls until the child has exited, at most `timeout`; whether it has.
    func waitForExit(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !isRunning
    }

    /// The child's resident memory (`VmRSS` of /proc/PID/status) in bytes, `nil` when unreadable.
    func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        return Self.vmRSS(text)
    }

    /// `VmRSS:    12345 kB` of a /proc/PID/status text, in bytes.
    static func vmRSS(_ status: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }

    /// The port the child said it listens on, shared with its output reader.
    private final class ListeningPort: Sendable {
        let value = Mutex<Int?>(nil)
    }

    /// The port of a `... listening on http://host:PORT ...` line.
    static func listeningPort(_ line: String) -> Int? {
        guard let range = line.range(of: "listening on ") else { return nil }
        let url = line[range.upperBound...].prefix { $0 != " " }
        guard let colon = url.lastIndex(of: ":") else { return nil }
        return Int(url[url.index(after: colon)...])
    }
}
