import Crypto
import Foundation
import Hummingbird
import NIOCore

extension SimulatorHandlers {
    /// `HEAD /api/blobs/:digest`: 200 if the node has the blob, else 404.
    func headBlob(_ digest: String) async -> Response {
        guard Self.isDigest(digest) else { return Responses.ollamaError("invalid digest format", status: .badRequest) }
        guard await store.hasBlob(digest) else {
            return Responses.ollamaError("blob \"\(digest)\" not found", status: .notFound)
        }
        return SimulatorHandlers.emptyOK()
    }

    /// `POST /api/blobs/:digest`: stores the body if its SHA-256 matches the digest (201), else 400.
    func createBlob(_ request: Request, digest: String) async -> Response {
        guard Self.isDigest(digest) else { return Responses.ollamaError("invalid digest format", status: .badRequest) }
        if await store.hasBlob(digest) { return SimulatorHandlers.emptyOK() }
        var hasher = SHA256()
        do {
            for try await chunk in request.body {
                chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            }
        } catch {
            return Responses.ollamaError("failed to read blob: \(error)", status: .badRequest)
        }
        let actual = "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
        guard actual == digest else {
            return Responses.ollamaError("digest mismatch, expected \"\(digest)\", got \"\(actual)\"", status: .badRequest)
        }
        await store.addBlob(digest)
        return Response(status: .created)
    }

    /// `sha256:` followed by 64 hex digits.
    static func isDigest(_ text: String) -> Bool {
        guard text.hasPrefix("sha256:") else { return false }
        let hex = text.dropFirst(7)
        return hex.count == 64 && hex.allSatisfy(\.isHexDigit)
    }
}
