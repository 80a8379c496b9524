import Foundation
import Testing

/// The SMTP relay of the e-mail tests: `Resources/smtp_server.py` (aiosmtpd) run with the Python
/// that `OLLAMAMAX_AIOSMTPD_PYTHON` names, on 127.0.0.1 and an ephemeral port.
///
/// Set it up once with `python3 -m venv .venv && .venv/bin/pip install aiosmtpd`, then run the
/// tests with `OLLAMAMAX_AIOSMTPD_PYTHON=$PWD/.venv/bin/python`; without it the SMTP tests are
/// skipped.
public final class TestSMTPRelay: Sendable {
    /// The Python to run the relay with, when configured.
    public static let python: String? = ProcessInfo.processInfo.environment["OLLAMAMAX_AIOSMTPD_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    /// Why the SMTP tests are skipped.
    public static let skipReason: Comment =
        "SMTP tests need aiosmtpd: python3 -m venv .venv && .venv/bin/pip install aiosmtpd, then set OLLAMAMAX_AIOSMTPD_PYTHON=$PWD/.venv/bin/python"

    /// What the relay offers.
    public struct Options: Sendable {
        /// Offer and require STARTTLS with a certificate made for 127.0.0.1.
        public var tls = false
        /// Require AUTH with this user and password.
        public var auth: (user: String, password: String)?
        /// Offer AUTH LOGIN only.
        public var loginOnly = false

        public init(tls: Bool = false, auth: (user: String, password: String)? = nil, loginOnly: Bool = false) {
            self.tls = tls
            self.auth = auth
            self.loginOnly = loginOnly
        }
    }

    /// A message the relay accepted.
    public struct Message: Sendable {
        public let mailFrom: String
        public let recipients: [String]
        public let tls: Bool
        public let user: String?
        public let helo: String?
        /// The message as received, dot-stuffing undone.
        public let text: String
    }

    public let port: Int
    /// The certificate it serves (PEM), the CA clients must trust; `nil` without TLS.
    public let certificate: String?
    private let directory: URL
    private let process: Process
    private let input: FileHandle

    /// Starts a relay; throws when Python or openssl are missing or the relay does not start.
    public static func start(_ options: Options = Options()) async throws -> TestSMTPRelay {
        guard let python = python else { throw TestServerError("OLLAMAMAX_AIOSMTPD_PYTHON is not set") }
        guard let script = Bundle.module.url(forResource: "smtp_server", withExtension: "py", subdirectory: "Resources") else {
            throw TestServerError("Resources/smtp_server.py is missing from the test bundle")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-relay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let messages = directory.appendingPathComponent("messages")
        try FileManager.default.createDirectory(at: messages, withIntermediateDirectories: true)
        var arguments = [script.path, "--directory", messages.path]
        var certificate: String?
        if options.tls {
            try await makeCertificate(in: directory)
            certificate = directory.appendingPathComponent("cert.pem").path
            arguments += ["--cert", directory.appendingPathComponent("cert.pem").path, "--key", directory.appendingPathComponent("key.pem").path]
        }
        if let auth = options.auth { arguments += ["--user", auth.user, "--password", auth.password] }
        if options.loginOnly { arguments.append("--login-only") }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.standardError
        try process.run()
        let reader = stdout.fileHandleForReading
        let line = try await within(.seconds(30), "the SMTP relay to print its port") { try await Self.firstLine(of: reader) }
        guard let port = Int(line) else {
            process.terminate()
            throw TestServerError("the SMTP relay printed \(line) instead of its port")
        }
        return TestSMTPRelay(port: port, certificate: certificate, directory: messages, process: process, input: stdin.fileHandleForWriting)
    }

    private init(port: Int, certificate: String?, directory: URL, process: Process, input: FileHandle) {
        self.port = port
        self.certificate = certificate
        self.directory = directory
        self.process = process
        self.input = input
    }

    /// The messages accepted so far, in order.
    public func messages() throws -> [Message] {
        var found: [Message] = []
        var number = 1
        while let meta = FileManager.default.contents(atPath: directory.appendingPathComponent("\(number).json").path) {
            let text = try String(contentsOf: directory.appendingPathComponent("\(number).eml"), encoding: .utf8)
            guard let object = try JSONSerialization.jsonObject(with: meta) as? [String: Any] else {
                throw TestServerError("\(number).json is not an object")
            }
            found.append(
                Message(
                    mailFrom: object["mail_from"] as? String ?? "",
                    recipients: object["rcpt_tos"] as? [String] ?? [],
                    tls: object["tls"] as? Bool ?? false,
                    user: object["user"] as? String,
                    helo: object["helo"] as? String,
                    text: text
                )
            )
            number += 1
        }
        return found
    }

    /// Stops the relay: closing its input ends it; it is terminated if it lingers.
    public func stop() async {
        try? input.close()
        let process = self.process
        let exited: Bool? = try? await within(.seconds(10), "the SMTP relay to exit") {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    process.waitUntilExit()
                    continuation.resume(returning: true)
                }
            }
        }
        if exited == nil { process.terminate() }
    }

    /// The first line `handle` gives, read off the concurrency pool.
    private static func firstLine(of handle: FileHandle) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var bytes = Data()
                while !bytes.contains(UInt8(ascii: "\n")) {
                    let chunk = handle.availableData
                    if chunk.isEmpty {
                        continuation.resume(throwing: TestServerError("the SMTP relay exited before printing its port"))
                        return
                    }
                    bytes.append(chunk)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
    }

    /// A self-signed certificate for 127.0.0.1 and localhost, made with openssl.
    private static func makeCertificate(in directory: URL) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", directory.appendingPathComponent("key.pem").path, "-out", directory.appendingPathComponent("cert.pem").path,
            "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = try await within(.seconds(30), "openssl to make a certificate") {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
                DispatchQueue.global().async {
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: String(decoding: data, as: UTF8.self))
                }
            }
        }
        guard process.terminationStatus == 0 else { throw TestServerError("openssl failed: \(text)") }
    }
}
