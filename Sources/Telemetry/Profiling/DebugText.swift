import Foundation

/// The text of `/debug/pprof/heap?debug=1`, read from this process.
public enum DebugText {
    /// The allocator's statistics (`mallinfo2`) and the memory lines of `/proc/self/status`.
    ///
    /// How much, not where: the heap profile (``HeapSampler``) says where.
    public static func heap() -> String {
        heap(HeapStats.read(), status: (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? "")
    }

    /// `heap()` from given parts.
    public static func heap(_ stats: HeapStats, status: String) -> String {
        var text = "# heap (glibc mallinfo2, all arenas), bytes\n"
        text += "in_use_bytes \(stats.inUseBytes)\n"
        text += "free_bytes \(stats.freeBytes)\n"
        text += "arena_bytes \(stats.arenaBytes)\n"
        text += "mmap_bytes \(stats.mmapBytes)\n"
        text += "releasable_bytes \(stats.releasableBytes)\n"
        let wanted: Set<String> = ["VmRSS", "VmHWM", "RssAnon", "RssFile", "VmData", "Threads"]
        let lines = status.split(separator: "\n").filter { line in
            line.split(separator: ":").first.map { wanted.contains(String($0)) } ?? false
        }
        if !lines.isEmpty {
            text += "\n# /proc/self/status\n" + lines.map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") + "\n" }.joined()
        }
        return text
    }
}
