import Foundation
import NIOCore

/// Where the data plane connects for a node: host, port, TLS, and the base path every request
/// path is appended to. Parsed once from the node's URL (which configuration already checked).
struct NodeAddress: Sendable, Hashable {
    let host: String
    let port: Int
    let tls: Bool
    /// The URL's path without a trailing slash (`""` for `http://host:port`).
    let basePath: String
    /// The `Host` header the node expects.
    let hostHeader: String

    /// Parses `url` (`http[s]://host[:port][/base]`); nil when it is not such a URL.
    init?(url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", var host = components.host, !host.isEmpty
        else { return nil }
        // An IPv6 literal comes back in its brackets on some platforms; sockets want it bare.
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        tls = scheme == "https"
        self.host = host
        let defaultPort = tls ? 443 : 80
        port = components.port ?? defaultPort
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
        let shownHost = host.contains(":") ? "[\(host)]" : host
        hostHeader = port == defaultPort ? shownHost : "\(shownHost):\(port)"
    }

    /// Whether ``host`` is an IPv4 or IPv6 literal rather than a name.
    var hostIsIPAddress: Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}
