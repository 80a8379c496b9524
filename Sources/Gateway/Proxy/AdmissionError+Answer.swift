import HTTPTypes

extension AdmissionError {
    /// What the gateway tells the client when admission refuses a request: Ollama's wording and
    /// status, and whether trying again later can help (then the answer carries `Retry-After`).
    struct Answer: Sendable, Hashable {
        var message: String
        var status: HTTPResponse.Status
        var retryAfter: Bool
    }

    /// The answer for this refusal of a request for `model` (nil: the body named none).
    func answer(model: String?, queueTimeoutSeconds: Double) -> Answer {
        switch self {
        case .noHealthyNode(let name):
            let message =
                name.isEmpty || model == nil
                ? "no healthy Ollama node is available" : "no healthy node has model \"\(model ?? name)\" right now"
            return Answer(message: message, status: .serviceUnavailable, retryAfter: true)
        case .queueFull:
            return Answer(message: busyMessage, status: .serviceUnavailable, retryAfter: true)
        case .queueTimeout:
            return Answer(
                message: "server busy, please try again.  timed out after \(queueTimeoutSeconds)s in the gateway queue",
                status: .serviceUnavailable, retryAfter: true)
        case .unknownModel(let name):
            return Answer(message: "model '\(name)' not found", status: .notFound, retryAfter: false)
        case .exhausted:
            return Answer(message: "every node failed this request", status: .badGateway, retryAfter: false)
        }
    }
}
