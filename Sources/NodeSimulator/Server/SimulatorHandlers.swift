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
    let logger: Logger

    /// How errors are written: Ollama's `{"error": "..."}` or the OpenAI shape.
    enum ErrorStyle: Sendable {
        case ollama
        case openAI

        func response(_ message: String, status: HTTPResponse.Status) -> Response {
            switch self {
            case .ollama: Responses.ollamaError(message, status: status)
            case .openAI: Responses.openAIError(message, status: status)
            }
        }
    }

    /// The exact message Ollama sends with a 503 when its pending queue is full.
    static let queueFullMessage = "server busy, please try again.  maximum pending requests exceeded"

    /// The request body, or a 413 when it exceeds the configured limit.
    func body(of request: Request, style: ErrorStyle) async -> Handled<[UInt8]> {
        do {
            var buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
            return .success(buffer.readBytes(length: buffer.readableBytes) ?? [])
        } catch is NIOTooManyBytesError {
            return .failure(
                style.response("request body too large (limit \(configuration.maxBodyBytes) bytes)", status: .contentTooLarge))
        } catch {
            return .failure(style.response("failed to read request body: \(error)", status: .badRequest))
        }
    }

    /// `keep_alive` in seconds, or a 400 with Go's message for a bad duration.
    func keepAliveSeconds(_ keepAlive: KeepAlive?, style: ErrorStyle) -> Handled<Double?> {
        guard let keepAlive else { return .success(nil) }
        guard let seconds = keepAlive.seconds else {
            if case .duration(let text) = keepAlive {
                return .failure(style.response("time: invalid duration \"\(text)\"", status: .badRequest))
            }
            return .failure(style.response("invalid keep_alive", status: .badRequest))
        }
        return .success(seconds)
    }

    /// Applies pre-start faults, waits for a slot and plans the answer; or the error response.
    func prepare(
        _ request: Request, model: SimulatedModel, input: GenerationInput, keepAlive: Double?,
        arrival: ContinuousClock.Instant, style: ErrorStyle
    ) async -> Handled<PreparedInference> {
        let fault = faults.next()
        if fault.failBeforeStart {
            return .failure(style.response("simulated failure: the model runner crashed", status: .internalServerError))
        }
        if fault.hang {
            await hang(request)
            return .failure(style.response("request canceled", status: HTTPResponse.Status(code: 499)))
        }
        do {
            try await scheduler.acquire(model, keepAlive: keepAlive)
        } catch ModelScheduler.Failure.queueFull {
            return .failure(style.response(Self.queueFullMessage, status: .serviceUnavailable))
        } catch {
            return .failure(style.response("request canceled", status: HTTPResponse.Status(code: 499)))
        }
        let lease = SlotLease(model: model, keepAlive: keepAlive, scheduler: scheduler)
        let plan = GenerationPlan.make(model: model, input: input)
        return .success(
            PreparedInference(
                model: model, plan: plan, lease: lease, fault: fault, arrival: arrival, slotAcquired: .now))
    }

    /// Never answers: waits until the server shuts down or `hangLimitSeconds` pass, so a hung
    /// request cannot pin a stopping server. The client sees a request that never ends.
    ///
    /// A client that gives up does not end the wait early: Hummingbird offers no disconnect
    /// signal for a request whose body was already read (its inbound-close helper needs the
    /// unread body), so the task sleeps on; it holds no slot and costs only a suspended task.
    func hang(_ request: Request) async {
        _ = try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: .seconds(Self.hangLimitSeconds))
        }
    }

    /// The longest a hanging request waits.
    static let hangLimitSeconds = 600.0

    /// Loads `model` for an empty request (Ollama's `done_reason: "load"`) and returns the load time.
    func loadOnly(_ model: SimulatedModel, keepAlive: Double?, style: ErrorStyle) async -> Response? {
        do {
            try await scheduler.acquire(model, keepAlive: keepAlive)
            await scheduler.release(model, keepAlive: keepAlive)
            return nil
        } catch ModelScheduler.Failure.queueFull {
            return style.response(Self.queueFullMessage, status: .serviceUnavailable)
        } catch {
            return style.response("request canceled", status: HTTPResponse.Status(code: 499))
        }
    }

    /// The seed for an answer: `options.seed` if given, else the prompt, so a prompt repeats.
    static func seed(options: JSONObject?, prompt: String) -> UInt64 {
        if let seed = options?["seed"]?.intValue { return UInt64(bitPattern: Int64(seed)) }
        return stableHash(prompt)
    }

    static func now() -> String {
        OllamaTime.format(Date())
    }
}
