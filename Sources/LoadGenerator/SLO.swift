import Foundation
import OllamaAPI

/// Service-level objectives a request must meet to count toward goodput (vLLM's `--goodput`).
///
/// Written as `ttft=500ms,itl=50ms,e2e=10s`; every bound is optional. In JSON the bounds are
/// seconds (`{"ttft": 0.5}`), as every time in a report.
public struct SLO: Sendable, Hashable, Codable {
    /// Largest acceptable time to first token.
    public var ttft: Duration?
    /// Largest acceptable **mean** inter-token gap of a request.
    public var itl: Duration?
    /// Largest acceptable end-to-end time.
    public var e2e: Duration?

    /// Creates an SLO; nil bounds are not checked.
    public init(ttft: Duration? = nil, itl: Duration? = nil, e2e: Duration? = nil) {
        self.ttft = ttft
        self.itl = itl
        self.e2e = e2e
    }

    /// The keys ``parse(_:)`` accepts.
    static let keys = ["ttft", "itl", "e2e"]

    /// Parses `key=duration` pairs separated by commas, e.g. `ttft=500ms,itl=50ms,e2e=10s`.
    ///
    /// Durations use Go syntax (`500ms`, `1.5s`, `2m`); a bare number is seconds.
    /// - Throws: ``LoadError`` naming the bad part: empty text or part, an unknown or repeated
    ///   key, a missing `=`, or a value that is not a duration ≥ 0.
    public static func parse(_ text: String) throws(LoadError) -> SLO {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .slo(text, "is empty (expected e.g. ttft=500ms,itl=50ms,e2e=10s)")
        }
        var slo = SLO()
        var seen: Set<String> = []
        for rawPart in text.split(separator: ",", omittingEmptySubsequences: false) {
            let part = String(rawPart).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !part.isEmpty else { throw .slo(text, "has an empty part (remove the extra comma)") }
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2 else {
                throw .slo(text, "\(LoadError.quoted(part)) is not key=duration (e.g. ttft=500ms)")
            }
            let key = String(pieces[0]).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            let value = String(pieces[1]).trimmingCharacters(in: .whitespacesAndNewlines)
            guard keys.contains(key) else {
                throw .slo(text, "unknown key \(LoadError.quoted(key)) (use \(keys.joined(separator: ", ")))")
            }
            guard seen.insert(key).inserted else { throw .slo(text, "\(key) is given twice") }
            guard let seconds = GoDuration.parse(value), seconds.isFinite, seconds >= 0 else {
                throw .slo(text, "\(key)=\(value): \(LoadError.quoted(value)) is not a duration ≥ 0 (use e.g. 500ms, 2s)")
            }
            switch key {
            case "ttft": slo.ttft = .seconds(seconds)
            case "itl": slo.itl = .seconds(seconds)
            default: slo.e2e = .seconds(seconds)
            }
        }
        return slo
    }

    /// True when `result` succeeded and meets every bound that is set.
    ///
    /// - `ttft`: the request's TTFT (a request with no first token fails this bound).
    /// - `itl`: the request's mean inter-token gap (``RequestResult/meanGap``), not a percentile
    ///   of its gaps, as vLLM and genai-perf define per-request ITL; a request with no gaps (one
    ///   chunk) has nothing to violate and meets it.
    /// - `e2e`: the request's end-to-end time.
    public func isMet(by result: RequestResult) -> Bool {
        guard result.succeeded else { return false }
        if let ttft {
            guard let measured = result.ttft, measured <= ttft.inSeconds else { return false }
        }
        if let itl, let gap = result.meanGap, gap > itl.inSeconds { return false }
        if let e2e, result.endToEnd > e2e.inSeconds { return false }
        return true
    }
}

extension SLO {
    private enum CodingKeys: String, CodingKey {
        case ttft, itl, e2e
    }

    /// Reads the bounds as seconds.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func bound(_ key: CodingKeys) throws -> Duration? {
            try container.decodeIfPresent(Double.self, forKey: key).map { .seconds($0) }
        }
        self.init(ttft: try bound(.ttft), itl: try bound(.itl), e2e: try bound(.e2e))
    }

    /// Writes the bounds as seconds; absent bounds are left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(ttft?.inSeconds, forKey: .ttft)
        try container.encodeIfPresent(itl?.inSeconds, forKey: .itl)
        try container.encodeIfPresent(e2e?.inSeconds, forKey: .e2e)
    }
}
