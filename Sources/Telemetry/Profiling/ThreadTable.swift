/// The process's OS threads, from `/proc/self/task`: what `/debug/pprof/goroutine` shows.
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

    /// A table of `threads`, busiest first: id, state, CPU seconds and name.
    public static func table(_ threads: [ThreadInfo], ticksPerSecond: Int) -> String {
        let ticks = Double(max(1, ticksPerSecond))
        var text = "threads: \(threads.count)\n\n" + "tid\tstate\tcpu_seconds\tname\n"
        for thread in threads.sorted(by: { ($0.cpuTicks, $1.id) > ($1.cpuTicks, $0.id) }) {
            let seconds = (Double(thread.cpuTicks) / ticks * 100).rounded() / 100
            text += "\(thread.id)\t\(thread.state)\t\(seconds)\t\(thread.name)\n"
        }
        return text
    }
}
