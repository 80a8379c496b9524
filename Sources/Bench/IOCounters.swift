import Foundation

/// The bytes a process has read and written through `read`/`write`-family calls, from
/// `/proc/<pid>/io` (`rchar`, `wchar`).
///
/// In `bench` nearly all of it is the loopback traffic between the load generator, the gateway
/// and the simulated nodes, all in this one process (NIO reads and writes sockets with `read`
/// and `write`/`writev`), so it is the process's own network traffic, unlike the interface
/// counters of `/proc/net/dev`, which every process of the network namespace adds to. The only
/// files read during a run are the sampler's own `/proc` readings, a few kilobytes each time.
/// Each byte that crosses loopback inside the process is counted once written and once read.
struct IOCounters: Sendable, Hashable {
    /// `rchar`: bytes passed to read calls.
    var readBytes: Double
    /// `wchar`: bytes passed to write calls.
    var writtenBytes: Double

    /// The timeline keys of the two rates: network, in bytes per second.
    static let receivedKey = "net_rx_bytes_per_second"
    static let sentKey = "net_tx_bytes_per_second"

    /// Parses the text of `/proc/<pid>/io`; `nil` when `rchar` or `wchar` is missing or not a number.
    static func parse(_ text: String) -> IOCounters? {
        var fields: [Substring: Double] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) else { continue }
            fields[parts[0]] = value
        }
        guard let read = fields["rchar"], let written = fields["wchar"] else { return nil }
        return IOCounters(readBytes: read, writtenBytes: written)
    }

    /// This process's counters, or `nil` where `/proc/self/io` is unreadable (not Linux, or restricted).
    static func readSelf() -> IOCounters? {
        (try? String(contentsOfFile: "/proc/self/io", encoding: .utf8)).flatMap(parse)
    }

    /// Bytes per second received and sent between `earlier` and these counters, `seconds` apart.
    func rates(since earlier: IOCounters, seconds: Double) -> [String: Double] {
        guard seconds > 0 else { return [:] }
        return [
            Self.receivedKey: max(0, readBytes - earlier.readBytes) / seconds,
            Self.sentKey: max(0, writtenBytes - earlier.writtenBytes) / seconds,
        ]
    }
}
