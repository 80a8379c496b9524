import Foundation
import Pprof
import Subprocess
import Synchronization
import SystemPackage

/// Adds file and line to a profile's locations from the binaries' debug information, through
/// `llvm-symbolizer` (Debian's `llvm`, or the Swift toolchain's, next to `swift`): what
/// `go tool pprof -lines` and `-list` show. Without the tool, or for a binary without debug
/// information, locations keep their function only. Answers are kept per (file, address).
public final class SourceLines: Sendable {
    /// The symbolizer, if found.
    public let symbolizer: URL?
    private let known = Mutex<[LineKey: SourceLine?]>([:])

    public init(
        searchPath: [String] = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
            + ["/opt/swift/usr/bin"]
    ) {
        symbolizer = searchPath.lazy.map { URL(fileURLWithPath: $0).appendingPathComponent("llvm-symbolizer") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Sets `filename` on functions and `line` on locations of `profile` whose mapping's file
    /// has line information; `symbols` turns a file offset into the address the file counts in.
    public func annotate(_ profile: inout Perftools_Profiles_Profile, symbols: ProcessSymbols) async {
        guard let symbolizer else { return }
        // (location index, file, address in the file), a return address counted at its call.
        var wanted: [(index: Int, key: LineKey)] = []
        for (index, location) in profile.location.enumerated() {
            let mappingIndex = Int(location.mappingID) - 1
            guard mappingIndex >= 0, mappingIndex < profile.mapping.count, location.address > 0 else { continue }
            let mapping = profile.mapping[mappingIndex]
            let path = profile.text(mapping.filename)
            guard location.address >= mapping.memoryStart,
                let address = symbols.fileAddress(path: path, fileOffset: location.address - 1 - mapping.memoryStart + mapping.fileOffset)
            else { continue }
            wanted.append((index, LineKey(path: path, address: address)))
        }
        let missing = Set(wanted.map(\.key)).subtracting(known.withLock { Set($0.keys) })
        for (path, keys) in Dictionary(grouping: missing, by: \.path) {
            let addresses = keys.map(\.address).sorted()
            for start in stride(from: 0, to: addresses.count, by: 1000) {
                let chunk = Array(addresses[start..<min(start + 1000, addresses.count)])
                let lines = await Self.lines(symbolizer, path: path, addresses: chunk)
                known.withLock { table in
                    for (offset, address) in chunk.enumerated() {
                        table[LineKey(path: path, address: address)] = offset < lines.count ? lines[offset] : nil
                    }
                }
            }
        }
        let table = known.withLock { $0 }
        var strings = Dictionary(profile.stringTable.enumerated().map { ($1, Int64($0)) }, uniquingKeysWith: { first, _ in first })
        func string(_ text: String) -> Int64 {
            if let index = strings[text] { return index }
            let index = Int64(profile.stringTable.count)
            profile.stringTable.append(text)
            strings[text] = index
            return index
        }
        let functionIndex = Dictionary(profile.function.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, key) in wanted {
            guard let found = table[key] ?? nil, !profile.location[index].line.isEmpty else { continue }
            profile.location[index].line[0].line = found.line
            if let function = functionIndex[profile.location[index].line[0].functionID], profile.function[function].filename == 0 {
                profile.function[function].filename = string(found.file)
            }
        }
    }

    /// `llvm-symbolizer`'s file and line for each of `addresses` in `path`, in order; nil where
    /// it knows none.
    static func lines(_ symbolizer: URL, path: String, addresses: [UInt64]) async -> [SourceLine?] {
        let arguments =
            ["--obj=\(path)", "--functions=none", "--inlining=false", "--output-style=GNU"]
            + addresses.map { "0x" + String($0, radix: 16) }
        guard
            let result = try? await Subprocess.run(
                .path(FilePath(symbolizer.path)),
                arguments: Arguments(arguments),
                input: .none,
                output: .string(limit: 64 << 20),
                error: .discarded
            ), result.terminationStatus == .exited(0)
        else { return [] }
        return result.standardOutput.split(separator: "\n", omittingEmptySubsequences: true).map { SourceLine.parse(String($0)) }
    }
}

/// A place in a source file.
public struct SourceLine: Sendable, Hashable {
    public var file: String
    public var line: Int64

    public init(file: String, line: Int64) {
        self.file = file
        self.line = line
    }

    /// `file:line` or `file:line (discriminator N)` as llvm-symbolizer's GNU style prints it; nil
    /// for `??:0` and the like.
    public static func parse(_ text: String) -> SourceLine? {
        let place = text.split(separator: " (discriminator").first.map(String.init) ?? text
        guard let colon = place.lastIndex(of: ":"), let line = Int64(place[place.index(after: colon)...]), line > 0 else { return nil }
        let file = String(place[..<colon])
        guard !file.isEmpty, file != "??" else { return nil }
        return SourceLine(file: file, line: line)
    }
}

struct LineKey: Hashable, Sendable {
    var path: String
    var address: UInt64
}
