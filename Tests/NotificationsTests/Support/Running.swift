import Foundation
import Logging
import Notifications
import Synchronization

/// Runs `body` with a started ``NotificationService`` for `settings`, then stops the service's
/// delivery loop (cancelling what is still in flight).
func withService<T: Sendable>(
    _ settings: NotificationSettings,
    policy: RetryPolicy = RetryPolicy(attempts: 3, timeout: .seconds(10), initialBackoff: .zero),
    logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
    _ body: (NotificationService) async throws -> T
) async throws -> T {
    let service = NotificationService(settings: settings, delivery: NotificationDelivery(policy: policy, logger: logger), logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await service.run() }
        let result = try await body(service)
        group.cancelAll()
        return result
    }
}
