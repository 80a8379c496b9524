import Foundation

extension Metadata {
    /// Metadata for a run on this machine, now: host, git state of the current directory,
    /// the toolchain this module was compiled with, and `command` joined into one string.
    ///
    /// - Parameters:
    ///   - command: the command line, e.g. `CommandLine.arguments`; arguments containing
    ///     spaces or quotes are single-quoted so the string can be pasted into a shell.
    ///   - labels: free-form labels to attach.
    ///   - now: the timestamp to record; injected so tests can fix it.
    public static func current(
        command: [String] = CommandLine.arguments,
        labels: [String: String]? = nil,
        now: Date = Date()
    ) -> Metadata {
        Metadata(
            createdAt: timestamp(now),
            git: GitInfo.current(),
            host: HostInfo.current(),
            toolchain: compilerVersion,
            command: joinCommand(command),
            labels: labels
        )
    }

    /// An ISO-8601 UTC timestamp with seconds, e.g. `2026-11-29T08:47:00Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Arguments joined by spaces, single-quoting any that a shell would split or expand.
    static func joinCommand(_ arguments: [String]) -> String {
        let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./=:,+@%"))
        return arguments.map { argument in
            if !argument.isEmpty, argument.unicodeScalars.allSatisfy(safe.contains) { return argument }
            return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }

    /// The Swift compiler that built this module, to the minor version.
    static var compilerVersion: String {
        #if compiler(>=6.5)
        return "Swift 6.5 or later"
        #elseif compiler(>=6.4)
        return "Swift 6.4"
        #elseif compiler(>=6.3)
        return "Swift 6.3"
        #elseif compiler(>=6.2)
        return "Swift 6.2"
        #else
        return "Swift 6.1"
        #endif
    }
}
