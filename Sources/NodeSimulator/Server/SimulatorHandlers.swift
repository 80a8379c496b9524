import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OllamaAPI
import ServiceLifecycle

/// The request handlers of a simulated node; state lives in the model store and scheduler.
struct SimulatorHandlers: Sendable {
    let configuration: SimulatorConfiguration
    let store: ModelStore
    let scheduler: ModelScheduler
    let faults: FaultInjector
    /// Who is prefilling and decoding, and the node's speed factor.
    let load: NodeLoad
    let logger: Logger

    /// The exact message Ollama sends with a 503 when its pending queue is full.
    static let queueFullMessage = "server busy, please try again.  maximum pending requests exceeded"

    /// The request body decoded as `type` with Go's messages for bad JSON (see ``BodyDecoding``).
    ///
    /// - Throws: ``SimulatorError``: 413 past the body limit, 400 for bad JSON, its message
    ///   passed through `decodeMessage` (some handlers replace Go's text with their own).
    func decodeBody<T: Decodable>(
        _ request: Request,
        as type: T.Type,
        goName: String,
        zeroValues: JSONObject = ["model": ""],
        style: ErrorStyle,
        decodeMessage: (String) -> String = { $0 }
    ) async throws(SimulatorError) -> T {
        let bytes: [UInt8]
        do {
            var buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
            bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            throw style.error("request body too large (limit \(configuration.maxBodyBytes) bytes)", status: .contentTooLarge)
        } catch {
            throw style.error("failed to read request body: \(error)", status: .badRequest)
        }
        switch BodyDecoding.decode(type, goName: goName, from: bytes, zeroValues: zeroValues) {
        case .success(let value): return value
        case .failure(let error): throw style.error(decodeMessage(error.error), status: .badRequest)
        }
    }

    /// The model `name` names, for chat and the OpenAI routes: 400 `model is required` when the
    /// name is empty, 404 `model 'x' not found` when no model has it.
    func requiredModel(_ name: String, style: ErrorStyle) async throws(SimulatorError) -> SimulatedModel {
        guard !name.isEmpty else { throw style.error("model is required", status: .badRequest) }
        guard let model = await store.find(name) else { throw style.error("model '\(name)' not found", status: .notFound) }
        return model
    }

    /// The request's `keep_alive` (negative is forever), or a 400 with Go's message for a bad duration.
    func requestedKeepAlive(_ keepAlive: KeepAlive?, style: ErrorStyle) throws(SimulatorError) -> Duration? {
        guard let keepAlive else { return nil }
        guard let seconds = keepAlive.seconds else {
            if case .duration(let text) = keepAlive {
                throw style.error("time: invalid duration \"\(text)\"", status: .badRequest)
            }
            throw style.error("invalid keep_alive", status: .badRequest)
        }
        return .seconds(seconds)
    }

    /// The request's `options` typed as Ollama types them; unknown keys are logged and ignored.
    ///
    /// - Throws: ``SimulatorError``: a 500 with Ollama's text (`option "num_predict" must be of
    ///   type integer`), as its handlers answer `Options.FromMap`'s error.
    func options(_ object: JSONObject?, style: ErrorStyle) throws(SimulatorError) -> ModelOptions {
        do {
            let options = try ModelOptions(object)
            for key in options.ignoredKeys {
                logger.warning("invalid option provided", metadata: ["option": .string(key)])
            }
            return options
        } catch {
            throw style.error(error.description, status: .internalServerError)
        }
    }

    /// Applies pre-start faults, waits for a slot and plans the answer.
    ///
    /// - Throws: ``SimulatorError``: 500 for a simulated crash, 503 when the queue is full,
    ///   499 when the request was canceled or hung.
    func prepare(
        _ request: Request,
        model: SimulatedModel,
        input: GenerationInput,
        keepAlive: Duration?,
        arrival: ContinuousClock.Instant,
        style: ErrorStyle
    ) async throws(SimulatorError) -> PreparedInference {
        let fault = faults.next()
        if fault.failBeforeStart {
            throw style.error("simulated failure: the model runner crashed", status: .internalServerError)
        }
        if fault.hang {
            await hang(request)
            throw style.error("request canceled", status: SimulatorError.canceled)
        }
        let loadTime = try await acquire(model, keepAlive: keepAlive, style: style)
        let lease = SlotLease(model: model, keepAlive: keepAlive, scheduler: scheduler)
        let plan = GenerationPlan.make(model: model, input: input)
        return PreparedInference(
            model: model,
            plan: plan,
            lease: lease,
            fault: fault,
            load: load,
            arrival: arrival,
            loadTime: loadTime,
            slotAcquired: .now
        )
    }

    /// A slot on `model`, or a 503 when the queue is full, 499 when canceled; returns the time
    /// spent waiting for the model to load (``ModelScheduler/acquire(_:keepAlive:)``).
    @discardableResult
    private func acquire(_ model: SimulatedModel, keepAlive: Duration?, style: ErrorStyle) async throws(SimulatorError) -> Duration {
        do {
            return try await scheduler.acquire(model, keepAlive: keepAlive)
        } catch ModelScheduler.Failure.queueFull {
            throw style.error(Self.queueFullMessage, status: .serviceUnavailable)
        } catch {
            throw style.error("request canceled", status: SimulatorError.canceled)
        }
    }

    /// Never answers: waits until the server shuts down or ``hangLimit`` passes, so a hung
    /// request cannot pin a stopping server. The client sees a request that never ends.
    ///
    /// A client that gives up does not end the wait early: Hummingbird offers no disconnect
    /// signal for a request whose body was already read (its inbound-close helper needs the
    /// unread body), so the task sleeps on; it holds no slot and costs only a suspended task.
    func hang(_ request: Request) async {
        _ = try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: Self.hangLimit)
        }
    }

    /// The longest a hanging request waits.
    static let hangLimit = Duration.seconds(600)

    /// Loads `model` for an empty request (Ollama's `done_reason: "load"`).
    func loadOnly(_ model: SimulatedModel, keepAlive: Duration?, style: ErrorStyle) async throws(SimulatorError) {
        try await acquire(model, keepAlive: keepAlive, style: style)
        await scheduler.release(model, keepAlive: keepAlive)
    }

    /// The seed for an answer: `options.seed` if given, else the prompt, so a prompt repeats.
    static func seed(_ seed: Int?, prompt: String) -> UInt64 {
        if let seed { return UInt64(bitPattern: Int64(seed)) }
        return stableHash(prompt)
    }

    static func now() -> String {
        OllamaTime.format(Date())
    }
}
