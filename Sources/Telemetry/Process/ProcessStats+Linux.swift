#if os(Linux)
import Glibc

extension ProcessStats {
    static func readLinux() throws(ProcessStatsError) -> ProcessStats {
        let stat = try parseStat(try readProcFile("/proc/self/stat"))
        let bootTime = try parseBootTime(try readProcFile("/proc/stat"))
        let threads = try parseThreads(try readProcFile("/proc/self/status"))
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        let ticksPerSecond = sysconf(Int32(_SC_CLK_TCK))
        guard pageSize > 0, ticksPerSecond > 0 else {
            throw ProcessStatsError(file: "sysconf", problem: "no page size or clock tick rate")
        }
        return ProcessStats(
            cpuSeconds: try cpuSeconds(),
            residentBytes: stat.rssPages * pageSize,
            virtualBytes: stat.virtualBytes,
            startTimeSeconds: Double(bootTime) + Double(stat.startTicks) / Double(ticksPerSecond),
            openFDs: try openFileDescriptors(),
            maxFDs: try fileDescriptorLimit(),
            threads: threads,
            heap: HeapStats.read()
        )
    }

    private static func cpuSeconds() throws(ProcessStatsError) -> Double {
        var usage = rusage()
        // Glibc imports RUSAGE_SELF as an enum case, but getrusage takes the raw typedef.
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else {
            throw ProcessStatsError(file: "getrusage", problem: errnoText())
        }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    private static func fileDescriptorLimit() throws(ProcessStatsError) -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            throw ProcessStatsError(file: "getrlimit(RLIMIT_NOFILE)", problem: errnoText())
        }
        // RLIM_INFINITY is UInt64.max.
        return Int(clamping: limit.rlim_cur)
    }

    /// Counts `/proc/self/fd`, skipping `.`, `..` and the descriptor `opendir` itself holds.
    private static func openFileDescriptors() throws(ProcessStatsError) -> Int {
        let path = "/proc/self/fd"
        guard let directory = opendir(path) else {
            throw ProcessStatsError(file: path, problem: "cannot open: \(errnoText())")
        }
        defer { closedir(directory) }
        let own = String(dirfd(directory))
        var count = 0
        // The name is read in place, up to its NUL: a record from getdents64 is only as long as its
        // name, so copying the whole `dirent` (`entry.pointee`) can read past the end of the
        // directory buffer, and crashed when the last record sat at the end of a page.
        guard let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) else {
            throw ProcessStatsError(file: path, problem: "dirent.d_name has no fixed offset")
        }
        while let entry = readdir(directory) {
            let name = String(cString: UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: CChar.self))
            if name != "." && name != ".." && name != own { count += 1 }
        }
        return count
    }

    /// Reads a whole file with read(2): procfs files report size 0, so size-first readers
    /// see them as empty.
    static func readProcFile(_ path: String) throws(ProcessStatsError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ProcessStatsError(file: path, problem: "cannot open: \(errnoText())") }
        defer { close(fd) }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if got == 0 { break }
            if got < 0 {
                if errno == EINTR { continue }
                throw ProcessStatsError(file: path, problem: "cannot read: \(errnoText())")
            }
            contents += buffer[0..<got]
        }
        return String(decoding: contents, as: UTF8.self)
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
#endif
