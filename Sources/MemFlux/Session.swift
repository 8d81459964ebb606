// Session: one client's context — the connection's state in the server, a
// handle in the embedded API. It looks commands up, checks arity, and runs
// them. Without BEGIN every command is its own atomic transaction
// (auto-commit); between BEGIN and COMMIT commands run in `transaction`;
// between MULTI and EXEC they are queued (see TransactionCommands).
//
// A session is used by one thread at a time.

import Dispatch
import MemFluxCore
import MemFluxPersistence
import MemFluxSQL
import MemFluxStorage

public final class Session: @unchecked Sendable {
    // @unchecked: a session is confined to one thread at a time by contract
    // (one connection, or one embedded caller); it holds no shared mutable state.
    public let database: Database
    public let id: Int64
    /// The database's keyspace and blocking registry, held without reference
    /// counting: they live as long as `database`, which this session holds. A
    /// counted reference would bounce one cache line between the cores for
    /// every command of every connection.
    public unowned(unsafe) let keyspace: Keyspace
    public unowned(unsafe) let blocking: BlockingRegistry
    /// CLIENT SETNAME's name.
    public var name: Bytes?
    /// Who is calling, as the slow log shows it: a server sets its client's address.
    public var clientAddress = "embedded"
    /// The open explicit transaction (BEGIN, or EXEC while it runs).
    public internal(set) var transaction: Transaction?
    /// Commands queued since MULTI.
    var multi: MultiQueue?
    /// WATCHed keys and the commit sequence number each had when watched.
    var watched: [Bytes: UInt64] = [:]
    /// 2 or 3, as HELLO chose: SQL rows answer JSON text in RESP2 and maps in RESP3.
    public var protocolVersion = 2
    /// Cached SQL plans and the SQL state of the open transaction.
    let sqlSession = SQLSession()

    /// True between MULTI and EXEC/DISCARD.
    public var isQueueing: Bool { multi != nil }
    /// True in BEGIN ... COMMIT or MULTI ... EXEC: blocking commands do not block there.
    public var isInTransaction: Bool { transaction != nil || multi != nil }

    init(database: Database, id: Int64) {
        self.database = database
        self.id = id
        self.keyspace = database.keyspace
        self.blocking = database.blocking
        database.openSessions.add(1, ordering: .relaxed)
    }

    /// A session that ends inside a transaction rolls it back, releasing its snapshot.
    deinit {
        if let transaction { database.keyspace.rollback(transaction) }
        database.openSessions.subtract(1, ordering: .relaxed)
    }

    /// Marks the MULTI block failed (EXEC will answer EXECABORT): a front door
    /// calls this when it rejects a command before it could be queued.
    public func rejectWhileQueueing() {
        multi?.failed = true
    }

    /// Runs one command, e.g. `["SET", "k", "v"]`; command errors are thrown.
    /// Blocking commands (BLPOP...) wait on the calling thread, and so does a
    /// write until the configured durability allows its answer.
    ///
    /// - Complexity: that of the command (O(1) for GET, SET, LPUSH...).
    @discardableResult
    public func execute(_ args: [Bytes]) throws(MemFluxError) -> Reply {
        let command: Command
        do {
            command = try resolve(args)
        } catch {
            rejectWhileQueueing()
            throw error
        }
        let start = WallClock.monotonicNanoseconds()
        do {
            let reply = try executeDurably(command, args)
            record(command, args, since: start, failed: false)
            return reply
        } catch {
            record(command, args, since: start, failed: true)
            throw error
        }
    }

    /// Runs `command` and answers once its writes are as durable as configured.
    private func executeDurably(_ command: Command, _ args: [Bytes]) throws(MemFluxError) -> Reply {
        try awaitingDurability { () throws(MemFluxError) in try execute(command, args) }
    }

    /// `body`'s answer (or error), once what it logged is as durable as configured (Database+Durability).
    private func awaitingDurability<R>(_ body: () throws(MemFluxError) -> R) throws(MemFluxError) -> R {
        let mark = database.durabilityMark()
        let result: R
        do {
            result = try body()
        } catch {
            if database.mustAwaitDurability(since: mark) { database.makeDurable() }
            throw error
        }
        if database.mustAwaitDurability(since: mark) { try database.awaitDurability() }
        return result
    }

    /// Counts a call for INFO commandstats and logs it when slow. (A server
    /// counts its connections' calls itself, in batches.)
    private func record(_ command: Command, _ args: @autoclosure () -> [Bytes], since start: UInt64, failed: Bool) {
        let microseconds = Int64((WallClock.monotonicNanoseconds() &- start) / 1000)
        database.statistics.record(command, microseconds: microseconds, failed: failed)
        let threshold = database.settings.slowlogThreshold.load(ordering: .relaxed)
        if threshold >= 0 && microseconds >= threshold {
            database.slowlog.record(
                args: args(), microseconds: microseconds, client: clientAddress, name: name?.string ?? "",
                maxLength: database.settings.slowlogMaxLength.load(ordering: .relaxed))
        }
    }

    /// Runs `command`, already found (and arity-checked) by `resolve(args)`;
    /// for front doors that look a command up once to check its flags first.
    @discardableResult
    public func execute(_ command: Command, _ args: [Bytes]) throws(MemFluxError) -> Reply {
        if multi != nil && !command.flags.contains(.transactionControl) {
            if command.flags.contains(.transactionBlock) {
                multi?.failed = true
                throw MemFluxError(.err, "\(command.name.uppercased()) inside MULTI is not allowed")
            }
            multi?.queue.append((command, args))
            return .queued
        }
        if command.flags.contains(.write) { try database.refuseWritesWhileLogFails() }
        let context = CommandContext(args: args, session: self)
        if let handler = command.handler { return try handler(context) }
        // Inside a transaction a blocking command answers at once, as in Redis's MULTI.
        if transaction != nil { return try attemptOnce(command.blocking!, context) }
        return try waitFor(command.blocking!, context)
    }

    /// Runs one SQL statement with its `?` / `$n` parameters bound as values:
    ///
    ///     let result = try session.sql("SELECT name FROM users WHERE id = ?", [1])
    ///     if case .rows(let columns, let rows) = result { ... }   // rows: [[SQLValue]]
    ///
    /// Inside BEGIN ... COMMIT it is part of the open transaction; otherwise it is its own.
    /// - Complexity: a point SELECT by primary key is one key lookup (its plan is cached by text).
    @discardableResult
    public func sql(_ text: String, _ parameters: [SQLValue] = []) throws(MemFluxError) -> SQLResult {
        try sql(Bytes(text), parameters)
    }

    /// `sql` for a statement already in bytes (its plan is cached by them).
    @discardableResult
    public func sql(_ statement: Bytes, _ parameters: [SQLValue] = []) throws(MemFluxError) -> SQLResult {
        try database.refuseWritesWhileLogFails()
        let start = WallClock.monotonicNanoseconds()
        do {
            let result = try awaitingDurability { () throws(MemFluxError) -> SQLResult in
                let result = try database.sql.execute(
                    statement, parameters: parameters, session: sqlSession, keyspace: keyspace, transaction: transaction)
                if case .transactionControl = result {
                    _ = try SQLCommands.run(self, statement, parameters: parameters)
                    return .ok
                }
                return result
            }
            record(SQLCommands.sqlCommand, [Session.sqlWord, statement], since: start, failed: false)
            return result
        } catch {
            record(SQLCommands.sqlCommand, [Session.sqlWord, statement], since: start, failed: true)
            throw error
        }
    }

    private static let sqlWord = Bytes("SQL")

    @discardableResult
    public func execute(_ args: [String]) throws(MemFluxError) -> Reply {
        try execute(args.map { Bytes($0) })
    }

    /// Runs one command and answers its error as a reply instead of throwing.
    @discardableResult
    public func reply(_ args: [Bytes]) -> Reply {
        do { return try execute(args) } catch { return .error(error) }
    }

    /// The command for `args`, with arity checked.
    public func resolve(_ args: [Bytes]) throws(MemFluxError) -> Command {
        guard let name = args.first else { throw MemFluxError(.err, "empty command") }
        guard let command = database.commands.lookup(name) else {
            throw .unknownCommand(name.string, args: args.dropFirst().map(\.string))
        }
        guard command.acceptsArgumentCount(args.count) else { throw .wrongArity(command.name) }
        if command.keys.first > 0 { try Session.refuseSystemKeys(command, args) }
        return command
    }

    /// Keys starting with 0x00 0xFF belong to the engine (the SQL catalog, later graphs and indexes):
    /// a client naming one as a key is refused, so it can neither read nor overwrite them.
    @inline(__always)
    public static func refuseSystemKeys(_ command: Command, _ args: [Bytes]) throws(MemFluxError) {
        let (first, last, step) = command.keys
        let end = last < 0 ? args.count + last : min(last, args.count - 1)
        guard first <= end, step > 0 else { return }
        for i in stride(from: first, through: end, by: step) where args[i].isSystemKey {
            throw MemFluxError(.err, "keys starting with \\x00\\xff are reserved for MemFlux's own data")
        }
    }

    /// Starts a blocking command without waiting, for a front door that parks
    /// connections rather than threads: validates the arguments (throwing
    /// as `execute` would) and answers the keys, the timeout and an `attempt`
    /// to call now and after every wake-up. Park a waiter on `keys` before
    /// each attempt (or keep it parked), as `waitFor` does.
    ///
    ///     let call = try session.startBlocking(command, args)
    ///     db.blocking.park(waiter, on: call.keys)
    ///     if let reply = try call.attempt() { db.blocking.unpark(waiter, from: call.keys); ... }
    public func startBlocking(_ command: Command, _ args: [Bytes]) throws(MemFluxError) -> BlockingCall {
        guard let handler = command.blocking else {
            preconditionFailure("startBlocking on the non-blocking command \(command.name)")
        }
        let context = CommandContext(args: args, session: self)
        let (keys, timeout) = try handler.parse(context)
        return BlockingCall(handler: handler, context: context, keys: keys, timeout: timeout)
    }

    func attemptOnce(_ blocking: BlockingHandler, _ context: CommandContext) throws(MemFluxError) -> Reply {
        _ = try blocking.parse(context)
        return try blocking.attempt(context) ?? blocking.timeoutReply
    }

    /// Parks on the command's keys until it can answer or times out. The
    /// waiter is parked before each attempt, so a push between an empty
    /// attempt and the wait still wakes it.
    private func waitFor(_ blocking: BlockingHandler, _ context: CommandContext) throws(MemFluxError) -> Reply {
        let (keys, timeout) = try blocking.parse(context)
        // Past about 292 years DispatchTime cannot count the nanoseconds: wait for good.
        let nanoseconds = timeout * 1e9
        let deadline: DispatchTime = timeout == 0 || nanoseconds >= Double(Int64.max / 2)
            ? .distantFuture : .now() + .nanoseconds(Int(nanoseconds))
        let semaphore = DispatchSemaphore(value: 0)
        let waiter = BlockingWaiter { semaphore.signal() }
        while true {
            database.blocking.park(waiter, on: keys)
            let reply: Reply?
            do {
                reply = try blocking.attempt(context)
            } catch {
                database.blocking.unpark(waiter, from: keys)
                throw error
            }
            if let reply {
                database.blocking.unpark(waiter, from: keys)
                return reply
            }
            let woken = semaphore.wait(timeout: deadline) == .success
            database.blocking.unpark(waiter, from: keys)
            if !woken { return blocking.timeoutReply }
        }
    }
}

/// A blocking command in progress on a parked connection (see `Session.startBlocking`).
public struct BlockingCall {
    let handler: BlockingHandler
    let context: CommandContext
    /// The keys to park on.
    public let keys: [Bytes]
    /// Seconds to wait; 0 waits forever.
    public let timeout: Double

    /// The command's answer, or nil when it would still block.
    public func attempt() throws(MemFluxError) -> Reply? { try handler.attempt(context) }

    /// The reply when the timeout passes (a null array for BLPOP).
    public var timeoutReply: Reply { handler.timeoutReply }
}
