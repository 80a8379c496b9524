import Foundation

/// The API key a command sends to an OllamaMax gateway: `Authorization: Bearer KEY`, taken from
/// `OLLAMAMAX_API_KEY`. Its description never shows the key.
public struct GatewayCredential: Sendable, Hashable, CustomStringConvertible {
    /// The environment variable the key is read from.
    public static let environmentVariable = "OLLAMAMAX_API_KEY"

    private let key: String

    /// A credential for `key`; nil when it is nil or blank.
    public init?(key: String?) {
        guard let key = key?.trimmingCharacters(in: .whitespaces), !key.isEmpty else { return nil }
        self.key = key
    }

    /// The key in `OLLAMAMAX_API_KEY`, if set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> GatewayCredential? {
        GatewayCredential(key: environment[environmentVariable])
    }

    /// The `Authorization` header value.
    public var authorization: String { "Bearer \(key)" }

    public var description: String { "API key from \(Self.environmentVariable)" }

    /// What to tell the user when the gateway at `url` answered `status` (401 or 403) to a
    /// command that needs a key of `role`; nil for any other status.
    /// - Parameters:
    ///   - sent: the credential the command sent, if any.
    public static func refusal(status: Int, url: String, role: String, sent: GatewayCredential?) -> String? {
        let fix = "set \(environmentVariable) to a key with role \(role)"
        switch (status, sent) {
        case (401, nil): return "the gateway at \(url) needs an API key (HTTP 401): \(fix)"
        case (401, _): return "the gateway at \(url) refused the key in \(environmentVariable) (HTTP 401, unknown key): \(fix)"
        case (403, _): return "the gateway at \(url) refused the key (HTTP 403, its role may not do this): \(fix)"
        default: return nil
        }
    }
}
