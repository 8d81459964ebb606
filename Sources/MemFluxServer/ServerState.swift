// ServerState: what every connection of one server shares — the database,
// the live configuration, the client registry, counters for INFO, the
// command statistics and the slow log.
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

public final class ServerState: Sendable {
    public let database: Database
    /// The settings in force; CONFIG SET changes the runtime ones.
    let config: Mutex<Configuration>
    let logger: Logger
    /// Runs commands that may take long (KEYS, SCAN, INFO) off the event loops.
    let threadPool: NIOThreadPool
    let serverCommands: ServerCommandTable
    /// Where config.json lives, for INFO.
    let configFile: String

    let startedAt = MonotonicClock.nowMicroseconds()
    /// INFO's run_id: 40 random hex digits, new each start.
    let runID: String = {
        var generator = SystemRandomNumberGenerator()
        return String((0..<40).map { _ in Array("0123456789abcdef")[Int(generator.next() % 16)] })
    }()
    let clients = Mutex<[Int64: ClientHandle]>([:])
    let connectedClients = Atomic<Int>(0)
    let blockedClients = Atomic<Int>(0)
    let totalConnections = Atomic<Int>(0)
    let rejectedConnections = Atomic<Int>(0)
    let totalCommands = Atomic<Int>(0)
    let stats: CommandStats
    let slowlog = Slowlog()
    /// `slowlog_log_slower_than` in microseconds (negative: off), read on every command.
    let slowlogThreshold: Atomic<Int>
    let slowlogMaxLength: Atomic<Int>

    public init(database: Database, configuration: Configuration, configFile: String, logger: Logger, threadPool: NIOThreadPool) {
        self.database = database
        self.config = Mutex(configuration)
        self.configFile = configFile
        self.logger = logger
        self.threadPool = threadPool
        let serverCommands = ServerCommandTable()
        self.serverCommands = serverCommands
        self.stats = CommandStats(database.commands.all + serverCommands.table.all)
        self.slowlogThreshold = Atomic(configuration.slowlogLogSlowerThanMicroseconds)
        self.slowlogMaxLength = Atomic(configuration.slowlogMaxLen)
    }

    var configuration: Configuration { config.withLock { $0 } }

    /// Changes runtime settings and the atomics mirroring them.
    func updateConfiguration(_ body: (inout Configuration) -> Void) {
        let updated = config.withLock { c -> Configuration in
            body(&c)
            return c
        }
        slowlogThreshold.store(updated.slowlogLogSlowerThanMicroseconds, ordering: .relaxed)
        slowlogMaxLength.store(updated.slowlogMaxLen, ordering: .relaxed)
        slowlog.trim(to: updated.slowlogMaxLen)
    }

    // MARK: Clients

    /// Registers a new connection; false when `max_clients` are already connected.
    func register(_ client: ClientHandle) -> Bool {
        totalConnections.add(1, ordering: .relaxed)
        let limit = config.withLock { $0.maxClients }
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

    var uptimeSeconds: Int64 { (MonotonicClock.nowMicroseconds() - startedAt) / 1_000_000 }
}

/// Microsecond clocks without Foundation.
enum MonotonicClock {
    @inline(__always)
    static func nowMicroseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }

    static func wallMicroseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}
