import Foundation
import NIOSSL

/// A certificate, key or CA file that cannot serve: which file, and what is wrong with it.
///
/// The description starts with the file's path; the caller puts the setting (or the flag) in
/// front of it, so the message says where the path came from too.
public struct TLSFileError: Error, CustomStringConvertible, Equatable {
    /// Which of the files it is.
    public enum Part: Sendable, Equatable {
        /// The server's certificate chain.
        case certificate
        /// The certificate's private key.
        case key
        /// CA certificates to trust.
        case authority
    }

    /// The file as it was given.
    public let path: String
    /// What the file was given as.
    public let part: Part
    /// What is wrong and what to do, without the path.
    public let problem: String

    public var description: String { "\(path): \(problem)" }

    static func unreadable(_ path: String, _ part: Part, _ kind: String) -> TLSFileError {
        let reason: String
        if !FileManager.default.fileExists(atPath: path) {
            reason = "no such file"
        } else if FileManager.default.isReadableFile(atPath: path) {
            reason = "cannot be read"
        } else {
            reason = "not readable by this user (check its permissions)"
        }
        return TLSFileError(path: path, part: part, problem: "\(reason); give a PEM file with \(kind)")
    }

    static func noCertificate(_ path: String, _ part: Part, _ kind: String) -> TLSFileError {
        TLSFileError(
            path: path,
            part: part,
            problem: "holds no PEM certificate (-----BEGIN CERTIFICATE-----); give a PEM file with \(kind)"
        )
    }

    static func noKey(_ path: String) -> TLSFileError {
        TLSFileError(
            path: path,
            part: .key,
            problem: "holds no PEM private key (-----BEGIN PRIVATE KEY----- or an RSA/EC key), or it is encrypted; "
                + "give the certificate's unencrypted private key"
        )
    }

    static func keyMismatch(_ path: String, certificate: String) -> TLSFileError {
        TLSFileError(
            path: path,
            part: .key,
            problem: "is not the private key of the certificate in \(certificate); give the key the certificate was made for"
        )
    }
}

/// PEM files read whole, with the error that names them.
enum PEMFile {
    /// The bytes of `path`, or the error that says why not; `kind` says what the file should hold.
    static func read(_ path: String, _ part: TLSFileError.Part, kind: String) throws(TLSFileError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path, part, kind) }
        return Array(data)
    }

    /// Every certificate in `path`, at least one.
    static func certificates(_ path: String, _ part: TLSFileError.Part, kind: String) throws(TLSFileError) -> [NIOSSLCertificate] {
        let bytes = try read(path, part, kind: kind)
        guard let found = try? NIOSSLCertificate.fromPEMBytes(bytes), !found.isEmpty else { throw .noCertificate(path, part, kind) }
        return found
    }
}
