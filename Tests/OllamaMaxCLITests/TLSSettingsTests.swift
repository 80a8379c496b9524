import ArgumentParser
import Foundation
import Gateway
import TestHTTP
import Testing

@testable import OllamaMaxCLI

/// `--tls-cert`, `--tls-key`, `--node-ca` and the config file's `tls:` and `node_ca:`: what they
/// load, and bad files refused with the flag (or key) and the file named, exit 2.
@Suite(ExternalTool.openssl.enabled)
struct TLSSettingsTests {
    typealias Start = OllamaDistributed.Start

    let certificates: TestCertificates

    init() async throws {
        certificates = try await TestCertificates.make()
    }

    /// The message of the ``CLIError`` (exit 2) that resolving `arguments` throws.
    func refusal(_ arguments: [String]) throws -> String {
        let command = try Start.parse(["--simulate", "1"] + arguments)
        do {
            _ = try command.resolve(environment: [:])
        } catch {
            #expect(error.code == 2, "\(error.message)")
            return error.message
        }
        Issue.record("\(arguments) was accepted")
        return ""
    }

    @Test func theFlagsLoadTheCertificateAndTheNodeCA() throws {
        let configuration = try Start.parse([
            "--simulate", "1", "--tls-cert", certificates.certificatePath, "--tls-key", certificates.keyPath,
            "--node-ca", certificates.caPath,
        ]).resolve(environment: [:]).configuration
        let tls = try #require(configuration.tls)
        #expect(tls.certificatePath == certificates.certificatePath)
        #expect(tls.certificateChain.count == 1)
        #expect(configuration.nodeTrust?.roots.count == 1)
        #expect(GatewayTLSOptions.scheme(configuration) == "https")
        let plain = try Start.parse(["--simulate", "1"]).resolve(environment: [:]).configuration
        #expect(plain.tls == nil && plain.nodeTrust == nil)
        #expect(GatewayTLSOptions.scheme(plain) == "http")
    }

    @Test func aCertificateWithoutItsKeyNamesBothFlags() throws {
        let cert = certificates.certificatePath
        let key = certificates.keyPath
        #expect(
            try refusal(["--tls-cert", cert])
                == "--tls-cert \(cert) needs --tls-key: give both --tls-cert and --tls-key (the certificate and its key)"
        )
        #expect(
            try refusal(["--tls-key", key])
                == "--tls-key \(key) needs --tls-cert: give both --tls-cert and --tls-key (the certificate and its key)"
        )
    }

    @Test func badFilesAreNamedWithWhatIsWrong() throws {
        let cert = certificates.certificatePath
        let key = certificates.keyPath
        let missing = certificates.directory.appendingPathComponent("missing.pem").path
        let garbage = try certificates.write("garbage.pem", "not a certificate\n")
        #expect(
            try refusal(["--tls-cert", missing, "--tls-key", key])
                == "--tls-cert \(missing): no such file; give a PEM file with the server's certificate (then any intermediates)"
        )
        #expect(
            try refusal(["--tls-cert", garbage, "--tls-key", key])
                == "--tls-cert \(garbage): holds no PEM certificate (-----BEGIN CERTIFICATE-----); "
                + "give a PEM file with the server's certificate (then any intermediates)"
        )
        #expect(try refusal(["--tls-cert", cert, "--tls-key", missing]).hasPrefix("--tls-key \(missing): no such file"))
        #expect(try refusal(["--tls-cert", cert, "--tls-key", garbage]).hasPrefix("--tls-key \(garbage): holds no PEM private key"))
        // A key is PEM but belongs to another certificate; the certificate file is no key either.
        #expect(
            try refusal(["--tls-cert", cert, "--tls-key", certificates.otherKeyPath])
                == "--tls-key \(certificates.otherKeyPath): is not the private key of the certificate in \(cert); "
                + "give the key the certificate was made for"
        )
        #expect(try refusal(["--tls-cert", cert, "--tls-key", cert]).hasPrefix("--tls-key \(cert): holds no PEM private key"))
        #expect(try refusal(["--node-ca", missing]).hasPrefix("--node-ca \(missing): no such file; give a PEM file with the CA"))
        #expect(try refusal(["--node-ca", key]).hasPrefix("--node-ca \(key): holds no PEM certificate"))
    }

    @Test func theConfigFileLoadsPathsRelativeToItself() async throws {
        let config = try certificates.write("gateway.yaml", "simulate: 1\ntls:\n  cert: server.pem\n  key: server.key\nnode_ca: ca.pem\n")
        let configuration = try Start.parse(["--config", config]).resolve(environment: [:]).configuration
        #expect(configuration.tls?.certificatePath == certificates.certificatePath)
        #expect(configuration.nodeTrust?.path == certificates.caPath)
        // The flags win over the file.
        let other = try await TestCertificates.make()
        let flagged = try Start.parse(["--config", config, "--tls-cert", other.certificatePath, "--tls-key", other.keyPath])
            .resolve(environment: [:]).configuration
        #expect(flagged.tls?.certificatePath == other.certificatePath)
    }

    @Test func theConfigFilesTLSNeedsBothFilesAndNamesItsKey() throws {
        let halfConfig = try certificates.write("half.yaml", "simulate: 1\ntls:\n  cert: server.pem\n")
        #expect(
            try refusal(["--config", halfConfig])
                == "\(halfConfig): tls: cert and key go together; add key (a PEM file) or remove tls:"
        )
        let badConfig = try certificates.write("bad.yaml", "simulate: 1\nnode_ca: nowhere.pem\n")
        let nowhere = certificates.directory.appendingPathComponent("nowhere.pem").path
        #expect(try refusal(["--config", badConfig]).hasPrefix("\(badConfig): node_ca: \(nowhere): no such file"))
        let typo = try certificates.write("typo.yaml", "simulate: 1\ntls:\n  certificate: server.pem\n")
        #expect(try refusal(["--config", typo]).contains("certificate"))
    }

    @Test func theBinaryExitsWithTwoOnABadCertificate() async throws {
        let missing = certificates.directory.appendingPathComponent("missing.pem").path
        for command in [["start", "--simulate", "1"], ["node-sim", "--port", "0"]] {
            let process = try ChildProcess(ChildProcess.binary, command + ["--tls-cert", missing, "--tls-key", certificates.keyPath])
            #expect(try await process.run() == 2)
            #expect(process.stderr.contains("error: --tls-cert \(missing): no such file"), "\(process.stderr)")
        }
    }
}
