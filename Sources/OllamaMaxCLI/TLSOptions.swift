import ArgumentParser
import Gateway

/// `--tls-cert FILE --tls-key FILE`: the certificate a server (`start`, `node-sim`) serves
/// HTTPS with.
struct ServerTLSOptions: ParsableArguments {
    @Option(
        name: .customLong("tls-cert"),
        help: "Serve HTTPS with this PEM certificate chain (the server's certificate first); needs --tls-key."
    )
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "The PEM private key of --tls-cert (unencrypted).")
    var tlsKey: String?

    /// The two files, read and checked; nil when neither flag is given.
    /// - Throws: ``CLIError`` (exit 2) when one flag comes without the other, or a file is
    ///   missing, unreadable, not PEM, or the key is not the certificate's.
    func load() throws(CLIError) -> ServerTLS? {
        switch (tlsCert, tlsKey) {
        case (nil, nil):
            return nil
        case (let cert?, nil):
            throw .invalidInput("--tls-cert \(cert) needs --tls-key: give both --tls-cert and --tls-key (the certificate and its key)")
        case (nil, let key?):
            throw .invalidInput("--tls-key \(key) needs --tls-cert: give both --tls-cert and --tls-key (the certificate and its key)")
        case (let cert?, let key?):
            do {
                return try ServerTLS.load(certificate: cert, key: key)
            } catch {
                throw .invalidInput("\(error.part == .key ? "--tls-key" : "--tls-cert") \(error.description)")
            }
        }
    }
}

/// `start`'s TLS flags: ``ServerTLSOptions`` and `--node-ca FILE`, the CA that signs the
/// certificates of `https://` nodes.
struct GatewayTLSOptions: ParsableArguments {
    @OptionGroup var server: ServerTLSOptions

    @Option(
        name: .customLong("node-ca"),
        help: "PEM file of CA certificates trusted for https:// nodes, besides the system's (a private CA)."
    )
    var nodeCA: String?

    /// `configuration` with these flags laid over the config file's `tls:` and `node_ca:`.
    func apply(to configuration: inout GatewayConfiguration) throws(CLIError) {
        if let tls = try server.load() { configuration.tls = tls }
        if let nodeCA {
            do {
                configuration.nodeTrust = try NodeTrust.load(path: nodeCA)
            } catch {
                throw .invalidInput("--node-ca \(error.description)")
            }
        }
    }

    /// The scheme clients reach `configuration`'s gateway with.
    static func scheme(_ configuration: GatewayConfiguration) -> String {
        configuration.tls == nil ? "http" : "https"
    }
}
