import Foundation
import Hummingbird
import NIOCore
import OllamaAPI

extension SimulatorHandlers {
    /// Simulated download and upload speed for pull and push, bytes per second.
    static let transferBytesPerSecond = 2e9

    /// `POST /api/pull`: a progress stream ending in `success`; the model is then listed.
    func pull(_ request: Request) async throws -> Response {
        let req = try await decodeBody(request, as: PullRequest.self, goName: "PullRequest", zeroValues: [:], style: .ollama)
        let name = req.modelName
        guard !name.isEmpty else {
            return Responses.ollamaError("invalid model name", status: .badRequest)
        }
        let found = await store.findInRegistry(name)
        let steps: [ProgressResponse]
        if let found {
            steps = Self.transferSteps(
                first: "pulling manifest",
                layerVerb: "pulling",
                model: found,
                last: ["verifying sha256 digest", "writing manifest", "success"]
            )
        } else {
            steps = [ProgressResponse(status: "pulling manifest")]
        }
        let failure = found == nil ? "pull model manifest: file does not exist" : nil
        let store = store
        let install: @Sendable () async -> Void = {
            guard var model = found else { return }
            model.name = ModelName.normalize(name)
            model.modifiedAt = OllamaTime.format(Date())
            await store.add(model)
        }
        return await progress(steps, failure: failure, stream: req.stream != false, onSuccess: install)
    }

    /// `POST /api/push`: a progress stream for a model this node has.
    func push(_ request: Request) async throws -> Response {
        let req = try await decodeBody(request, as: PushRequest.self, goName: "PushRequest", zeroValues: [:], style: .ollama)
        let name = req.model ?? req.name ?? ""
        guard !name.isEmpty else { return Responses.ollamaError("model is required", status: .badRequest) }
        guard let model = await store.find(name) else {
            return await progress([], failure: "model '\(name)' not found", stream: req.stream != false) {}
        }
        let steps = Self.transferSteps(
            first: "retrieving manifest",
            layerVerb: "pushing",
            model: model,
            last: ["pushing manifest", "success"]
        )
        return await progress(steps, failure: nil, stream: req.stream != false) {}
    }

    /// `POST /api/create`: a new model from an existing one (`from`).
    func create(_ request: Request) async throws -> Response {
        let req = try await decodeBody(request, as: CreateRequest.self, goName: "CreateRequest", zeroValues: [:], style: .ollama)
        guard let name = req.model, !name.isEmpty else {
            return Responses.ollamaError("model is required", status: .badRequest)
        }
        let base: SimulatedModel
        if let from = req.from, !from.isEmpty {
            guard let found = await store.find(from) else {
                return await progress([], failure: "model '\(from)' not found", stream: req.stream != false) {}
            }
            base = found
        } else if let files = req.files, !files.isEmpty {
            // A model from uploaded files (GGUF weights): every blob must have been uploaded.
            for digest in files.values.sorted() where !(await store.hasBlob(digest)) {
                return Responses.ollamaError("blob \(digest) not found: upload it with POST /api/blobs/\(digest)", status: .badRequest)
            }
            base = SimulatedModel(name: name)
        } else {
            return Responses.ollamaError("neither 'from' or 'files' was specified", status: .badRequest)
        }
        var renamed = base.renamed(name)
        renamed.modifiedAt = OllamaTime.format(Date())
        let created = renamed
        let steps = [
            ProgressResponse(status: "using existing layer sha256:\(base.digest)"),
            ProgressResponse(status: "writing manifest"), ProgressResponse(status: "success"),
        ]
        let store = store
        return await progress(steps, failure: nil, stream: req.stream != false) { await store.add(created) }
    }

    /// The progress objects of moving `model`'s one layer, in 8 steps.
    static func transferSteps(
        first: String,
        layerVerb: String,
        model: SimulatedModel,
        last: [String]
    )
        -> [ProgressResponse]
    {
        let digest = "sha256:" + model.digest
        let total = model.sizeBytes
        var steps = [ProgressResponse(status: first)]
        for step in 0...8 {
            steps.append(
                ProgressResponse(
                    status: "\(layerVerb) \(model.digest.prefix(12))",
                    digest: digest,
                    total: total,
                    completed: total * Int64(step) / 8
                )
            )
        }
        return steps + last.map { ProgressResponse(status: $0) }
    }

    /// Sends `steps` paced by the simulated transfer speed, then `failure` as an error if set.
    /// Not streaming: only the last object, or the error with status 500.
    private func progress(
        _ steps: [ProgressResponse],
        failure: String?,
        stream: Bool,
        onSuccess: @escaping @Sendable () async -> Void
    ) async -> Response {
        let pace: @Sendable (ProgressResponse, ProgressResponse?) async throws -> Void = { step, previous in
            let moved = (step.completed ?? 0) - (previous?.completed ?? 0)
            if moved > 0 { try await Task.sleep(for: .seconds(Double(moved) / Self.transferBytesPerSecond)) }
        }
        if steps.isEmpty, let failure {
            // Nothing written yet: Ollama turns the error into the response status.
            return Responses.ollamaError(failure, status: .internalServerError)
        }
        if !stream {
            do {
                var previous: ProgressResponse?
                for step in steps {
                    try await pace(step, previous)
                    previous = step
                }
            } catch {
                return Responses.ollamaError("request canceled", status: .init(code: 499))
            }
            if let failure { return Responses.ollamaError(failure, status: .internalServerError) }
            await onSuccess()
            return Responses.json(steps.last ?? ProgressResponse(status: "success"))
        }
        return Responses.stream(contentType: Responses.ndjsonType) { writer in
            var previous: ProgressResponse?
            for step in steps {
                try await pace(step, previous)
                if step.status == "success" { await onSuccess() }
                try await writer.writeLine(step)
                previous = step
            }
            if let failure { try await writer.writeLine(ErrorResponse(error: failure)) }
            try await writer.finish(nil)
        }
    }
}
