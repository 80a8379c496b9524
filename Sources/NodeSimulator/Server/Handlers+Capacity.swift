import Hummingbird
import Logging
import OllamaAPI

/// The body of `POST /simulator/capacity` and the answer of both its methods.
struct CapacityBody: Codable, Sendable {
    /// What every rate of the node is divided by (3 = three times slower, 1 = as configured).
    var factor: Double?
}

extension SimulatorHandlers {
    /// `GET /simulator/capacity`: the node's speed factor now. The simulator's own route, not
    /// Ollama's: a real node has no such thing.
    func capacity() -> Response {
        Responses.json(CapacityBody(factor: load.factor))
    }

    /// `POST /simulator/capacity` with `{"factor": 3}`: from now on every rate of the node is
    /// divided by the factor (until a later scheduled slowdown), answered with the new factor.
    ///
    /// - Throws: ``SimulatorError``: 400 in Ollama's shape naming `factor` when it is missing,
    ///   not a number, or not positive.
    func setCapacity(_ request: Request) async throws(SimulatorError) -> Response {
        let body = try await decodeBody(request, as: CapacityBody.self, goName: "CapacityRequest", zeroValues: [:], style: .ollama)
        guard let factor = body.factor else {
            throw ErrorStyle.ollama.error(#"factor is required: send {"factor": 3} to make the node three times slower"#, status: .badRequest)
        }
        guard factor > 0, factor.isFinite else {
            throw ErrorStyle.ollama.error(
                "factor: must be a positive number (3 = three times slower, 1 = the configured speed), got \(factor)",
                status: .badRequest
            )
        }
        load.setFactor(factor)
        logger.info("capacity changed", metadata: ["factor": .stringConvertible(factor)])
        return Responses.json(CapacityBody(factor: factor))
    }
}
