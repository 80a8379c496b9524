/// package-benchmark's metric descriptions (`BenchmarkMetric.description`, 1.38) and the names,
/// units and directions this module gives them.
enum PackageBenchmarkMetrics {
    struct Mapping: Sendable {
        var name: String
        /// Unit for countable metrics; time units come from the export's `scoreUnit`.
        var unit: String
        var direction: Direction
        var deterministic: Bool
    }

    private static func lower(_ name: String, _ unit: String, exact: Bool = false) -> Mapping {
        Mapping(name: name, unit: unit, direction: .lowerIsBetter, deterministic: exact)
    }

    static let table: [String: Mapping] = [
        "Time (wall clock)": lower("wall_clock", "ns"),
        "Time (total CPU)": lower("cpu_total", "ns"),
        "Time (user CPU)": lower("cpu_user", "ns"),
        "Time (system CPU)": lower("cpu_system", "ns"),
        "Throughput (# / s)": Mapping(name: "throughput", unit: "ops/s", direction: .higherIsBetter, deterministic: false),
        "Memory (resident peak)": lower("peak_memory_resident", "B"),
        "Memory Δ (resident peak)": lower("peak_memory_resident_delta", "B"),
        "Memory (virtual peak)": lower("peak_memory_virtual", "B"),
        "Memory (allocated resident)": lower("allocated_resident_memory", "B"),
        "Memory leaked (resident)": lower("memory_leaked", "count", exact: true),
        "Malloc / free Δ (bytes)": lower("memory_leaked_bytes", "B", exact: true),
        "Malloc (small)": lower("allocations_small", "count", exact: true),
        "Malloc (large)": lower("allocations_large", "count", exact: true),
        "Malloc (total)": lower("allocations", "count", exact: true),
        "Malloc (bytes total)": lower("allocated_bytes", "B", exact: true),
        "Malloc / free Δ": lower("malloc_free_delta", "count", exact: true),
        "Free (total)": lower("frees", "count", exact: true),
        "Syscalls (total)": lower("syscalls", "count"),
        "Syscalls (read)": lower("read_syscalls", "count"),
        "Syscalls (write)": lower("write_syscalls", "count"),
        "Bytes (read logical)": lower("read_bytes_logical", "B"),
        "Bytes (write logical)": lower("write_bytes_logical", "B"),
        "Bytes (read physical)": lower("read_bytes_physical", "B"),
        "Bytes (write physical)": lower("write_bytes_physical", "B"),
        "Context switches": lower("context_switches", "count"),
        "Threads (peak)": lower("threads", "count"),
        "Threads (running)": lower("threads_running", "count"),
        "Instructions": lower("instructions", "count"),
        "Object allocs": lower("object_allocations", "count", exact: true),
        "Retains": lower("retains", "count", exact: true),
        "Releases": lower("releases", "count", exact: true),
        "(Alloc + Retain) - Release Δ": lower("retain_release_delta", "count", exact: true),
    ]

    /// `My Custom (metric)` → `my_custom_metric`.
    static func snakeCase(_ description: String) -> String {
        var result = ""
        for character in description.lowercased() {
            if character.isLetter || character.isNumber {
                result.append(character)
            } else if !result.isEmpty, result.last != "_" {
                result.append("_")
            }
        }
        while result.hasSuffix("_") { result.removeLast() }
        return result.isEmpty ? "metric" : result
    }
}
