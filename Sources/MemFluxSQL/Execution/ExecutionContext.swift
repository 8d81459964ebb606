// ExecutionContext: what one statement's execution carries — the keyspace
// view (always inside a transaction: the session's, or the statement's own
// in auto-commit, so every statement reads one MVCC snapshot), the bound
// parameters, the rows of enclosing queries for correlated subqueries, and
// per-execution caches.

import MemFluxCore
import MemFluxStorage

/// One row flowing between operators: values by position.
public typealias Row = [SQLValue]

/// Receives rows from an operator; returns false to stop the producer (LIMIT, EXISTS).
typealias RowSink = (borrowing Row) throws(MemFluxError) -> Bool

final class ExecutionContext {
    /// Rows one statement may hold at once in a result, a sort, a hash table or a materialized join
    /// side: a query that would need more fails instead of taking unbounded memory.
    static let materializedRowLimit = 10_000_000

    static func tooManyRows() -> MemFluxError {
        MemFluxError(.err, "statement would hold more than \(materializedRowLimit) rows in memory")
    }

    let keyspace: KeyAccess
    let parameters: [SQLValue]
    let catalog: SQLCatalog
    /// When the statement started (Unix microseconds): now() and CURRENT_TIMESTAMP.
    let statementTime: Int64
    private var outerRows: [Row] = []
    /// What functions see: now() is the statement's start (its transaction's, inside one).
    let evaluation: EvaluationContext
    /// Results of uncorrelated subqueries, computed once per execution.
    var subqueryResults: [ObjectIdentifier: [SQLValue]] = [:]
    /// Rows kept for this execution: a WITH query read more than once (by its CommonTablePlan),
    /// a recursive query's working table (by its WorkingTable).
    var materializedRows: [ObjectIdentifier: [Row]] = [:]

    init(keyspace: KeyAccess, parameters: [SQLValue], catalog: SQLCatalog, statementTime: Int64) {
        self.keyspace = keyspace
        self.parameters = parameters
        self.catalog = catalog
        self.statementTime = statementTime
        self.evaluation = EvaluationContext(transactionTime: statementTime)
    }

    func parameter(_ n: Int, as type: SQLType) throws(MemFluxError) -> SQLValue {
        try ExecutionContext.parameter(n, of: parameters, as: type)
    }

    /// Parameter `$n` of `parameters` as a value of `type`.
    static func parameter(_ n: Int, of parameters: [SQLValue], as type: SQLType) throws(MemFluxError) -> SQLValue {
        guard n >= 1, n <= parameters.count else {
            throw MemFluxError(.err, "there is no parameter $\(n)")
        }
        let value = parameters[n - 1]
        switch (value, type) {
        case (.null, _), (_, .dynamic), (_, .unknown): return value
        // A client's text for an integer (a key, most often), parsed without the cast's dispatch.
        case (.text(let text), .smallint), (.text(let text), .integer), (.text(let text), .bigint):
            return .int(try SQLCast.parseInteger(text, type))
        default: break
        }
        return try SQLCast.cast(value, to: type, explicit: false)
    }

    func pushOuter(_ row: Row) { outerRows.append(row) }
    func popOuter() { outerRows.removeLast() }

    func outerRow(depth: Int) -> Row {
        outerRows[outerRows.count - depth]
    }
}
