import Foundation
import Notifications
import TestHTTP
import Testing

@Suite struct ServiceTests {
    @Test func afterTheDeliveryLoopEndsNothingIsQueued() async throws {
        let service = NotificationService(
            settings: try settings(
                """
                notifications:
                  route: {receiver: r, group_wait: 0s}
                  receivers: [{name: r, webhook_configs: [{url: 'http://127.0.0.1:1/never'}]}]
                """
            )
        )
        let loop = Task { await service.run() }
        loop.cancel()
        await loop.value
        await service.process(alerts: [alert("NodeDown")], now: at(0))
        try await within(.seconds(5), "an idle service") { await service.waitUntilIdle() }
        #expect(service.counters() == [])
        #expect(await service.groupKeys == ["{}:{}"])
    }
}
