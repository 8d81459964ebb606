// Transactions, two ways in:
// - BEGIN [ISOLATION LEVEL SNAPSHOT|SERIALIZABLE] ... COMMIT | ROLLBACK, with
//   savepoints: commands run in a Transaction (snapshot reads, buffered
//   writes); COMMIT validates and installs, or answers -SERIALIZATION and
//   rolls back.
// - Redis's MULTI / EXEC / DISCARD / WATCH / UNWATCH: commands are queued;
//   EXEC runs the queue as one serializable transaction, retried from the
//   start if a concurrent commit conflicts with it, so the queue is atomic
//   and isolated without stopping other clients; a changed WATCHed key makes
//   EXEC answer nil.
// VACUUM frees versions no snapshot can read any more.

import MemFluxCore
import MemFluxStorage

/// Commands queued since MULTI.
struct MultiQueue {
    var queue: [(Command, [Bytes])] = []
    /// A command was rejected while queueing: EXEC answers EXECABORT.
    var failed = false
}

extension MemFluxError {
    static let transactionInProgress = MemFluxError(.err, "there is already a transaction in progress")
    static let noTransaction = MemFluxError(.err, "there is no transaction in progress")
    static let serializationFailure = MemFluxError(
        .serialization, "could not serialize access due to a concurrent transaction; the transaction was rolled back")
    static func noSavepoint(_ name: Bytes) -> MemFluxError { MemFluxError(.err, "savepoint \"\(name.string)\" does not exist") }
    /// PostgreSQL's words, naming the statement: `SAVEPOINT can only be used in transaction blocks`.
    static func outsideTransaction(_ statement: String) -> MemFluxError {
        MemFluxError(.err, "\(statement) can only be used in transaction blocks")
    }
}

enum TransactionCommands {
    static let all: [Command] = [
        Command("begin", arity: -1, flags: [.readOnly, .transactionBlock], begin),
        Command("commit", arity: 1, flags: [.write, .transactionBlock], commit),
        Command("rollback", arity: -1, flags: [.readOnly, .transactionBlock], rollback),
        Command("savepoint", arity: 2, flags: [.readOnly, .transactionBlock], savepoint),
        Command("rollback_to_savepoint", arity: 2, flags: [.readOnly, .transactionBlock]) { c throws(MemFluxError) in try rollbackTo(c, c[1]) },
        Command("release", arity: -2, flags: [.readOnly, .transactionBlock], release),
        Command("release_savepoint", arity: 2, flags: [.readOnly, .transactionBlock]) { c throws(MemFluxError) in try release(c, c[1]) },
        Command("multi", arity: 1, flags: [.readOnly, .transactionControl], multi),
        Command("exec", arity: 1, flags: [.write, .transactionControl], exec),
        Command("discard", arity: 1, flags: [.readOnly, .transactionControl], discard),
        Command("watch", arity: -2, flags: [.readOnly, .transactionControl], keys: (1, -1, 1), watch),
        Command("unwatch", arity: 1, flags: [.readOnly, .transactionControl], unwatch),
        Command("vacuum", arity: 1, flags: [.write, .mayRunLong], vacuum),
    ]

    // BEGIN [ISOLATION LEVEL SNAPSHOT|SERIALIZABLE]
    static func begin(_ c: CommandContext) throws(MemFluxError) -> Reply {
        var isolation = c.database.configuration.isolationLevel
        if c.count != 1 {
            guard c.count == 4, c[1].equalsIgnoringCase("isolation"), c[2].equalsIgnoringCase("level") else { throw .syntax }
            if c[3].equalsIgnoringCase("snapshot") {
                isolation = .snapshot
            } else if c[3].equalsIgnoringCase("serializable") {
                isolation = .serializable
            } else {
                throw .syntax
            }
        }
        guard c.session.transaction == nil else { throw .transactionInProgress }
        c.session.transaction = c.session.keyspace.begin(isolation: isolation)
        return .ok
    }

    // COMMIT
    static func commit(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard let transaction = c.session.transaction else { throw .noTransaction }
        c.session.transaction = nil
        switch c.session.keyspace.commit(transaction) {
        case .committed:
            wakeBlockedClients(c, transaction)
            return .ok
        case .conflict, .watchedKeyChanged:
            throw .serializationFailure
        }
    }

    // ROLLBACK | ROLLBACK TO [SAVEPOINT] name
    static func rollback(_ c: CommandContext) throws(MemFluxError) -> Reply {
        if c.count == 1 {
            guard let transaction = c.session.transaction else { throw .noTransaction }
            c.session.transaction = nil
            c.session.keyspace.rollback(transaction)
            return .ok
        }
        guard c[1].equalsIgnoringCase("to") else { throw .syntax }
        if c.count == 3 { return try rollbackTo(c, c[2]) }
        guard c.count == 4, c[2].equalsIgnoringCase("savepoint") else { throw .syntax }
        return try rollbackTo(c, c[3])
    }

    // SAVEPOINT name
    static func savepoint(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard let transaction = c.session.transaction else { throw .outsideTransaction("SAVEPOINT") }
        transaction.savepoint(c[1])
        return .ok
    }

    static func rollbackTo(_ c: CommandContext, _ name: Bytes) throws(MemFluxError) -> Reply {
        guard let transaction = c.session.transaction else { throw .outsideTransaction("ROLLBACK TO SAVEPOINT") }
        guard transaction.rollback(toSavepoint: name) else { throw .noSavepoint(name) }
        return .ok
    }

    // RELEASE [SAVEPOINT] name
    static func release(_ c: CommandContext) throws(MemFluxError) -> Reply {
        if c.count == 2 { return try release(c, c[1]) }
        guard c.count == 3, c[1].equalsIgnoringCase("savepoint") else { throw .syntax }
        return try release(c, c[2])
    }

    static func release(_ c: CommandContext, _ name: Bytes) throws(MemFluxError) -> Reply {
        guard let transaction = c.session.transaction else { throw .outsideTransaction("RELEASE SAVEPOINT") }
        guard transaction.release(savepoint: name) else { throw .noSavepoint(name) }
        return .ok
    }

    // MARK: MULTI / EXEC

    static func multi(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard c.session.multi == nil else { throw MemFluxError(.err, "MULTI calls can not be nested") }
        c.session.multi = MultiQueue()
        return .ok
    }

    static func discard(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard c.session.multi != nil else { throw MemFluxError(.err, "DISCARD without MULTI") }
        c.session.multi = nil
        c.session.watched = [:]
        return .ok
    }

    // WATCH key [key ...]
    static func watch(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard c.session.multi == nil else { throw MemFluxError(.err, "WATCH inside MULTI is not allowed") }
        for key in c.args[1...] where c.session.watched[key] == nil {
            c.session.watched[key] = c.session.keyspace.lastCommit(key)
        }
        return .ok
    }

    static func unwatch(_ c: CommandContext) throws(MemFluxError) -> Reply {
        c.session.watched = [:]
        return .ok
    }

    /// Attempts before EXEC gives up on a queue that keeps conflicting.
    static let execAttempts = 1000

    static func exec(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let session = c.session
        guard let multi = session.multi else { throw MemFluxError(.err, "EXEC without MULTI") }
        session.multi = nil
        let watched = session.watched
        session.watched = [:]
        if multi.failed { throw MemFluxError(.execAbort, "Transaction discarded because of previous errors.") }
        let keyspace = session.keyspace

        // Inside BEGIN ... COMMIT the queue joins the open transaction.
        if session.transaction != nil {
            for (key, sequence) in watched where keyspace.lastCommit(key) != sequence { return .nullArray }
            return .array(run(multi.queue, in: session))
        }
        for _ in 0..<execAttempts {
            let transaction = keyspace.begin(isolation: .serializable)
            for (key, sequence) in watched { transaction.watch(key, at: sequence) }
            session.transaction = transaction
            let replies = run(multi.queue, in: session)
            session.transaction = nil
            switch keyspace.commit(transaction) {
            case .committed:
                wakeBlockedClients(c, transaction)
                return .array(replies)
            case .watchedKeyChanged:
                return .nullArray
            case .conflict:
                continue
            }
        }
        throw .serializationFailure
    }

    /// Each queued command's reply; an error is that command's reply, as in Redis.
    private static func run(_ queue: [(Command, [Bytes])], in session: Session) -> [Reply] {
        var replies: [Reply] = []
        replies.reserveCapacity(queue.count)
        for (command, args) in queue {
            do throws(MemFluxError) {
                replies.append(try session.execute(command, args))
            } catch {
                replies.append(.error(error))
            }
        }
        return replies
    }

    /// A committed transaction may have pushed to lists that clients block on.
    private static func wakeBlockedClients(_ c: CommandContext, _ transaction: Transaction) {
        for key in transaction.writtenKeys { c.signalReady(key) }
    }

    // VACUUM
    static func vacuum(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let removed = c.session.keyspace.vacuum()
        return .status("Removed \(removed.versions) versions and \(removed.keys) keys")
    }
}
