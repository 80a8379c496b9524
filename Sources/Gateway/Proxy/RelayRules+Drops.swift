import AsyncHTTPClient
import Foundation
import NIOCore
import Optimizer

extension RelayRules {
    // MARK: Drops (the adaptive limit's signal)

    /// The drop a node's answer status means: 503 (Ollama's full queue) and 429 are the node
    /// shedding load; any other status is no drop.
    static func dropKind(status: Int) -> DropKind? {
        status == 503 || status == 429 ? .overloaded : nil
    }

    /// The drop a failed exchange with a node means: a timeout, or a connection the node reset
    /// or closed while the request was on it. A connect error is no drop: the node is down,
    /// which is the circuit breaker's concern, not a sign of its load.
    static func dropKind(_ error: any Error) -> DropKind? {
        switch error {
        case let error as UpstreamError: return error.timeout ? .timeout : nil
        case let error as HTTPClientError:
            if error == .readTimeout || error == .deadlineExceeded { return .timeout }
            if error == .remoteConnectionClosed { return .reset }
            return nil
        case let error as ChannelError:
            return error == .eof || error == .ioOnClosedChannel ? .reset : nil
        case let error as IOError:
            return [ECONNRESET, EPIPE, ECONNABORTED].contains(error.errnoCode) ? .reset : nil
        default:
            return nil
        }
    }

    /// The outcome of an attempt that failed with `error`: a drop when it is one, else a failure.
    static func failedOutcome(_ error: any Error) -> RequestOutcome {
        dropKind(error).map(RequestOutcome.dropped) ?? .failure
    }

    /// The outcome of an attempt whose node answered `status` (a 5xx, or a 429): a drop when it
    /// is one, else a failure.
    static func failedOutcome(status: Int) -> RequestOutcome {
        dropKind(status: status).map(RequestOutcome.dropped) ?? .failure
    }
}
