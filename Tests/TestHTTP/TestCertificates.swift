import AsyncHTTPClient
import Foundation
import PerfReport
import NIOSSL

extension ExternalTool {
    /// OpenSSL's command line, which makes the test certificates (Debian's `openssl` package).
    public static let openssl = ExternalTool("openssl", install: "run scripts/test.sh, or apt-get install -y openssl")
}

/// A private certificate authority and a server certificate it signed, made with `openssl` in a
/// fresh temporary directory: what a test serves HTTPS with and what its clients trust.
///
/// The server certificate names `IP:127.0.0.1` and `DNS:localhost`; both are P-256 keys, valid
/// for two days, with the extensions strict verifiers (Python 3.13's `VERIFY_X509_STRICT`)
/// require: a critical CA basic constraint and key usage on the CA, key identifiers on both.
public struct TestCertificates: Sendable {
    /// The directory that holds every file.
    public let directory: URL
    /// The CA's certificate (PEM): what clients trust.
    public var caPath: String { directory.appendingPathComponent("ca.pem").path }
    /// The server certificate (PEM), signed by the CA.
    public var certificatePath: String { directory.appendingPathComponent("server.pem").path }
    /// The server certificate's private key (PEM, unencrypted).
    public var keyPath: String { directory.appendingPathComponent("server.key").path }
    /// A second key that belongs to no certificate here, for mismatch tests.
    public var otherKeyPath: String { directory.appendingPathComponent("other.key").path }

    /// Makes the CA, the server certificate and a spare key.
    /// - Throws: ``ExternalTool/Missing`` without openssl, or an error with openssl's output
    ///   when a command fails.
    public static func make() async throws -> TestCertificates {
        try await offThePool { try makeNow() }
    }

    private static func makeNow() throws -> TestCertificates {
        let openssl = try ExternalTool.openssl.path()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ollamamax-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let made = TestCertificates(directory: directory)
        let leafExtensions = directory.appendingPathComponent("server.ext")
        try """
        subjectAltName = IP:127.0.0.1, DNS:localhost
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature
        extendedKeyUsage = serverAuth
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        """.write(to: leafExtensions, atomically: true, encoding: .utf8)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let steps: [[String]] = [
            ["req", "-x509"] + ec + [
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=OllamaMax test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-addext", "subjectKeyIdentifier=hash",
            ],
            ["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"],
            [
                "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", leafExtensions.path,
            ],
            ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "other.key"],
        ]
        for arguments in steps { try run(openssl, arguments, in: directory) }
        return made
    }

    /// Runs `body` with an HTTP client that trusts this CA (besides the system's roots), then
    /// shuts the client down.
    public func withHTTPClient<T: Sendable>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caPath))]
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.decompression = .disabled
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Writes `text` to a new file in ``directory`` and returns its path.
    public func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private static func run(_ openssl: URL, _ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = openssl
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: try output.fileHandleForReading.readToEndRetryingInterrupts(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CertificateError(description: "openssl \(arguments.joined(separator: " ")) failed: \(text)")
        }
    }

    /// An openssl command that failed, with its output.
    public struct CertificateError: Error, CustomStringConvertible {
        public let description: String
    }
}
