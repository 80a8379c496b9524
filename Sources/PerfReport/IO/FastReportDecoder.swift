import Foundation

/// Decodes a report's benchmarks straight from the bytes; Foundation decodes the rest.
///
/// A CI report of 10,000 benchmarks × 100 samples is about 28 MB of JSON, almost all of it
/// sample numbers, and `JSONDecoder` spends over a second per file on them through the Codable
/// containers. This decoder reads `benchmarks` itself and hands only the small `metadata` and
/// `timeline` values to `JSONDecoder`. It accepts exactly the JSON our encoder writes and
/// ordinary hand edits of it; anything it does not expect (an escape inside a name, an unknown
/// key, a syntax error) makes it return `nil`, and the caller falls back to `JSONDecoder`, whose
/// errors explain what is wrong.
struct FastReportDecoder {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    static func decode(_ data: Data) -> PerformanceReport? {
        data.withUnsafeBytes { raw in
            var decoder = FastReportDecoder(bytes: raw.bindMemory(to: UInt8.self))
            return decoder.report(data)
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private mutating func report(_ data: Data) -> PerformanceReport? {
        var version: Int?
        var metadata: Metadata?
        var benchmarks: [Benchmark]?
        var timeline: [TimelinePoint]?
        guard var more = open(UInt8(ascii: "{"), UInt8(ascii: "}")) else { return nil }
        while more {
            guard let key = key() else { return nil }
            switch key {
            case "schema_version":
                guard let number = number(), let whole = Int(exactly: number) else { return nil }
                version = whole
            case "metadata":
                guard let range = skipValue() else { return nil }
                metadata = try? JSONDecoder().decode(Metadata.self, from: Self.slice(data, range))
                if metadata == nil { return nil }
            case "timeline":
                guard let range = skipValue() else { return nil }
                if bytes[range.lowerBound] != UInt8(ascii: "n") {  // not null
                    timeline = try? JSONDecoder().decode([TimelinePoint].self, from: Self.slice(data, range))
                    if timeline == nil { return nil }
                }
            case "benchmarks":
                guard var more = open(UInt8(ascii: "["), UInt8(ascii: "]")) else { return nil }
                var list: [Benchmark] = []
                while more {
                    guard let benchmark = benchmark() else { return nil }
                    list.append(benchmark)
                    guard let next = next(UInt8(ascii: "]")) else { return nil }
                    more = next
                }
                benchmarks = list
            default:
                return nil
            }
            guard let next = next(UInt8(ascii: "}")) else { return nil }
            more = next
        }
        skipSpace()
        guard index == bytes.count, let version, let metadata, let benchmarks else { return nil }
        var report = PerformanceReport(metadata: metadata, benchmarks: benchmarks, timeline: timeline)
        report.schemaVersion = version
        return report
    }

    private mutating func benchmark() -> Benchmark? {
        var name: String?
        var group: String?
        var tags: [String] = []
        var metrics: [Metric]?
        guard var more = open(UInt8(ascii: "{"), UInt8(ascii: "}")) else { return nil }
        while more {
            guard let key = key() else { return nil }
            switch key {
            case "name": name = string()
            case "group":
                group = string()
                if group == nil { return nil }
            case "tags":
                guard var more = open(UInt8(ascii: "["), UInt8(ascii: "]")) else { return nil }
                while more {
                    guard let tag = string(), let next = next(UInt8(ascii: "]")) else { return nil }
                    tags.append(tag)
                    more = next
                }
            case "metrics":
                guard var more = open(UInt8(ascii: "["), UInt8(ascii: "]")) else { return nil }
                var list: [Metric] = []
                while more {
                    guard let metric = metric(), let next = next(UInt8(ascii: "]")) else { return nil }
                    list.append(metric)
                    more = next
                }
                metrics = list
            default: return nil
            }
            guard let next = next(UInt8(ascii: "}")) else { return nil }
            more = next
        }
        guard let name, let metrics else { return nil }
        return Benchmark(name: name, group: group, tags: tags, metrics: metrics)
    }

    private mutating func metric() -> Metric? {
        var name: String?
        var unit: String?
        var direction: Direction?
        var deterministic: Bool?
        var samples: [Double]?
        guard var more = open(UInt8(ascii: "{"), UInt8(ascii: "}")) else { return nil }
        while more {
            guard let key = key() else { return nil }
            switch key {
            case "name": name = string()
            case "unit": unit = string()
            case "direction": direction = string().flatMap(Direction.init(rawValue:))
            case "deterministic": deterministic = boolean()
            case "samples":
                guard var more = open(UInt8(ascii: "["), UInt8(ascii: "]")) else { return nil }
                var values: [Double] = []
                while more {
                    skipSpace()
                    guard let value = number(), let next = next(UInt8(ascii: "]")) else { return nil }
                    values.append(value)
                    more = next
                }
                samples = values
            case "summary":
                // Recomputed from the samples, as the Codable path does.
                guard skipValue() != nil else { return nil }
            default: return nil
            }
            guard let next = next(UInt8(ascii: "}")) else { return nil }
            more = next
        }
        guard let name, let unit, let direction, let deterministic, let samples else { return nil }
        return Metric(name: name, unit: unit, direction: direction, deterministic: deterministic, samples: samples)
    }

    // MARK: JSON pieces

    /// Consumes an opening bracket; returns whether the container has members (false when it
    /// closes at once), or nil when `opening` is not next.
    private mutating func open(_ opening: UInt8, _ closing: UInt8) -> Bool? {
        skipSpace()
        guard take(opening) else { return nil }
        skipSpace()
        return !take(closing)
    }

    /// After a member: true on a comma (another follows), false on `closing`, nil otherwise.
    private mutating func next(_ closing: UInt8) -> Bool? {
        skipSpace()
        if take(UInt8(ascii: ",")) { return true }
        if take(closing) { return false }
        return nil
    }

    /// `"key":`, leaving the position at the value.
    private mutating func key() -> String? {
        skipSpace()
        guard let key = string() else { return nil }
        skipSpace()
        guard take(UInt8(ascii: ":")) else { return nil }
        skipSpace()
        return key
    }

    private static func slice(_ data: Data, _ range: Range<Int>) -> Data {
        data.subdata(in: (data.startIndex + range.lowerBound)..<(data.startIndex + range.upperBound))
    }

    /// A string without escapes (names, units); one with escapes goes to the fallback.
    private mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    private mutating func number() -> Double? {
        let start = index
        while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
        guard index > start, index - start < 64 else { return nil }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    private mutating func boolean() -> Bool? {
        if matches("true") { return true }
        if matches("false") { return false }
        return nil
    }

    /// Skips any value (checking brackets and strings only) and returns its byte range.
    private mutating func skipValue() -> Range<Int>? {
        skipSpace()
        let start = index
        var depth = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return start..<index }
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 {
                    // The end of the enclosing container: a scalar value ended just before it.
                    index -= 1
                    return index > start ? start..<index : nil
                }
                depth -= 1
                if depth == 0 { return start..<index }
            case UInt8(ascii: ","), 0x20, 0x0A, 0x0D, 0x09:
                if depth == 0 {
                    index -= 1
                    return index > start ? start..<index : nil
                }
            default: break
            }
        }
        return depth == 0 && !inString && index > start ? start..<index : nil
    }

    private mutating func matches(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"),
            UInt8(ascii: "E"):
            true
        default: false
        }
    }
}
