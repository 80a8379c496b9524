import AsyncHTTPClient
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import OllamaAPI

/// `/api/blobs/:digest` across nodes, for `ollama create` from local files: a blob counts as
/// present only if every node that is up has it, and an upload goes to all of them.
///
/// The upload is spooled to a temporary file while its SHA-256 is checked (a mismatch is the 400
/// Ollama gives, before any node sees it), then sent to each node from the file; the file is
/// removed afterwards.
struct Blobs: Sendable {
    let client: HTTPClient
    let pool: NodePool
    let configuration: GatewayConfiguration
    let logger: Logger

    /// `HEAD /api/blobs/:digest`.
    func head(_ digest: String) async -> Response {
        let nodes = pool.snapshot().filter { $0.state != .unhealthy }
        guard !nodes.isEmpty else { return ErrorStyle.ollama.response("no healthy Ollama node is available", status: .serviceUnavailable) }
        let statuses = await withTaskGroup(of: UInt.self) { group in
            for node in nodes {
                group.addTask {
                    var request = HTTPClientRequest(url: node.url + "/api/blobs/" + digest)
                    request.method = .HEAD
                    let response = try? await client.execute(request, timeout: TimeAmount(configuration.probeTimeout + .seconds(1)))
                    return response?.status.code ?? 502
                }
            }
            var collected: [UInt] = []
            for await status in group { collected.append(status) }
            return collected
        }
        if let invalid = statuses.first(where: { $0 == 400 }) { return Response(status: .init(code: Int(invalid))) }
        return Response(status: statuses.allSatisfy { $0 == 200 } ? .ok : .notFound)
    }

    /// `POST /api/blobs/:digest`.
    func create(_ request: Request, digest: String, requestID: String) async -> Response {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ollamamax-blob-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let size: Int
        do {
            size = try await spool(request.body, to: file, expecting: digest)
        } catch let failure as BlobFailure {
            return ErrorStyle.ollama.response(failure.message, status: .badRequest, headers: [.requestID: requestID])
        } catch {
            return ErrorStyle.ollama.response(
                "failed to read the blob: \(error)",
                status: .badRequest,
                headers: [.requestID: requestID]
            )
        }
        let nodes = pool.snapshot().filter { $0.state != .unhealthy }
        guard !nodes.isEmpty else {
            return ErrorStyle.ollama.response("no healthy Ollama node is available", status: .serviceUnavailable)
        }
        let results = await withTaskGroup(of: (String, UInt, String).self) { group in
            for node in nodes {
                group.addTask { await upload(file: file, size: size, digest: digest, to: node, requestID: requestID) }
            }
            var collected: [(String, UInt, String)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.0 < $1.0 }
        }
        let served = results.map(\.0).joined(separator: ",")
        if let failure = results.first(where: { $0.1 != 200 && $0.1 != 201 }) {
            return ErrorStyle.ollama.response(
                "node \(failure.0) refused the blob: \(failure.1) \(failure.2)",
                status: .badGateway,
                headers: [.requestID: requestID, .servingNode: served]
            )
        }
        return Response(status: .created, headers: [.requestID: requestID, .servingNode: served])
    }

    struct BlobFailure: Error {
        let message: String
    }

    /// Writes `body` to `file` and checks its SHA-256 against `digest`; returns the size.
    private func spool(_ body: RequestBody, to file: URL, expecting digest: String) async throws -> Int {
        guard digest.hasPrefix("sha256:"), digest.count == 71 else { throw BlobFailure(message: "invalid digest format") }
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw BlobFailure(message: "cannot create a temporary file for the blob in \(file.deletingLastPathComponent().path)")
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        var size = 0
        for try await chunk in body {
            chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            try handle.write(contentsOf: Data(chunk.readableBytesView))
            size += chunk.readableBytes
        }
        let actual = "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
        guard actual == digest else {
            throw BlobFailure(message: "digest mismatch, expected \"\(digest)\", got \"\(actual)\"")
        }
        return size
    }

    private func upload(
        file: URL,
        size: Int,
        digest: String,
        to node: NodeSnapshot,
        requestID: String
    ) async
        -> (String, UInt, String)
    {
        do {
            var request = HTTPClientRequest(url: node.url + "/api/blobs/" + digest)
            request.method = .POST
            request.headers.add(name: "X-Request-ID", value: requestID)
            request.body = .stream(FileChunks(url: file), length: .known(Int64(size)))
            let response = try await client.execute(
                request,
                timeout: TimeAmount(configuration.responseTimeout),
                logger: logger
            )
            var body = try await response.body.collect(upTo: 1 << 20)
            return (node.id, response.status.code, body.readString(length: body.readableBytes) ?? "")
        } catch {
            return (node.id, 502, RelayRules.describe(error))
        }
    }
}

/// A file read in 1 MiB chunks, as an async sequence of buffers for an upload body.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let url: URL

    struct AsyncIterator: AsyncIteratorProtocol {
        let handle: FileHandle?

        mutating func next() async throws -> ByteBuffer? {
            guard let handle, let data = try handle.read(upToCount: 1 << 20), !data.isEmpty else {
                try handle?.close()
                return nil
            }
            return ByteBuffer(bytes: data)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(handle: try? FileHandle(forReadingFrom: url))
    }
}
