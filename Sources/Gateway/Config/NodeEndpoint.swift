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
    /// A bare `host:port` gets `http://`; anything but http(s) is refused with a message that
    /// says what to write instead.
    public static func parseURL(_ text: String) throws(ConfigError) -> String {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.contains("://") { trimmed = "http://" + trimmed }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw ConfigError("node URL \"\(text)\" is not a URL; write it as http://host:port")
        }
        guard scheme == "http" || scheme == "https" else {
            throw ConfigError("node URL \"\(text)\" uses \(scheme)://; only http:// and https:// nodes are supported")
        }
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }
}
