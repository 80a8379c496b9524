import NIOCore
import NIOSSL
import Synchronization

/// Idle keep-alive connections to the nodes, for one event loop: a request on that loop reuses
/// one or opens a new one, and gives it back when the answer ended cleanly.
final class UpstreamPool {
    /// The most idle connections kept per node on one loop; more are closed when given back.
    static let idleLimit = 256

    let loop: any EventLoop
    private let tls: NIOSSLContext?
    private let connectTimeout: TimeAmount
    private var idle: [String: [UpstreamConnection]] = [:]

    init(loop: any EventLoop, tls: NIOSSLContext?, connectTimeout: TimeAmount) {
        self.loop = loop
        self.tls = tls
        self.connectTimeout = connectTimeout
    }

    /// An open idle connection to `node`, if there is one.
    func checkout(_ node: String) -> UpstreamConnection? {
        while let connection = idle[node]?.popLast() {
            if connection.isReusable { return connection }
            connection.channel.close(promise: nil)
        }
        return nil
    }

    /// Takes a connection back after its answer ended; one that cannot carry another request is closed.
    func checkin(_ connection: UpstreamConnection) {
        guard connection.isReusable, idle[connection.node, default: []].count < Self.idleLimit else {
            connection.channel.close(promise: nil)
            return
        }
        idle[connection.node, default: []].append(connection)
    }

    /// Opens a new connection to `node`; `done` runs on this loop.
    func connect(
        _ address: NodeAddress, node: String, _ done: @escaping (Result<UpstreamConnection, any Error>) -> Void
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
                    })
            }
    }

    /// Closes every idle connection.
    func closeAll() {
        for connection in idle.values.joined() { connection.channel.close(promise: nil) }
        idle = [:]
    }
}

/// One ``UpstreamPool`` per event loop, made on first use from that loop.
final class UpstreamPools: Sendable {
    private let pools = Mutex<[ObjectIdentifier: NIOLoopBound<UpstreamPool>]>([:])
    private let tls: NIOSSLContext?
    private let connectTimeout: TimeAmount

    init(tls: NIOSSLContext?, connectTimeout: TimeAmount) {
        self.tls = tls
        self.connectTimeout = connectTimeout
    }

    /// The pool of `loop`; call on `loop`.
    func pool(for loop: any EventLoop) -> UpstreamPool {
        pools.withLock { pools in
            if let bound = pools[ObjectIdentifier(loop)] { return bound.value }
            let pool = UpstreamPool(loop: loop, tls: tls, connectTimeout: connectTimeout)
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
