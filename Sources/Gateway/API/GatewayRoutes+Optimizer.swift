import Foundation
import Hummingbird
import NIOCore
import OllamaAPI

extension GatewayRoutes {
    /// `GET /ollamamax/optimizer`: the optimizer's level, every (node, model) pair's adaptive
    /// limit with its signals, the last decisions, and the interval's knobs (``OptimizerReport``).
    func optimizer() -> Response {
        let report = OptimizerReport(snapshot: pool.optimizerSnapshot(), interval: intervalLog?.current)
        let data = (try? OllamaJSON.encode(report)) ?? Data()
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// `GET /ollamamax/peer`: this gateway's own requests in flight per node and model
    /// (``PeerReport``), what its peers count with theirs (``PeerService``).
    func peer() -> Response {
        let data = (try? JSONEncoder().encode(pool.peerReport())) ?? Data()
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
