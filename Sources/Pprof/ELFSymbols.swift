import Foundation

/// The function symbols of one ELF64 little-endian file (`.symtab`, else `.dynsym`) and its
/// loadable segments: what names an address of a running process without perf or a debugger.
///
/// Names stay in the file's bytes until asked for; a table of a 130 MB Swift binary (200,000
/// functions) costs its sorted starts and sizes.
public struct ELFSymbols: Sendable {
    /// A loadable segment: `fileSize` bytes at `offset` in the file, mapped at `address`.
    struct Segment: Sendable {
        var offset: UInt64
        var address: UInt64
        var fileSize: UInt64
    }

    struct Symbol: Sendable {
        var start: UInt64
        var size: UInt64
        var nameOffset: Int
    }

    private let bytes: Data
    private let segments: [Segment]
    private let symbols: [Symbol]

    /// The symbols of the file `bytes` (often memory-mapped); throws when it is not ELF64 LE.
    public init(elf bytes: Data) throws(ELFError) {
        self.bytes = bytes
        let reader = ELFReader(bytes: bytes)
        guard bytes.count >= 64, reader.u32(0) == 0x464C_457F, reader.u8(4) == 2, reader.u8(5) == 1 else {
            throw ELFError(reason: "not a 64-bit little-endian ELF file")
        }
        segments = try Self.segments(reader)
        symbols = try Self.functions(reader)
    }

    /// The function holding `offset` (a place in the file, as a mapped region's offset plus the
    /// distance into it), or nil.
    public func function(atFileOffset offset: UInt64) -> String? {
        guard let address = address(atFileOffset: offset) else { return nil }
        var low = 0
        var high = symbols.count
        while low < high {
            let middle = (low + high) / 2
            if symbols[middle].start <= address { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let symbol = symbols[low - 1]
        guard symbol.size == 0 || address < symbol.start + symbol.size else { return nil }
        return ELFReader(bytes: bytes).string(at: symbol.nameOffset)
    }

    /// The virtual address (as the file's symbols and debug information count) of `offset`, or
    /// nil when no loadable segment holds it.
    public func address(atFileOffset offset: UInt64) -> UInt64? {
        guard let segment = segments.first(where: { $0.offset <= offset && offset < $0.offset + $0.fileSize }) else { return nil }
        return offset - segment.offset + segment.address
    }

    /// Number of function symbols read.
    public var count: Int { symbols.count }

    private static func segments(_ reader: ELFReader) throws(ELFError) -> [Segment] {
        let offset = Int(reader.u64(0x20))
        let size = Int(reader.u16(0x36))
        let count = Int(reader.u16(0x38))
        guard size >= 56, offset + size * count <= reader.bytes.count else { throw ELFError(reason: "program headers out of the file") }
        return (0..<count).compactMap { index in
            let base = offset + index * size
            guard reader.u32(base) == 1 else { return nil }  // PT_LOAD
            return Segment(offset: reader.u64(base + 8), address: reader.u64(base + 16), fileSize: reader.u64(base + 32))
        }
    }

    /// FUNC and IFUNC symbols with an address, sorted by it, from `.symtab` (or `.dynsym`).
    private static func functions(_ reader: ELFReader) throws(ELFError) -> [Symbol] {
        let offset = Int(reader.u64(0x28))
        let size = Int(reader.u16(0x3A))
        let count = Int(reader.u16(0x3C))
        guard count == 0 || (size >= 64 && offset + size * count <= reader.bytes.count) else {
            throw ELFError(reason: "section headers out of the file")
        }
        // type, link (string table), offset, size, entry size per section
        let sections = (0..<count).map { index in
            let base = offset + index * size
            return (
                type: reader.u32(base + 4), link: Int(reader.u32(base + 40)), offset: Int(reader.u64(base + 24)),
                size: Int(reader.u64(base + 32)), entry: Int(reader.u64(base + 56))
            )
        }
        guard let table = sections.first(where: { $0.type == 2 }) ?? sections.first(where: { $0.type == 11 }) else { return [] }
        guard table.link < sections.count, table.entry >= 24, table.offset + table.size <= reader.bytes.count else {
            throw ELFError(reason: "symbol table out of the file")
        }
        let strings = sections[table.link].offset
        var symbols: [Symbol] = []
        symbols.reserveCapacity(table.size / table.entry)
        for base in stride(from: table.offset, to: table.offset + table.size, by: table.entry) {
            let kind = reader.u8(base + 4) & 0xF
            let value = reader.u64(base + 8)
            guard kind == 2 || kind == 10, value != 0 else { continue }  // STT_FUNC, STT_GNU_IFUNC
            symbols.append(Symbol(start: value, size: reader.u64(base + 16), nameOffset: strings + Int(reader.u32(base))))
        }
        return symbols.sorted { ($0.start, $1.size) < ($1.start, $0.size) }
    }
}

/// A file that could not be read as ELF: says why.
public struct ELFError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

/// Little-endian fields at byte offsets of an ELF file; out-of-range reads give 0.
struct ELFReader {
    let bytes: Data

    func u8(_ offset: Int) -> UInt8 { offset < bytes.count ? bytes[bytes.startIndex + offset] : 0 }
    func u16(_ offset: Int) -> UInt16 { UInt16(truncatingIfNeeded: field(offset, 2)) }
    func u32(_ offset: Int) -> UInt32 { UInt32(truncatingIfNeeded: field(offset, 4)) }
    func u64(_ offset: Int) -> UInt64 { field(offset, 8) }

    private func field(_ offset: Int, _ width: Int) -> UInt64 {
        guard offset >= 0, offset + width <= bytes.count else { return 0 }
        var value: UInt64 = 0
        for index in (0..<width).reversed() { value = value << 8 | UInt64(bytes[bytes.startIndex + offset + index]) }
        return value
    }

    /// The NUL-terminated string at `offset`.
    func string(at offset: Int) -> String? {
        guard offset >= 0, offset < bytes.count else { return nil }
        let start = bytes.startIndex + offset
        guard let end = bytes[start...].firstIndex(of: 0) else { return nil }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
