import ConfigFile
import Foundation

extension GatewayFile {
    /// `tls:`: the certificate and key the gateway serves HTTPS with, as `--tls-cert` and
    /// `--tls-key`; both or neither.
    ///
    /// ```yaml
    /// tls:
    ///   cert: /etc/ollamamax/gateway.crt   # PEM: the server certificate, then intermediates
    ///   key: /etc/ollamamax/gateway.key    # PEM: its private key, unencrypted
    /// node_ca: /etc/ollamamax/nodes-ca.pem # PEM roots trusted for https:// nodes, with the system's
    /// ```
    public struct TLS: Sendable, Hashable, Codable {
        public var cert: String?
        public var key: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case cert, key
        }
    }

    /// `configuration` with the file's `tls:` and `node_ca:` loaded into it; paths are relative
    /// to the directory of `source` (the file's own path) unless absolute.
    func applyTLS(to configuration: inout GatewayConfiguration, source: String) throws(ConfigError) {
        func path(_ given: String) -> String {
            given.hasPrefix("/") ? given : URL(fileURLWithPath: source).deletingLastPathComponent().appendingPathComponent(given).path
        }
        if let tls {
            guard let cert = tls.cert, let key = tls.key else {
                let missing = tls.cert == nil ? "cert" : "key"
                throw ConfigError("\(source): tls: cert and key go together; add \(missing) (a PEM file) or remove tls:")
            }
            do {
                configuration.tls = try ServerTLS.load(certificate: path(cert), key: path(key))
            } catch {
                throw ConfigError("\(source): tls: \(error.description)")
            }
        }
        if let nodeCA {
            do {
                configuration.nodeTrust = try NodeTrust.load(path: path(nodeCA))
            } catch {
                throw ConfigError("\(source): node_ca: \(error.description)")
            }
        }
    }
}
