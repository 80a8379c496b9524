import Foundation
import Hummingbird
import NIOCore
import OllamaAPI

extension GatewayRoutes {
    /// `GET /ollamamax/keys`: every key's usage and limits, by name; `{"keys":[]}` without keys.
    func keys() -> Response {
        let report = KeysReport(keys: access?.statuses() ?? [])
        let data = (try? OllamaJSON.encode(report)) ?? Data()
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

extension AccessControl {
    /// Every key's row for ``KeysReport``, by name.
    func statuses() -> [KeyStatus] {
        limiter.snapshot().compactMap { usage in caller(named: usage.name).map { KeyStatus(usage, role: $0.role) } }
    }
}
