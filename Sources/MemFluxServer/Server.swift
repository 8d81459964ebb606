// Server: the TCP listener. One event loop per core accepts connections and
// gives each a ConnectionHandler (with its own Session) on that loop; a small
// thread pool takes the commands that may run long. `stop` closes the
// listener and every connection, then the loops and the pool.
//
//     let server = try Server.start(database: db, configuration: config, configFile: path, logger: log)
//     print(server.port)
//     server.waitUntilStopped()

import Logging
import MemFlux
import MemFluxCore
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public final class Server: Sendable {
    public let state: ServerState
    let group: MultiThreadedEventLoopGroup
    let listener: any Channel
    /// The bound port (the configured one, or the one the system chose for port 0).
    public let port: Int

    private init(state: ServerState, group: MultiThreadedEventLoopGroup, listener: any Channel) {
        self.state = state
        self.group = group
        self.listener = listener
        self.port = listener.localAddress?.port ?? 0
    }

    /// Binds `configuration.host:port` and starts serving `database`.
    public static func start(
        database: Database, configuration: Configuration, configFile: String, logger: Logger
    ) throws -> Server {
        let eventLoops = configuration.eventLoops > 0 ? configuration.eventLoops : max(1, System.coreCount - 1)
        let pool = NIOThreadPool(numberOfThreads: max(2, System.coreCount))
        pool.start()
        let state = ServerState(database: database, configFile: configFile, logger: logger, threadPool: pool)
        database.attach(state)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: eventLoops)
        // One group-commit batch per loop, when replies wait for the log at all.
        var batches: [ObjectIdentifier: AcknowledgementBatch] = [:]
        if let log = database.persistence?.log, log.durability != .none {
            for loop in group.makeIterator() { batches[ObjectIdentifier(loop)] = AcknowledgementBatch(loop: loop, database: database) }
        }
        let acknowledgements = batches
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ConnectionHandler(server: state, acknowledgements: acknowledgements[ObjectIdentifier(channel.eventLoop)]))
                }
            }
        let listener: any Channel
        do {
            listener = try bootstrap.bind(host: configuration.host, port: configuration.port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            try? pool.syncShutdownGracefully()
            throw ListenError(host: configuration.host, port: configuration.port, error)
        }
        return Server(state: state, group: group, listener: listener)
    }

    /// Blocks until the listener closes (after `stop`).
    public func waitUntilStopped() {
        try? listener.closeFuture.wait()
    }

    /// Closes the listener: `waitUntilStopped` returns. Safe from any thread, e.g. a signal handler.
    public func closeListener() {
        listener.close(promise: nil)
    }

    /// Stops accepting, closes every connection, and stops the loops and the pool.
    public func stop() {
        try? listener.close().wait()
        let closes = state.clientList().map { $0.channel.close() }
        for close in closes { try? close.wait() }
        try? group.syncShutdownGracefully()
        try? state.threadPool.syncShutdownGracefully()
    }
}

/// The listener could not be bound: "cannot listen on 127.0.0.1:8360: address already in use".
public struct ListenError: Error, CustomStringConvertible {
    public let description: String

    init(host: String, port: Int, _ error: any Error) {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let reason: String
        if let error = error as? IOError {
            reason = String(cString: strerror(error.errnoCode)).lowercased()
        } else {
            reason = "\(error)"
        }
        description = "cannot listen on \(address): \(reason)"
    }
}
