import ConfigFile
import Foundation

/// The node the gateway uses when it was given none: the Ollama that every Ollama tool talks
/// to, named by `OLLAMA_HOST` or Ollama's default `http://127.0.0.1:11434`.
public enum OllamaHost {
    /// Ollama's own default address.
    public static let defaultURL = "http://127.0.0.1:11434"

    /// Where the fallback node came from.
    public enum Source: Sendable, Hashable {
        /// `OLLAMA_HOST`, with the value as given.
        case environment(String)
        /// Unset or empty: Ollama's default.
        case ollamaDefault
    }

    /// The node URL and why it is that one, for an `OLLAMA_HOST` value (nil or blank: unset).
    public static func resolve(_ value: String?) throws(ConfigError) -> (url: String, source: Source) {
        guard let value, !clean(value).isEmpty else { return (defaultURL, .ollamaDefault) }
        return (try url(value), .environment(value))
    }

    /// The node URL an `OLLAMA_HOST` value names, by the rules of Ollama's `envconfig.Host`.
    ///
    /// Quotes and spaces around the value are dropped; without `scheme://` it is `http`;
    /// `host`, `host:port`, `:port`, `[v6]:port` and a bare IP are accepted, a missing port is
    /// 11434 (80 or 443 when the scheme is written), and a path after the host is kept. An
    /// empty or unspecified host (`:11434`, `0.0.0.0`, `::`) is a server's "every address"
    /// and means this machine to a client, so it becomes the loopback address. Unlike Ollama,
    /// which warns and falls back to its default port, a port that is not a number in 0-65535
    /// is an error: the gateway would otherwise send traffic somewhere nobody asked for.
    public static func url(_ value: String) throws(ConfigError) -> String {
        let text = clean(value)
        if text == "ollama.com" { return "https://ollama.com:443" }
        var scheme = "http"
        var hostport = text
        var defaultPort = "11434"
        if let range = text.range(of: "://") {
            scheme = text[..<range.lowerBound].lowercased()
            hostport = String(text[range.upperBound...])
            switch scheme {
            case "http": defaultPort = "80"
            case "https": defaultPort = "443"
            default:
                throw ConfigError(
                    "OLLAMA_HOST \"\(value)\" uses \(scheme)://; write http://host:port or host:port (as for Ollama)"
                )
            }
        }
        var path = ""
        if let slash = hostport.firstIndex(of: "/") {
            path = String(hostport[slash...])
            hostport = String(hostport[..<slash])
            while path.hasSuffix("/") { path.removeLast() }
        }
        var host: String
        var port: String
        if let split = splitHostPort(hostport) {
            (host, port) = split
        } else {
            host = hostport.trimmingCharacters(in: ["[", "]"])
            port = defaultPort
        }
        guard let number = Int(port), (0...65535).contains(number) else {
            throw ConfigError(
                "OLLAMA_HOST \"\(value)\": port \"\(port)\" is not a TCP port (0-65535); write host:port, e.g. 127.0.0.1:11434"
            )
        }
        switch host {
        case "", "0.0.0.0": host = "127.0.0.1"
        case "::": host = "::1"
        default: break
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart):\(number)\(path)"
    }

    /// The value as Ollama reads it: spaces, then quotes, then spaces trimmed.
    private static func clean(_ value: String) -> String {
        value.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["\"", "'"]).trimmingCharacters(in: .whitespaces)
    }

    /// Go's `net.SplitHostPort`: `host:port` or `[host]:port`; nil for a missing port or a bare
    /// IPv6 address (too many colons).
    static func splitHostPort(_ text: String) -> (host: String, port: String)? {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            let port = rest.dropFirst()
            guard !port.contains(":") else { return nil }
            return (String(text[text.index(after: text.startIndex)..<close]), String(port))
        }
        guard let colon = text.lastIndex(of: ":") else { return nil }
        let host = text[..<colon]
        guard !host.contains(":"), !host.contains("["), !host.contains("]") else { return nil }
        return (String(host), String(text[text.index(after: colon)...]))
    }
}
