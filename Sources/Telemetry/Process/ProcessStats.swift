import CMallInfo

/// glibc allocator statistics (from `mallinfo2`), in bytes; all zeros off glibc.
public struct HeapStats: Sendable, Hashable {
    /// Non-mmapped space obtained from the system (`arena`).
    public var arenaBytes: Int
    /// Space in mmapped regions, i.e. large allocations (`hblkhd`).
    public var mmapBytes: Int
    /// Bytes in allocated chunks (`uordblks`).
    public var inUseBytes: Int
    /// Bytes in free chunks, kept by the allocator (`fordblks`).
    public var freeBytes: Int
    /// Free bytes at the top of the heap that `malloc_trim` could return (`keepcost`).
    public var releasableBytes: Int

    /// Creates heap statistics.
    public init(arenaBytes: Int, mmapBytes: Int, inUseBytes: Int, freeBytes: Int, releasableBytes: Int) {
        self.arenaBytes = arenaBytes
        self.mmapBytes = mmapBytes
        self.inUseBytes = inUseBytes
        self.freeBytes = freeBytes
        self.releasableBytes = releasableBytes
    }

    /// The allocator's statistics right now, summed over all arenas.
    public static func read() -> HeapStats {
        let info = cmallinfo_read()
        return HeapStats(
            arenaBytes: Int(clamping: info.arena),
            mmapBytes: Int(clamping: info.hblkhd),
            inUseBytes: Int(clamping: info.uordblks),
            freeBytes: Int(clamping: info.fordblks),
            releasableBytes: Int(clamping: info.keepcost)
        )
    }

    /// `malloc_trim(0)`: gives the allocator's free memory back to the system; true when some
    /// was returned (always false off glibc).
    public static func trim() -> Bool {
        cmallinfo_trim() == 1
    }
}

/// What reading process statistics failed on: the file (or source) and what was wrong.
public struct ProcessStatsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file or call that failed, e.g. `/proc/self/stat` or `getrusage`.
    public var file: String
    /// What was wrong with it.
    public var problem: String

    /// Creates an error.
    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    /// `<file>: <problem>`.
    public var description: String { "\(file): \(problem)" }
}

/// The process's resource use: the Swift counterpart of Go's `process_*` collector.
public struct ProcessStats: Sendable, Hashable {
    /// User plus system CPU time (`getrusage(RUSAGE_SELF)`), in seconds.
    public var cpuSeconds: Double
    /// Resident set size in bytes (`/proc/self/stat` rss pages × page size).
    public var residentBytes: Int
    /// Virtual memory size in bytes (`/proc/self/stat` vsize).
    public var virtualBytes: Int
    /// Process start time in Unix seconds (boot time + start ticks / clock ticks per second).
    public var startTimeSeconds: Double
    /// Open file descriptors (entries of `/proc/self/fd`, not counting the one used to list it).
    public var openFDs: Int
    /// The soft `RLIMIT_NOFILE` limit, as Go's collector reports it; `Int.max` when unlimited.
    public var maxFDs: Int
    /// OS threads (`Threads:` in `/proc/self/status`).
    public var threads: Int
    /// glibc allocator statistics.
    public var heap: HeapStats

    /// Creates statistics from parts.
    public init(
        cpuSeconds: Double,
        residentBytes: Int,
        virtualBytes: Int,
        startTimeSeconds: Double,
        openFDs: Int,
        maxFDs: Int,
        threads: Int,
        heap: HeapStats
    ) {
        self.cpuSeconds = cpuSeconds
        self.residentBytes = residentBytes
        self.virtualBytes = virtualBytes
        self.startTimeSeconds = startTimeSeconds
        self.openFDs = openFDs
        self.maxFDs = maxFDs
        self.threads = threads
        self.heap = heap
    }

    /// Reads the current process's statistics from `/proc` and libc.
    ///
    /// Throws `ProcessStatsError` naming the file that could not be read or parsed, and
    /// on platforms other than Linux (there is no `/proc` to read).
    public static func read() throws(ProcessStatsError) -> ProcessStats {
        #if os(Linux)
        return try readLinux()
        #else
        throw ProcessStatsError(file: "/proc", problem: "unsupported platform: process statistics need Linux")
        #endif
    }
}

extension ProcessStats {
    /// Start ticks (field 22), vsize (23) and rss pages (24) from `/proc/<pid>/stat`.
    ///
    /// Fields are counted after the last `)`: the command name in field 2 may itself
    /// contain spaces and parentheses.
    public static func parseStat(
        _ text: String
    ) throws(ProcessStatsError) -> (startTicks: Int, virtualBytes: Int, rssPages: Int) {
        let file = "/proc/self/stat"
        guard let close = text.lastIndex(of: ")") else {
            throw ProcessStatsError(file: file, problem: "no ')' closing the command name")
        }
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        let fields = text[text.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count >= 22 else {
            throw ProcessStatsError(
                file: file,
                problem: "expected at least 24 fields, found \(fields.count + 2)"
            )
        }
        func number(_ field: Int, _ what: String) throws(ProcessStatsError) -> Int {
            guard let value = Int(fields[field - 3]), value >= 0 else {
                throw ProcessStatsError(
                    file: file,
                    problem: "field \(field) (\(what)) is \"\(fields[field - 3])\", not a count"
                )
            }
            return value
        }
        return (try number(22, "starttime"), try number(23, "vsize"), try number(24, "rss"))
    }

    /// The `btime` line of `/proc/stat`: boot time in Unix seconds.
    public static func parseBootTime(_ procStat: String) throws(ProcessStatsError) -> Int {
        try field("btime", in: procStat, file: "/proc/stat")
    }

    /// The `Threads:` line of `/proc/<pid>/status`.
    public static func parseThreads(_ status: String) throws(ProcessStatsError) -> Int {
        try field("Threads:", in: status, file: "/proc/self/status")
    }

    /// The integer after `key` on the line starting with it.
    private static func field(_ key: String, in text: String, file: String) throws(ProcessStatsError) -> Int {
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.first == Substring(key) else { continue }
            guard parts.count == 2, let value = Int(parts[1]), value >= 0 else {
                throw ProcessStatsError(file: file, problem: "malformed \(key) line: \"\(line)\"")
            }
            return value
        }
        throw ProcessStatsError(file: file, problem: "no \(key) line")
    }
}
