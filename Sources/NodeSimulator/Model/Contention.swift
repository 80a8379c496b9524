/// How requests decoding the same model at once slow each other down: the aggregate speed-up
/// curve s(k) of k requests decoded together in one batch, as llama.cpp's parallel slots do.
///
/// Each of k concurrent requests decodes at r(k) = r(1) · s(k) / k, so each inter-token gap is
/// stretched by k / s(k). s(1) = 1; s rises sublinearly: on a GPU decoding is memory-bound and a
/// batch reuses each weight read (aggregate speed grows), on a CPU it is compute-bound (it
/// barely grows). Between the points of a curve s is interpolated linearly in k; past the last
/// point it stays at the last value (the device is saturated: per-request speed falls as 1/k).
/// Measured figures: /work/shared/reference/serving-capacity.md (llama.cpp `batched-bench`).
public enum Contention: Sendable, Hashable {
    /// No contention: every request decodes at the model's full rate however many run (the
    /// simulator's behaviour before contention existed, and the default).
    case none
    /// A llama.cpp GPU server: s(2) = 1.22, s(4) = 1.79, s(8) = 3.35, s(16) = 5.82, s(32) = 11.2.
    case gpu
    /// A llama.cpp CPU server: s(2) = 1.14, s(3) = 1.18, s(4) = 1.2.
    case cpu
    /// Speed-ups s(1), s(2), ..., s(n) for k = 1 ... n concurrent decoders.
    case curve([Double])

    /// The GPU curve's points (k, s(k)), from llama.cpp PR #3545 (7B F16, batched-bench).
    static let gpuPoints: [(k: Int, speedup: Double)] = [(1, 1), (2, 1.22), (4, 1.79), (8, 3.35), (16, 5.82), (32, 11.2)]
    /// The CPU curve's points, from llama.cpp issue #3478 (Mistral 7B Q4_0 on 16 vCPUs).
    static let cpuPoints: [(k: Int, speedup: Double)] = [(1, 1), (2, 1.14), (3, 1.18), (4, 1.2)]

    /// The aggregate speed-up s(k) of `decoders` requests decoding together (k below 1 counts as 1).
    public func speedup(_ decoders: Int) -> Double {
        let k = max(1, decoders)
        switch self {
        case .none: return Double(k)
        case .gpu: return Self.interpolate(Self.gpuPoints, at: k)
        case .cpu: return Self.interpolate(Self.cpuPoints, at: k)
        case .curve(let values):
            guard !values.isEmpty else { return 1 }
            return values[min(k, values.count) - 1]
        }
    }

    /// How much longer each inter-token gap is with `decoders` requests decoding: k / s(k);
    /// exactly 1 for ``none`` and for a single decoder.
    public func gapFactor(_ decoders: Int) -> Double {
        if self == .none || decoders <= 1 { return 1 }
        return Double(decoders) / speedup(decoders)
    }

    /// Whether concurrent requests affect each other (prefills then split the prefill rate too).
    public var isShared: Bool { self != .none }

    /// What is wrong with a custom curve, for the configuration's `problems()`; `nil` when usable.
    public var problem: String? {
        guard case .curve(let values) = self else { return nil }
        guard let first = values.first else { return "needs at least one speed-up, s(1) = 1" }
        guard first == 1 else { return "s(1) must be 1 (one request decodes at the model's rate), got \(first)" }
        for (index, value) in values.enumerated().dropFirst() {
            let k = index + 1
            guard value.isFinite, value >= values[index - 1], value <= Double(k) else {
                return "s(\(k)) = \(value): each speed-up must be at least the one before and at most k (\(k))"
            }
        }
        return nil
    }

    /// Linear interpolation between the points around `k`; the last value past the end.
    private static func interpolate(_ points: [(k: Int, speedup: Double)], at k: Int) -> Double {
        guard let last = points.last, k < last.k else { return points.last?.speedup ?? 1 }
        guard let upper = points.firstIndex(where: { $0.k >= k }), upper > 0 else { return 1 }
        let (high, low) = (points[upper], points[upper - 1])
        if high.k == k { return high.speedup }
        let share = Double(k - low.k) / Double(high.k - low.k)
        return low.speedup + share * (high.speedup - low.speedup)
    }
}

extension Contention: LosslessStringConvertible {
    /// `none`, `gpu`, `cpu`, or speed-ups separated by commas (`1,1.5,1.8`), as the flag takes it.
    public init?(_ description: String) {
        let text = description.trimming(" \t\n").lowercased()
        switch text {
        case "none": self = .none
        case "gpu": self = .gpu
        case "cpu": self = .cpu
        default:
            let parts = text.split(separator: ",").map { Double(String($0).trimming(" \t")) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
            self = .curve(parts.compactMap { $0 })
        }
    }

    public var description: String {
        switch self {
        case .none: "none"
        case .gpu: "gpu"
        case .cpu: "cpu"
        case .curve(let values): values.map { "\($0)" }.joined(separator: ",")
        }
    }
}

extension Contention: Codable {
    /// A name (`none`, `gpu`, `cpu`) or a list of speed-ups (`[1, 1.5, 1.8]`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let values = try? container.decode([Double].self) {
            self = .curve(values)
            return
        }
        let name = try container.decode(String.self)
        guard let value = Contention(name) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "\"\(name)\" is not a contention; use none, gpu, cpu or a list of speed-ups such as [1, 1.5, 1.8]"
            )
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if case .curve(let values) = self {
            try container.encode(values)
        } else {
            try container.encode(description)
        }
    }
}
