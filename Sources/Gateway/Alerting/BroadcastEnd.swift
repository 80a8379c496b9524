import Console
import ServiceLifecycle

/// Ends the open dashboards' event streams when the gateway shuts down, so their connections
/// close and the server's graceful shutdown is not held up by them.
struct BroadcastEnd: Service {
    let broadcast: SampleBroadcast

    func run() async throws {
        try? await gracefulShutdown()
        broadcast.finish()
    }
}
