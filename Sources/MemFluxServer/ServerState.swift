// ServerState: what every connection of one server shares — the database,
// the client registry and the server's own counters. It is the database's
// FrontDoor: INFO, CONFIG and COMMAND are engine commands, and this adds the
// server's part to them (its port, clients and connection counts, AUTH and
// the other connection commands, the config file).
//
// Connections run on several event loops at once, so everything here is a
// `Mutex` held for a few instructions (never across I/O) or an `Atomic`.
// The per-request path touches only atomics, and few of those: connections
// add up their counts locally and publish them once per read batch.

import Logging
import MemFlux
import MemFluxCore
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public final class ServerState: FrontDoor {
    public let database: Database
    let logger: Logger
    /// Runs commands that may take long (KEYS, SCAN, INFO) off the event loops.
    let threadPool: NIOThreadPool
    let serverCommands: ServerCommandTable
    /// Calls of the server's own commands (AUTH, HELLO, CLIENT, QUIT).
    public let statistics: CommandStats
    /// Where config.json lives: INFO shows it, CONFIG REWRITE writes it.
    public let configFile: String?

    let clients = Mutex<[Int64: ClientHandle]>([:])
    let connectedClients = Atomic<Int>(0)
    let blockedClients = Atomic<Int>(0)
    let totalConnections = Atomic<Int>(0)
    let rejectedConnections = Atomic<Int>(0)

    public init(database: Database, configFile: String, logger: Logger, threadPool: NIOThreadPool) {
        self.database = database
        self.configFile = configFile
        self.logger = logger
        self.threadPool = threadPool
        let serverCommands = ServerCommandTable()
        self.serverCommands = serverCommands
        self.statistics = CommandStats(serverCommands.table.all)
    }

    /// The settings in force (CONFIG SET changes the runtime ones).
    var configuration: Configuration { database.settings.current }

    // MARK: FrontDoor

    public var commands: [Command] { serverCommands.table.all }

    public func infoFields(_ section: String) -> [(String, String)] {
        switch section {
        case "server":
            return [("multiplexing_api", "epoll"), ("tcp_port", String(configuration.port)), ("config_file", configFile ?? "")]
        case "clients":
            return [
                ("connected_clients", String(connectedClients.load(ordering: .relaxed))),
                ("maxclients", String(configuration.maxClients)),
                ("blocked_clients", String(blockedClients.load(ordering: .relaxed))),
            ]
        case "stats":
            return [
                ("total_connections_received", String(totalConnections.load(ordering: .relaxed))),
                ("rejected_connections", String(rejectedConnections.load(ordering: .relaxed))),
            ]
        default:
            return []
        }
    }

    public func resetStatistics() {
        statistics.reset()
        totalConnections.store(0, ordering: .relaxed)
        rejectedConnections.store(0, ordering: .relaxed)
    }

    // MARK: Clients

    /// Registers a new connection; false when `max_clients` are already connected.
    func register(_ client: ClientHandle) -> Bool {
        totalConnections.add(1, ordering: .relaxed)
        let limit = configuration.maxClients
        let admitted = clients.withLock { table -> Bool in
            guard table.count < limit else { return false }
            table[client.id] = client
            return true
        }
        if admitted {
            connectedClients.add(1, ordering: .relaxed)
        } else {
            rejectedConnections.add(1, ordering: .relaxed)
        }
        return admitted
    }

    func unregister(_ client: ClientHandle) {
        let removed = clients.withLock { $0.removeValue(forKey: client.id) != nil }
        if removed { connectedClients.subtract(1, ordering: .relaxed) }
    }

    /// Every registered client, by id.
    func clientList() -> [ClientHandle] {
        clients.withLock { Array($0.values) }.sorted { $0.id < $1.id }
    }

}

/// Microsecond clocks without Foundation.
enum MonotonicClock {
    @inline(__always)
    static func nowMicroseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}
