import ConfigFile
import Foundation

/// One Ollama server behind the gateway.
public struct NodeEndpoint: Sendable, Hashable, Codable {
    /// A stable name for logs, headers and metrics.
    public var id: String
    /// Base URL, `http://host:port` without a trailing slash.
    public var url: String
    /// The most requests the gateway sends this node at once.
    public var maxInFlight: Int
    /// The node's parallel slots per loaded model (its `OLLAMA_NUM_PARALLEL`).
    public var numParallel: Int

    public init(id: String, url: String, maxInFlight: Int = 8, numParallel: Int = 4) {
        self.id = id
        self.url = url
        self.maxInFlight = maxInFlight
        self.numParallel = numParallel
    }

    /// Parses a node URL as given on the command line or in `OLLAMAMAX_NODES`.
    ///
    /// A bare `host:port` gets `http://`; anything but http(s), and a URL with a user name or
    /// password, is refused with a message that says what to write instead.
    public static func parseURL(_ text: String) throws(ConfigError) -> String {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.contains("://") { trimmed = "http://" + trimmed }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw ConfigError("node URL \"\(text)\" is not a URL; write it as http://host:port")
        }
        guard scheme == "http" || scheme == "https" else {
            throw ConfigError("node URL \"\(text)\" uses \(scheme)://; only http:// and https:// nodes are supported")
        }
        // The gateway sends no credentials to a node, and the URL is shown by start, status, logs
        // and /ollamamax/nodes: a password in it would be printed everywhere, so it is refused
        // (and not repeated in the error).
        guard url.user == nil && url.password == nil else {
            let shown = "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
            throw ConfigError(
                "node URL \(shown) holds a user name or password (not shown); the gateway sends no credentials to nodes and "
                    + "would print them: remove them and reach the node over a private network or https://"
            )
        }
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }
}
