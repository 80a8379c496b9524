import Crypto

/// One API key the gateway accepts: its name, the SHA-256 of the key (never the key), its role,
/// its limits and the models it may use.
public struct APIKey: Sendable, Hashable {
    /// What logs, metrics, `status` and error messages show instead of the key.
    public var name: String
    /// The SHA-256 of the key, 32 bytes.
    public var digest: [UInt8]
    public var role: Role
    /// Requests and tokens per minute; nil for no limit.
    public var limits: KeyLimits?
    /// The models the key may use; nil for every model.
    public var models: [String]?

    /// - Parameters:
    ///   - name: the key's name (`[A-Za-z0-9._-]`, at most 64 characters).
    ///   - digest: the SHA-256 of the key (``digest(of:)``).
    ///   - role: what the key may do.
    ///   - limits: its rate limits, nil for none.
    ///   - models: the models it may use, nil for every model.
    public init(name: String, digest: [UInt8], role: Role, limits: KeyLimits? = nil, models: [String]? = nil) {
        self.name = name
        self.digest = digest
        self.role = role
        self.limits = limits
        self.models = models
    }

    /// An entry for `key` itself, hashed here and not kept.
    public init(name: String, key: String, role: Role, limits: KeyLimits? = nil, models: [String]? = nil) {
        self.init(name: name, digest: Self.digest(of: key), role: role, limits: limits, models: models)
    }

    /// The SHA-256 of a key as the key file writes it, and as the gateway compares it.
    public static func digest(of key: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(key.utf8)))
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(digest)
    }

    /// Who a request with this key is.
    var caller: Caller {
        Caller(name: name, role: role, models: models)
    }

    /// The name of the admin key the `OLLAMAMAX_API_KEY` environment variable gives.
    public static let environmentKeyName = "OLLAMAMAX_API_KEY"

    /// Whether `name` is a usable key name: 1 to 64 of `A-Z a-z 0-9 . _ -` (it becomes a metric label).
    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    true
                case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): true
                default: false
                }
            }
    }
}
