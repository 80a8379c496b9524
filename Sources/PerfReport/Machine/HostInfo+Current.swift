import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HostInfo {
    /// Describes the machine this process runs on.
    ///
    /// Fields the system does not reveal stay nil: the CPU model comes from `/proc/cpuinfo` on
    /// Linux and `machdep.cpu.brand_string` on macOS, the OS name from `/etc/os-release`.
    public static func current() -> HostInfo {
        let info = ProcessInfo.processInfo
        return HostInfo(
            hostname: info.hostName.isEmpty ? nil : info.hostName,
            os: operatingSystemName(),
            kernel: kernelRelease(),
            cpuModel: cpuModelName(),
            cores: info.activeProcessorCount,
            memoryBytes: Int(exactly: info.physicalMemory)
        )
    }

    /// The value of the first `model name` line of `/proc/cpuinfo` text.
    static func cpuModel(fromCPUInfo text: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "model name" else { continue }
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// `PRETTY_NAME` (else `NAME`) from `/etc/os-release` text, without its quotes.
    static func osName(fromOSRelease text: String) -> String? {
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            fields[String(parts[0])] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        return fields["PRETTY_NAME"] ?? fields["NAME"]
    }

    private static func operatingSystemName() -> String? {
        #if os(Linux)
        if let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8), let name = osName(fromOSRelease: text) {
            return name
        }
        return "Linux"
        #else
        return "macOS " + ProcessInfo.processInfo.operatingSystemVersionString
        #endif
    }

    private static func cpuModelName() -> String? {
        #if os(Linux)
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        return cpuModel(fromCPUInfo: text)
        #elseif canImport(Darwin)
        var size = 0
        guard sysctlbyname("machdep.cpu.brand_string", nil, &size, nil, 0) == 0, size > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: size)
        guard sysctlbyname("machdep.cpu.brand_string", &buffer, &size, nil, 0) == 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #else
        return nil
        #endif
    }

    private static func kernelRelease() -> String? {
        var name = utsname()
        guard uname(&name) == 0 else { return nil }
        let release = withUnsafeBytes(of: &name.release) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        return release.isEmpty ? nil : release
    }
}
