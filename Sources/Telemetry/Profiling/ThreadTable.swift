/// One OS thread of the process, from `/proc/self/task/TID/stat`: what `/debug/pprof/goroutine`
/// lists with each thread's stack (``ThreadStacks``).
///
/// Swift tasks have no public list, so the threads that run them are the closest view: the NIO
/// event loops (`NIO-SGLTN-...`), the concurrency pool and anything blocked.
public struct ThreadInfo: Sendable, Hashable {
    public var id: Int
    public var name: String
    /// The kernel's state letter: R running, S sleeping, D waiting on I/O, ...
    public var state: String
    /// User plus system CPU time, in clock ticks.
    public var cpuTicks: Int

    public init(id: Int, name: String, state: String, cpuTicks: Int) {
        self.id = id
        self.name = name
        self.state = state
        self.cpuTicks = cpuTicks
    }

    /// Parses a `/proc/PID/task/TID/stat` line: `tid (name) state ...`, utime and stime being the
    /// 14th and 15th fields. The name may hold spaces and parentheses, so it ends at the last `)`.
    public static func parse(stat line: String) -> ThreadInfo? {
        guard let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")"), open < close,
            let id = Int(line[..<open].filter { !$0.isWhitespace })
        else { return nil }
        let fields = line[line.index(after: close)...].split(separator: " ")
        // fields[0] is the 3rd field (state); utime and stime are fields 14 and 15.
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return ThreadInfo(
            id: id,
            name: String(line[line.index(after: open)..<close]),
            state: String(fields[0]),
            cpuTicks: user + system
        )
    }
}
