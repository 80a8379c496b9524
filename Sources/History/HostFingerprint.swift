import PerfReport

/// A short stable hash of what makes two machines comparable: OS, CPU model, core count and
/// memory (as package-benchmark compares processors, processor type and memory). The hostname
/// and kernel are left out, so identical CI runners share trends.
public enum HostFingerprint {
    /// 16 hex digits (FNV-1a 64 over `os|cpu_model|cores|memory_bytes`), or `unknown` without host data.
    public static func of(_ host: HostInfo?) -> String {
        guard let host, host.os != nil || host.cpuModel != nil || host.cores != nil || host.memoryBytes != nil else {
            return "unknown"
        }
        let text = [host.os ?? "", host.cpuModel ?? "", host.cores.map(String.init) ?? "", host.memoryBytes.map(String.init) ?? ""]
            .joined(separator: "|")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
