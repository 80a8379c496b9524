/// One sample of resources over time, written as a flat JSON object:
/// `{"t": 1.5, "cpu": 0.42, "rss_bytes": 73400320}`.
///
/// `t` is seconds since the run started; every other key is a snake_case resource name
/// (`cpu` as a fraction of one core, `rss_bytes`, `open_fds`, …) with a finite number.
public struct TimelinePoint: Sendable, Hashable, Codable {
    /// Seconds since the start of the run.
    public var t: Double
    /// Resource readings at `t`, keyed by name; the key `t` is reserved.
    public var values: [String: Double]

    /// Creates a point; a `t` entry in `values` is ignored.
    public init(t: Double, values: [String: Double]) {
        self.t = t
        self.values = values.filter { $0.key != "t" }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes a flat object whose `t` key is required and whose other keys are numbers.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var values: [String: Double] = [:]
        for key in container.allKeys where key.stringValue != "t" {
            values[key.stringValue] = try container.decode(Double.self, forKey: key)
        }
        self.init(t: try container.decode(Double.self, forKey: Key(stringValue: "t")), values: values)
    }

    /// Encodes `t` and every value as keys of one object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(t, forKey: Key(stringValue: "t"))
        for (name, value) in values where name != "t" {
            try container.encode(value, forKey: Key(stringValue: name))
        }
    }
}
