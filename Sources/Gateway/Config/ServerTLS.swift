import NIOSSL

/// The certificate and key the gateway serves HTTPS with (`--tls-cert`, `--tls-key`, or `tls:`
/// in the config file), read and checked once at start.
///
/// HTTP/1.1 over TLS 1.2 or 1.3, `http/1.1` advertised by ALPN. The TLS context is made when the
/// files are loaded, so a key that does not match its certificate fails there, before the
/// gateway listens, and never on a client's connection.
public struct ServerTLS: Sendable, Hashable {
    /// The PEM file with the server certificate, then any intermediates.
    public let certificatePath: String
    /// The PEM file with the certificate's private key.
    public let keyPath: String
    /// The certificates of ``certificatePath``, the server's first.
    public let certificateChain: [NIOSSLCertificate]
    /// The server TLS configuration of the two files (what a server made with it serves).
    public let configuration: TLSConfiguration
    /// The TLS context every client connection's handshake uses.
    let context: NIOSSLContext

    /// Reads and checks the two files.
    /// - Parameters:
    ///   - certificate: the PEM certificate chain, the server's certificate first.
    ///   - key: the PEM private key of that certificate, unencrypted.
    /// - Throws: ``TLSFileError`` naming the file that is missing, unreadable, not PEM, or whose
    ///   key does not belong to the certificate.
    public static func load(certificate: String, key: String) throws(TLSFileError) -> ServerTLS {
        let chain = try PEMFile.certificates(certificate, .certificate, kind: "the server's certificate (then any intermediates)")
        let keyBytes = try PEMFile.read(key, .key, kind: "the certificate's private key")
        guard let privateKey = try? NIOSSLPrivateKey(bytes: keyBytes, format: .pem) else { throw .noKey(key) }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(privateKey)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        guard let context = try? NIOSSLContext(configuration: configuration) else {
            throw .keyMismatch(key, certificate: certificate)
        }
        return ServerTLS(
            certificatePath: certificate,
            keyPath: key,
            certificateChain: chain,
            configuration: configuration,
            context: context
        )
    }

    public static func == (lhs: ServerTLS, rhs: ServerTLS) -> Bool {
        lhs.certificatePath == rhs.certificatePath && lhs.keyPath == rhs.keyPath && lhs.certificateChain == rhs.certificateChain
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(certificatePath)
        hasher.combine(keyPath)
        hasher.combine(certificateChain)
    }
}

/// Extra certificate authorities the gateway trusts for `https://` nodes (`--node-ca`, or
/// `node_ca:` in the config file), on top of the system's: a private CA's root, for instance.
public struct NodeTrust: Sendable, Hashable {
    /// The PEM file the roots came from.
    public let path: String
    /// Its certificates.
    public let roots: [NIOSSLCertificate]

    /// Reads `path`: one or more PEM certificates.
    /// - Throws: ``TLSFileError`` when it is missing, unreadable or holds no certificate.
    public static func load(path: String) throws(TLSFileError) -> NodeTrust {
        NodeTrust(path: path, roots: try PEMFile.certificates(path, .authority, kind: "the CA certificates that sign the nodes' certificates"))
    }

    /// What the gateway's connections to nodes verify certificates with: the system's roots,
    /// plus `trust`'s.
    static func clientConfiguration(_ trust: NodeTrust?) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let trust { configuration.additionalTrustRoots = [.certificates(trust.roots)] }
        return configuration
    }
}
