import Foundation

/// Where load goes: scheme, host, port and the path prefix of a server's base URL.
public struct LoadAddress: Sendable, Hashable {
    /// Whether the connection uses TLS (`https`).
    public var tls: Bool
    public var host: String
    public var port: Int
    /// The base URL's path without a trailing slash (`""` for `http://host:port`).
    public var basePath: String

    /// Parses a base URL such as `http://127.0.0.1:8080` or `https://gateway.example/ollama`.
    public init(url: String) throws(LoadError) {
        let scheme: Substring
        let rest: Substring
        if let range = url.range(of: "://") {
            scheme = url[..<range.lowerBound]
            rest = url[range.upperBound...]
        } else {
            throw .address(url, "has no scheme (use e.g. http://127.0.0.1:8080)")
        }
        switch scheme.lowercased() {
        case "http": tls = false
        case "https": tls = true
        default: throw .address(url, "scheme \"\(scheme)\" is not http or https")
        }
        let authority = rest.prefix { $0 != "/" }
        var path = String(rest.dropFirst(authority.count))
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
        let hostPart: Substring
        let portPart: Substring?
        if authority.hasPrefix("[") {
            // [::1]:8080
            guard let close = authority.firstIndex(of: "]") else { throw .address(url, "has an unclosed IPv6 bracket") }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            portPart = after.hasPrefix(":") ? after.dropFirst() : (after.isEmpty ? nil : after)
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        } else {
            hostPart = authority
            portPart = nil
        }
        guard !hostPart.isEmpty else { throw .address(url, "has no host") }
        host = String(hostPart)
        if let portPart {
            guard let port = Int(portPart), (1...65535).contains(port) else {
                throw .address(url, "port \"\(portPart)\" is not a number from 1 to 65535")
            }
            self.port = port
        } else {
            port = tls ? 443 : 80
        }
    }

    /// Whether the host is this machine by name: `localhost`, an address in 127.0.0.0/8, or `::1`.
    /// Only then are a target's process figures comparable with this machine's cores and memory.
    public var isLoopback: Bool {
        let name = host.lowercased()
        let ipv4Loopback = name.hasPrefix("127.") && name.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
        return ipv4Loopback || name == "localhost" || name.hasSuffix(".localhost") || name == "::1" || name == "0:0:0:0:0:0:0:1"
    }

    /// The `Host` header value.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (tls ? 443 : 80) ? name : "\(name):\(port)"
    }
}
