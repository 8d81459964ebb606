// Database: the embedded engine. It owns the keyspace, the command table, the
// registry of blocked clients, persistence (recovery at open, the write-ahead
// log, snapshots), the background work (active expiry, vacuum, snapshots
// when the log grows) and what INFO, CONFIG and SLOWLOG report (settings in
// force, command statistics, the slow log). A Session is one client's
// context; the server is a thin layer that gives each connection a Session
// and attaches itself as the FrontDoor for its clients and port.
//
//     let db = try Database(configuration: .inMemory)
//     let s = db.session()
//     try s.execute(["SET", "greeting", "hello"])   // .status("OK")
//     db.close()

import Dispatch
import MemFluxCore
import MemFluxPersistence
import MemFluxSQL
import MemFluxStorage
import Synchronization

public final class Database: Sendable {
    public let configuration: Configuration
    public let keyspace: Keyspace
    public let commands: CommandTable
    public let blocking = BlockingRegistry()
    /// The SQL engine: its catalog cache is shared by every session.
    public let sql = SQLEngine()
    /// The log and snapshots; nil with `persistence: false` (no file is touched).
    public let persistence: Persistence?
    /// Unix seconds when the database opened.
    public let startTime = WallClock.nowMilliseconds() / 1000
    /// INFO's run_id: 40 random hex digits, new each time the database opens.
    public let runID: String = {
        var generator = SystemRandomNumberGenerator()
        return String((0..<40).map { _ in Array("0123456789abcdef")[Int(generator.next() % 16)] })
    }()
    /// The settings in force (CONFIG SET changes the runtime ones).
    public let settings: LiveSettings
    /// Calls and time per command, for INFO commandstats.
    public let statistics: CommandStats
    public let slowlog = Slowlog()
    /// Sessions open now (INFO's connected_clients without a server).
    let openSessions = Atomic<Int>(0)
    private let report: @Sendable (String) -> Void
    private let stopped = Atomic<Bool>(false)
    /// Runs active expiry, vacuum and snapshots in the background; nil when the interval is 0.
    /// (nonisolated(unsafe): a dispatch source may be cancelled from any thread.)
    nonisolated(unsafe) private let backgroundTimer: (any DispatchSourceTimer)?
    /// Signalled once the timer is cancelled, which is after any pass in progress has returned.
    private let backgroundStopped = DispatchSemaphore(value: 0)
    private let nextSessionID = Atomic<Int64>(0)
    private let attachedFrontDoor = Mutex<(any FrontDoor)?>(nil)

    /// Opens the database, first recovering what the data files in
    /// `configuration.directory` hold. `report` receives progress lines and
    /// warnings (a torn log tail cut off, a snapshot loading). Damaged files
    /// are an error naming the file and byte offset.
    public init(
        configuration: Configuration = Configuration(), report: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(MemFluxError) {
        self.configuration = configuration
        self.keyspace = Keyspace()
        self.commands = CommandTable(Database.commandFamilies)
        self.settings = LiveSettings(configuration)
        self.statistics = CommandStats(commands.all)
        self.report = report
        if configuration.persistence {
            do {
                persistence = try Persistence(keyspace: keyspace, configuration: configuration, report: report)
            } catch {
                throw MemFluxError(.err, error.description)
            }
        } else {
            persistence = nil
        }
        let interval = configuration.activeExpiryIntervalMilliseconds
        if interval > 0 {
            let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
            timer.schedule(deadline: .now() + .milliseconds(interval), repeating: .milliseconds(interval))
            backgroundTimer = timer
        } else {
            backgroundTimer = nil
        }
        startBackgroundWork()
    }

    /// Every command family the engine serves; the server adds its own.
    static var commandFamilies: [[Command]] {
        [
            ServerCommands.all, KeyspaceCommands.all, StringCommands.all, ExpiryCommands.all,
            ListCommands.all, SetCommands.all, HashCommands.all, JSONCommands.all, TransactionCommands.all,
            SQLCommands.all, AdminCommands.all,
        ]
    }

    /// A new session (transaction context) on this database.
    public func session() -> Session {
        Session(database: self, id: nextSessionID.add(1, ordering: .relaxed).newValue)
    }

    /// Makes `frontDoor` (the server) part of what INFO, CONFIG and COMMAND answer.
    public func attach(_ frontDoor: any FrontDoor) {
        attachedFrontDoor.withLock { $0 = frontDoor }
    }

    /// The front door attached, if any.
    public var frontDoor: (any FrontDoor)? { attachedFrontDoor.withLock { $0 } }

    /// Stops background work (waiting for a pass in progress) and, with persistence, writes a final snapshot
    /// and closes the log. Sessions must not be used afterwards.
    public func close() {
        stop(waitingForBackgroundWork: true)
    }

    /// The last reference can go in a background pass itself (which holds the
    /// database while it runs): deinit must not wait for that pass.
    deinit { stop(waitingForBackgroundWork: false) }

    private func stop(waitingForBackgroundWork: Bool) {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // Waits for a background pass in progress: after close nothing runs on the database behind the caller.
        if let backgroundTimer {
            backgroundTimer.cancel()
            if waitingForBackgroundWork { backgroundStopped.wait() }
        }
        persistence?.close(report: report)
    }

    /// Active expiry and vacuum: every interval, reclaim keys whose TTL has
    /// passed (a bounded number per shard per round, so a pass never pauses
    /// writers long) and versions no open snapshot can read; start a snapshot
    /// when the log has outgrown its threshold. The timer holds the database
    /// weakly, so an unclosed database still goes away when its users let go.
    private func startBackgroundWork() {
        guard let backgroundTimer else { return }
        let stopped = backgroundStopped
        backgroundTimer.setEventHandler { [weak self] in
            guard let self, !self.stopped.load(ordering: .relaxed) else { return }
            self.keyspace.expireDueKeys()
            self.keyspace.vacuum()
            self.persistence?.snapshotIfLogIsLarge()
        }
        backgroundTimer.setCancelHandler { stopped.signal() }
        backgroundTimer.resume()
    }
}
