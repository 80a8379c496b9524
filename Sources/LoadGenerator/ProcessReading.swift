/// One scrape of a target's own `GET /metrics`: the process figures `load` records as its
/// resource timeline. Pure: parsing and deriving rates do no I/O.
///
/// Read from Prometheus text (format 0.0.4), the families the OllamaMax gateway serves
/// (docs/metrics.md): `process_cpu_seconds_total`, `process_resident_memory_bytes`,
/// `process_threads`, and `ollamamax_network_receive_bytes_total` /
/// `ollamamax_network_transmit_bytes_total` summed over their `peer` labels.
public struct ProcessReading: Sendable, Hashable {
    /// User and system CPU seconds the process has used (a counter).
    public var cpuSeconds: Double
    /// Resident set size in bytes.
    public var residentBytes: Double
    /// Operating-system threads, when the target reports them.
    public var threads: Double?
    /// Body bytes received so far over every peer (a counter), when the target reports them.
    public var receivedBytes: Double?
    /// Body bytes sent so far over every peer (a counter), when the target reports them.
    public var transmittedBytes: Double?

    /// A reading with the given figures.
    public init(
        cpuSeconds: Double,
        residentBytes: Double,
        threads: Double? = nil,
        receivedBytes: Double? = nil,
        transmittedBytes: Double? = nil
    ) {
        self.cpuSeconds = cpuSeconds
        self.residentBytes = residentBytes
        self.threads = threads
        self.receivedBytes = receivedBytes
        self.transmittedBytes = transmittedBytes
    }

    /// Reads the process families out of Prometheus text; `nil` when the text lacks
    /// `process_cpu_seconds_total` or `process_resident_memory_bytes` (a target that serves no
    /// process metrics). Comment lines, other families and non-finite values are ignored;
    /// several samples of one family (label sets) are summed.
    public init?(metricsText: String) {
        var sums: [String: Double] = [:]
        for line in metricsText.split(whereSeparator: \.isNewline) {
            guard let (name, value) = Self.sample(line), Self.families.contains(String(name)) else { continue }
            sums[String(name), default: 0] += value
        }
        guard let cpu = sums["process_cpu_seconds_total"], let rss = sums["process_resident_memory_bytes"] else { return nil }
        self.init(
            cpuSeconds: cpu,
            residentBytes: rss,
            threads: sums["process_threads"],
            receivedBytes: sums["ollamamax_network_receive_bytes_total"],
            transmittedBytes: sums["ollamamax_network_transmit_bytes_total"]
        )
    }

    static let families: Set<String> = [
        "process_cpu_seconds_total", "process_resident_memory_bytes", "process_threads", "ollamamax_network_receive_bytes_total",
        "ollamamax_network_transmit_bytes_total",
    ]

    /// The metric name and value of one sample line (`name{labels} value [timestamp]`), or `nil`
    /// for a comment, a blank line or a value that is not a finite number.
    static func sample(_ line: Substring) -> (name: Substring, value: Double)? {
        let text = line.drop { $0 == " " || $0 == "\t" }
        guard !text.isEmpty, !text.hasPrefix("#") else { return nil }
        let name = text.prefix { $0 != "{" && $0 != " " && $0 != "\t" }
        var rest = text.dropFirst(name.count)
        if rest.hasPrefix("{") {
            // Label values may hold spaces and braces inside quotes; the set ends at the last `}`.
            guard let close = rest.lastIndex(of: "}") else { return nil }
            rest = rest[rest.index(after: close)...]
        }
        guard let token = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).first, let value = Double(token), value.isFinite else {
            return nil
        }
        return (name, value)
    }

    /// The timeline values of this reading, keyed as `bench` keys its own samples: `rss_bytes`
    /// and `threads` as read; with the previous reading taken `seconds` earlier, `cpu` (cores
    /// busy: CPU seconds per second) and `net_rx_bytes_per_second` / `net_tx_bytes_per_second`.
    /// A counter that went down (the target restarted) gives no rate rather than a wrong one.
    public func timelineValues(since previous: ProcessReading?, seconds: Double) -> [String: Double] {
        var values = ["rss_bytes": residentBytes]
        if let threads { values["threads"] = threads }
        guard let previous, seconds > 0 else { return values }
        func rate(_ now: Double?, _ before: Double?) -> Double? {
            guard let now, let before, now >= before else { return nil }
            return (now - before) / seconds
        }
        values["cpu"] = rate(cpuSeconds, previous.cpuSeconds)
        values["net_rx_bytes_per_second"] = rate(receivedBytes, previous.receivedBytes)
        values["net_tx_bytes_per_second"] = rate(transmittedBytes, previous.transmittedBytes)
        return values
    }
}
