import NIOCore
import NIOSSL
import Synchronization

/// Idle keep-alive connections to the nodes, for one event loop: a request on that loop reuses
/// one or opens a new one, and gives it back when the answer ended cleanly.
///
/// It also watches the loop's requests in flight for node timeouts: one sweep over them every
/// `sweepInterval` costs less than a timer per request.
final class UpstreamPool {
    /// The most idle connections kept per node on one loop; more are closed when given back.
    static let idleLimit = 256

    let loop: any EventLoop
    private let tls: NIOSSLContext?
    private let connectTimeout: TimeAmount
    private let sweepInterval: TimeAmount
    /// Idle connections by node; a class per node, so taking one out and giving one back
    /// mutate the stack in place instead of going through the dictionary's storage each time.
    private var idle: [String: IdleConnections] = [:]
    private var watched: [ObjectIdentifier: RelayExchange] = [:]
    private var sweep: Scheduled<Void>?

    init(loop: any EventLoop, tls: NIOSSLContext?, connectTimeout: TimeAmount, sweepInterval: TimeAmount) {
        self.loop = loop
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.sweepInterval = sweepInterval
    }

    // MARK: Timeouts

    /// Watches `exchange` until ``unwatch(_:)``: the sweep asks it to check its timeouts.
    func watch(_ exchange: RelayExchange) {
        watched[ObjectIdentifier(exchange)] = exchange
        if sweep == nil {
            sweep = loop.assumeIsolated().scheduleTask(in: sweepInterval) { [weak self] in self?.sweepNow() }
        }
    }

    func unwatch(_ exchange: RelayExchange) {
        watched.removeValue(forKey: ObjectIdentifier(exchange))
    }

    private func sweepNow() {
        sweep = nil
        let now = NIODeadline.now()
        for exchange in Array(watched.values) { exchange.checkTimeout(now: now) }
        if !watched.isEmpty {
            sweep = loop.assumeIsolated().scheduleTask(in: sweepInterval) { [weak self] in self?.sweepNow() }
        }
    }

    // MARK: Connections

    /// An open idle connection to `node`, if there is one.
    func checkout(_ node: String) -> UpstreamConnection? {
        guard let stack = idle[node] else { return nil }
        while let connection = stack.connections.popLast() {
            if connection.isReusable { return connection }
            connection.channel.close(promise: nil)
        }
        return nil
    }

    /// Takes a connection back after its answer ended; one that cannot carry another request is closed.
    func checkin(_ connection: UpstreamConnection) {
        let stack = idle[connection.node] ?? IdleConnections()
        guard connection.isReusable, stack.connections.count < Self.idleLimit else {
            connection.channel.close(promise: nil)
            return
        }
        if stack.connections.isEmpty { idle[connection.node] = stack }
        stack.connections.append(connection)
    }

    /// Opens a new connection to `node`; `done` runs on this loop.
    func connect(
        _ address: NodeAddress,
        node: String,
        _ done: @escaping (Result<UpstreamConnection, any Error>) -> Void
    ) {
        UpstreamConnection.connect(to: address, node: node, on: loop, tls: tls, timeout: connectTimeout)
            .assumeIsolated()
            .whenComplete { result in
                done(
                    result.flatMap { channel in
                        Result {
                            let handler = try channel.pipeline.syncOperations.handler(type: UpstreamHandler.self)
                            return UpstreamConnection(channel: channel, handler: handler, node: node)
                        }
                    }
                )
            }
    }

    /// Closes every idle connection.
    func closeAll() {
        for connection in idle.values.flatMap(\.connections) { connection.channel.close(promise: nil) }
        idle = [:]
        sweep?.cancel()
        sweep = nil
    }
}

/// One node's idle connections on one loop, most recently returned last.
final class IdleConnections {
    var connections: [UpstreamConnection] = []
}

/// One ``UpstreamPool`` per event loop, made on first use from that loop.
final class UpstreamPools: Sendable {
    private let pools = Mutex<[ObjectIdentifier: NIOLoopBound<UpstreamPool>]>([:])
    private let tls: NIOSSLContext?
    private let connectTimeout: TimeAmount
    private let sweepInterval: TimeAmount

    /// - Parameter sweepInterval: how often requests in flight are checked for node timeouts.
    init(tls: NIOSSLContext?, connectTimeout: TimeAmount, sweepInterval: TimeAmount) {
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.sweepInterval = sweepInterval
    }

    /// The pool of `loop`; call on `loop`.
    func pool(for loop: any EventLoop) -> UpstreamPool {
        pools.withLock { pools in
            if let bound = pools[ObjectIdentifier(loop)] { return bound.value }
            let pool = UpstreamPool(loop: loop, tls: tls, connectTimeout: connectTimeout, sweepInterval: sweepInterval)
            pools[ObjectIdentifier(loop)] = NIOLoopBound(pool, eventLoop: loop)
            return pool
        }
    }

    /// Closes every idle connection on every loop.
    func closeAll() async {
        let bound = pools.withLock { Array($0.values) }
        for pool in bound {
            try? await pool.eventLoop.submit { pool.value.closeAll() }.get()
        }
    }
}
