// Database: the embedded engine. It owns the keyspace, the command table, the
// registry of blocked clients and the background work (active expiry). A
// Session is one client's context; the server is a thin layer that gives each
// connection a Session.
//
//     let db = try Database(configuration: .inMemory)
//     let s = db.session()
//     try s.execute(["SET", "greeting", "hello"])   // .status("OK")
//     db.close()

import Dispatch
import MemFluxCore
import MemFluxStorage
import Synchronization

public final class Database: Sendable {
    public let configuration: Configuration
    public let keyspace: Keyspace
    public let commands: CommandTable
    public let blocking = BlockingRegistry()
    private let stopped = Atomic<Bool>(false)
    private let nextSessionID = Atomic<Int64>(0)

    public init(configuration: Configuration = Configuration()) throws(MemFluxError) {
        self.configuration = configuration
        self.keyspace = Keyspace()
        self.commands = CommandTable(Database.commandFamilies)
        scheduleActiveExpiry()
    }

    /// Every command family the engine serves; the server adds its own.
    static var commandFamilies: [[Command]] {
        [
            ServerCommands.all, KeyspaceCommands.all, StringCommands.all, ExpiryCommands.all,
            ListCommands.all, SetCommands.all, HashCommands.all, JSONCommands.all, TransactionCommands.all,
        ]
    }

    /// A new session (transaction context) on this database.
    public func session() -> Session {
        Session(database: self, id: nextSessionID.add(1, ordering: .relaxed).newValue)
    }

    /// Stops background work. Sessions must not be used afterwards.
    public func close() {
        stopped.store(true, ordering: .relaxed)
    }

    deinit { close() }

    /// Active expiry and vacuum: every interval, reclaim keys whose TTL has
    /// passed (a bounded number per shard per round, so a pass never pauses
    /// writers long) and versions no open snapshot can read.
    private func scheduleActiveExpiry() {
        let interval = configuration.activeExpiryIntervalMilliseconds
        guard interval > 0 else { return }
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .milliseconds(interval)) { [weak self] in
            guard let self, !self.stopped.load(ordering: .relaxed) else { return }
            self.keyspace.expireDueKeys()
            self.keyspace.vacuum()
            self.scheduleActiveExpiry()
        }
    }
}
