// SQLEngine: runs SQL statements against the keyspace. It parses, binds
// and plans (through a per-session plan cache keyed by the statement text),
// then executes inside a transaction: the session's open one — wrapped in
// an implicit savepoint, so a failing statement leaves nothing behind and
// the transaction goes on — or, in auto-commit, one of the statement's own,
// so the statement reads one MVCC snapshot and commits atomically.
//
// Transaction control (BEGIN, COMMIT, ...) is answered as
// `.transactionControl` for the caller, which owns the session's
// transaction, to carry out.

import MemFluxCore
import MemFluxStorage

public enum SQLResult: Sendable {
    case rows(columns: [OutputColumn], rows: [Row])
    /// A query's rows, each rendered as its JSON object when it was produced (`SQLRowFormat.json`).
    case json(columns: [OutputColumn], rows: [Bytes])
    /// Rows affected by INSERT, UPDATE or DELETE without RETURNING.
    case count(Int64)
    /// DDL.
    case ok
    /// EXPLAIN: one line per operator.
    case plan([String])
    case transactionControl(Statement)
}

/// How a query answers its rows: as values, or each one rendered as it is
/// produced into the compact JSON object a RESP2 reply carries
/// (RowEncoding.json), so the rows are never held twice. Rows from DML's
/// RETURNING come as values either way.
public enum SQLRowFormat: Sendable {
    case values, json
}

/// Per-session SQL state: cached plans and whether the open transaction ran DDL.
public final class SQLSession: @unchecked Sendable {
    // @unchecked: a session is used by one thread at a time.
    /// Keyed by the statement's bytes as the client sent them: their hash is
    /// already made, so a cached statement costs no text conversion or hashing.
    var plans: [Bytes: PreparedStatement] = [:]
    /// The transaction that wrote table definitions of its own (it must read them through itself).
    var ddlTransaction: ObjectIdentifier?

    public init() {}

    static let planCacheLimit = 256
}

public final class SQLEngine: Sendable {
    public let catalog = SQLCatalog()

    public init() {}

    /// Runs one statement (its UTF-8 text). `transaction` is the session's open transaction, nil in auto-commit.
    public func execute(
        _ text: Bytes, parameters: [SQLValue], session: SQLSession, keyspace: Keyspace, transaction: Transaction?,
        format: SQLRowFormat = .values
    ) throws(MemFluxError) -> SQLResult {
        let ownDDL = transaction.map { session.ddlTransaction == ObjectIdentifier($0) } ?? false
        if transaction == nil { session.ddlTransaction = nil }
        if let transaction {
            let prepared = try prepare(text, session, KeyAccess(keyspace: keyspace, transaction: transaction), ownDDL: ownDDL)
            if case .transactionControl = prepared.action { return try prepared.run(parameters, self, KeyAccess(keyspace: keyspace, transaction: transaction), format) }
            let savepoint = SQLEngine.statementSavepoint
            transaction.savepoint(savepoint)
            do {
                let result = try prepared.run(parameters, self, KeyAccess(keyspace: keyspace, transaction: transaction), format)
                if prepared.writesCatalog { session.ddlTransaction = ObjectIdentifier(transaction) }
                _ = transaction.release(savepoint: savepoint)
                return result
            } catch {
                _ = transaction.rollback(toSavepoint: savepoint)
                _ = transaction.release(savepoint: savepoint)
                throw error
            }
        }
        // Auto-commit: a conflict with a concurrent writer retries the whole
        // statement on a fresh snapshot (nothing was visible or answered yet).
        var attempts = 0
        while true {
            let prepared = try prepare(text, session, KeyAccess(keyspace: keyspace, transaction: nil), ownDDL: false)
            // One key read or written: atomic on its own, no snapshot needed.
            if prepared.isSingleKeyRead || prepared.isSingleRowInsert {
                return try prepared.run(parameters, self, KeyAccess(keyspace: keyspace, transaction: nil), format)
            }
            if case .transactionControl = prepared.action { return try prepared.run(parameters, self, KeyAccess(keyspace: keyspace, transaction: nil), format) }
            let own = keyspace.begin(isolation: .snapshot)
            let result: SQLResult
            do {
                result = try prepared.run(parameters, self, KeyAccess(keyspace: keyspace, transaction: own), format)
            } catch {
                keyspace.rollback(own)
                throw error
            }
            switch keyspace.commit(own) {
            case .committed: return result
            case .conflict, .watchedKeyChanged:
                attempts += 1
                if attempts >= 16 {
                    throw MemFluxError(.serialization, "could not serialize access due to concurrent update")
                }
            }
        }
    }

    /// Runs one statement once per row of `parameterRows` inside `transaction`,
    /// as one unit: an error in any row undoes every row (the transaction
    /// stays open for its owner to go on or roll back). Planned once; each
    /// row costs only its own run. Answers the rows INSERT, UPDATE or DELETE
    /// affected, or nil when the statement counts none (a query's rows are
    /// not kept). `fresh`: the transaction holds nothing but this batch, and
    /// its owner rolls it back on an error, so no savepoint need record what
    /// each row overwrites.
    public func executeMany(
        _ text: Bytes, parameterRows: [[SQLValue]], session: SQLSession, keyspace: Keyspace, transaction: Transaction,
        fresh: Bool = false
    ) throws(MemFluxError) -> Int64? {
        let access = KeyAccess(keyspace: keyspace, transaction: transaction)
        let ownDDL = session.ddlTransaction == ObjectIdentifier(transaction)
        let prepared = try prepare(text, session, access, ownDDL: ownDDL)
        if prepared.isSingleRowInsert { transaction.reserveCapacity(forKeys: parameterRows.count) }
        let savepoint = SQLEngine.batchSavepoint
        if !fresh { transaction.savepoint(savepoint) }
        let statementTime = WallClock.nowMicroseconds()
        var affected: Int64?
        do {
            for parameters in parameterRows {
                let result: SQLResult
                if prepared.isCacheable && !ownDDL {
                    result = try prepared.run(parameters, self, access, .values, statementTime: statementTime)
                } else {
                    // DDL, or a plan made afresh each time: one whole statement at a time.
                    result = try execute(text, parameters: parameters, session: session, keyspace: keyspace, transaction: transaction)
                }
                if case .count(let n) = result { affected = (affected ?? 0) &+ n }
            }
        } catch {
            if !fresh {
                _ = transaction.rollback(toSavepoint: savepoint)
                _ = transaction.release(savepoint: savepoint)
            }
            throw error
        }
        if !fresh { _ = transaction.release(savepoint: savepoint) }
        return affected
    }

    /// The savepoint a batch of `executeMany` runs under, around each statement's own.
    static let batchSavepoint = Bytes("\u{0}batch")

    /// Whether `session` has prepared `text` as a statement whose work is
    /// bounded by a few keys (see `PreparedStatement.isShort`); false for a
    /// statement it has not seen, whatever it is.
    public func isShort(_ text: Bytes, session: SQLSession) -> Bool {
        session.plans[text]?.isShort ?? false
    }

    /// The savepoint each statement inside a transaction runs under; no SAVEPOINT name can spell it.
    static let statementSavepoint = Bytes("\u{0}statement")

    private func prepare(_ text: Bytes, _ session: SQLSession, _ access: KeyAccess, ownDDL: Bool) throws(MemFluxError) -> PreparedStatement {
        if !ownDDL, let cached = session.plans[text], cached.isCurrent(catalog, access.keyspace) { return cached }
        let parsed = try SQLParser.parse(text.string)
        let prepared = try PreparedStatement(parsed, engine: self, access: access, ownDDL: ownDDL)
        if !ownDDL && prepared.isCacheable {
            if session.plans.count >= SQLSession.planCacheLimit { session.plans.removeAll(keepingCapacity: true) }
            session.plans[text] = prepared
        }
        return prepared
    }
}
