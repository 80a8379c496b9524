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
    ///
    /// - Parameter outages: the nodes that take no traffic and why (``NodePool/outages()``);
    ///   read only for ``noHealthyNode(_:)``, whose answer names them and what to do.
    func answer(model: String?, queueTimeout: Duration, outages: @autoclosure () -> [String]) -> Answer {
        switch self {
        case .noHealthyNode(let name):
            guard name.isEmpty || model == nil else {
                return Answer(
                    message: "no healthy node has model \"\(model ?? name)\" right now",
                    status: .serviceUnavailable,
                    retryAfter: true
                )
            }
            var message = "no healthy Ollama node is available"
            let down = outages()
            if !down.isEmpty {
                message += ": " + down.joined(separator: "; ") + "; start Ollama there or point the gateway at running nodes"
            }
            return Answer(message: message, status: .serviceUnavailable, retryAfter: true)
        case .queueFull:
            return Answer(message: busyMessage, status: .serviceUnavailable, retryAfter: true)
        case .queueTimeout:
            return Answer(
                message: "server busy, please try again.  timed out after \(RelayRules.text(queueTimeout)) in the gateway queue",
                status: .serviceUnavailable,
                retryAfter: true
            )
        case .unknownModel(let name):
            return Answer(message: "model '\(name)' not found", status: .notFound, retryAfter: false)
        case .exhausted:
            return Answer(message: "every node failed this request", status: .badGateway, retryAfter: false)
        }
    }
}
