import Foundation

extension GitInfo {
    /// Asks git about the work tree at `directory` (the current directory when nil).
    ///
    /// Runs `git rev-parse HEAD`, `git rev-parse --abbrev-ref HEAD` and `git status --porcelain`.
    /// Any that fails (git missing, not a repository, no commits yet) leaves its field nil.
    public static func current(in directory: String? = nil) -> GitInfo {
        let commit = git(["rev-parse", "HEAD"], in: directory)
        let branch = git(["rev-parse", "--abbrev-ref", "HEAD"], in: directory)
        let status = commit == nil ? nil : git(["status", "--porcelain"], in: directory)
        return GitInfo(commit: commit, branch: branch, dirty: status.map { !$0.isEmpty })
    }

    /// Runs git with `arguments` and returns its trimmed standard output, or nil on any failure.
    private static func git(_ arguments: [String], in directory: String?) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        // Read before waiting: a full pipe would otherwise block git forever.
        let data = (try? output.fileHandleForReading.readToEndRetryingInterrupts()) ?? Data()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
