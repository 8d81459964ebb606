// PreparedStatement: a statement bound and planned once, run many times
// (a session caches them by text). It records the table definitions it was
// planned against; a later DDL on any of them makes it stale.

import MemFluxCore
import MemFluxStorage

final class PreparedStatement: @unchecked Sendable {
    // @unchecked: immutable after init; used by one session at a time.
    enum Action {
        case query(BoundQuery)
        case insert(InsertPlan)
        case update(UpdatePlan)
        case delete(DeletePlan)
        case createTable(TableDefinition, ifNotExists: Bool)
        case dropTable([String], ifExists: Bool)
        case truncate([String])
        case alterTable(AlterPlan)
        case explain([String])
        case transactionControl(Statement)
    }

    let action: Action
    let parameterCount: Int
    /// The definition key of each table the plan read, with the commit sequence it had.
    let dependencies: [(key: Bytes, version: UInt64)]
    /// A point read by key in auto-commit needs no snapshot of its own: one read is atomic.
    let isSingleKeyRead: Bool
    /// Work bounded by a few keys (a point read, an INSERT of a few rows): the
    /// server runs such a statement on the event loop rather than offloading it.
    let isShort: Bool
    /// A one-row INSERT (see `InsertPlan.isSingleRowInsert`).
    let isSingleRowInsert: Bool
    /// A query of bare columns of the one row a key names, answered without
    /// running its plan (see `PointRead`).
    private let pointRead: PointRead?

    init(_ parsed: ParsedStatement, engine: SQLEngine, access: KeyAccess, ownDDL: Bool) throws(MemFluxError) {
        let binder = Binder(catalog: engine.catalog, access: access, ownDDL: ownDDL, statement: parsed.statement)
        action = try PreparedStatement.plan(parsed.statement, binder)
        parameterCount = parsed.parameterCount
        dependencies = binder.dependencies.map { (TableDefinition.storageKey($0.key), $0.value) }
        if case .query(let q) = action {
            isSingleKeyRead = PreparedStatement.readsOneKey(q.plan)
            pointRead = PointRead(q)
            PreparedStatement.letConsumersRunInPlace(q.plan)
        } else {
            isSingleKeyRead = false
            pointRead = nil
        }
        if case .insert(let insert) = action {
            // An INSERT of up to 16 VALUES rows is a few key reads and writes.
            isShort = (insert.keyBoundRowCount ?? .max) <= 16
            isSingleRowInsert = insert.isSingleRowInsert
        } else {
            isShort = isSingleKeyRead
            isSingleRowInsert = false
        }
    }

    private static func plan(_ statement: Statement, _ binder: Binder) throws(MemFluxError) -> Action {
        switch statement {
        case .query(let q): return .query(try binder.bindQuery(q, Scope(parent: nil)))
        case .insert(let i): return .insert(try binder.bindInsert(i))
        case .update(let u): return .update(try binder.bindUpdate(u))
        case .delete(let d): return .delete(try binder.bindDelete(d))
        case .createTable(let c): return .createTable(try binder.bindCreateTable(c), ifNotExists: c.ifNotExists)
        case .dropTable(let names, let ifExists, _):
            return .dropTable(try names.map { (n) throws(MemFluxError) in try binder.tableName(n) }, ifExists: ifExists)
        case .truncate(let names):
            return .truncate(try names.map { (n) throws(MemFluxError) in try binder.table(n, at: 0).name })
        case .alterTable(let name, let ifExists, let change):
            return .alterTable(try binder.bindAlterTable(name, ifExists: ifExists, change))
        case .explain(let inner, _):
            var lines: [String] = []
            switch try plan(inner, binder) {
            case .query(let q): q.plan.explain(into: &lines)
            case .insert(let i): i.explain(into: &lines)
            case .update(let u): u.explain(into: &lines)
            case .delete(let d): d.explain(into: &lines)
            default: lines = ["Utility statement"]
            }
            return .explain(lines)
        case .begin, .commit, .rollback, .savepoint, .rollbackToSavepoint, .releaseSavepoint:
            return .transactionControl(statement)
        case .createIndex, .dropIndex:
            throw MemFluxError(.err, "secondary indexes are not supported yet")
        case .createView, .dropView:
            throw MemFluxError(.err, "views are not supported yet")
        case .createSchema, .dropSchema:
            throw MemFluxError(.err, "schemas are not supported yet")
        }
    }

    var writesCatalog: Bool {
        switch action {
        case .createTable, .dropTable, .alterTable: true
        default: false
        }
    }

    /// DDL and transaction control are planned afresh each time (they read the catalog as they run).
    var isCacheable: Bool {
        switch action {
        case .query, .insert, .update, .delete: true
        default: false
        }
    }

    func isCurrent(_ catalog: SQLCatalog, _ keyspace: Keyspace) -> Bool {
        for (key, version) in dependencies where catalog.version(key: key, in: keyspace) != version { return false }
        return true
    }

    func run(
        _ parameters: [SQLValue], _ engine: SQLEngine, _ access: KeyAccess, _ format: SQLRowFormat,
        statementTime: Int64? = nil
    ) throws(MemFluxError) -> SQLResult {
        // EXPLAIN shows a parameterized plan without running it, so it needs no values.
        if case .explain(let lines) = action { return .plan(lines) }
        guard parameters.count == parameterCount else {
            throw MemFluxError(.err, "bind message supplies \(parameters.count) parameters, but prepared statement \"\" requires \(parameterCount)")
        }
        if let pointRead, case .query(let q) = action {
            let row = try pointRead.run(parameters, access)
            switch format {
            case .values: return .rows(columns: q.columns, rows: row.map { [$0] } ?? [])
            case .json: return .json(columns: q.columns, rows: row.map { [RowEncoding.json($0, q.columns)] } ?? [])
            }
        }
        let context = ExecutionContext(
            keyspace: access, parameters: parameters, catalog: engine.catalog, statementTime: statementTime ?? WallClock.nowMicroseconds())
        switch action {
        case .query(let q) where format == .json:
            // Each row rendered as it comes: its hidden columns (sort keys past the select list) are not read.
            var encoded: [Bytes] = []
            try q.plan.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
                if encoded.count >= ExecutionContext.materializedRowLimit { throw ExecutionContext.tooManyRows() }
                encoded.append(RowEncoding.json(row, q.columns))
                return true
            }
            return .json(columns: q.columns, rows: encoded)
        case .query(let q):
            var rows: [Row] = []
            let visible = q.columns.count
            try q.plan.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
                if rows.count >= ExecutionContext.materializedRowLimit { throw ExecutionContext.tooManyRows() }
                rows.append(row.count == visible ? copy row : Array(row[0..<visible]))
                return true
            }
            return .rows(columns: q.columns, rows: rows)
        case .insert(let plan): return try plan.run(context)
        case .update(let plan): return try plan.run(context)
        case .delete(let plan): return try plan.run(context)
        case .createTable(let definition, let ifNotExists):
            if try engine.catalog.table(definition.name, in: access, ownDDL: true) != nil {
                if ifNotExists { return .ok }
                throw MemFluxError(.err, "relation \"\(definition.name)\" already exists")
            }
            engine.catalog.store(definition, named: definition.name, in: access)
            return .ok
        case .dropTable(let names, let ifExists):
            for name in names where try engine.catalog.table(name, in: access, ownDDL: true) == nil {
                if !ifExists { throw MemFluxError(.err, "table \"\(name)\" does not exist") }
            }
            for name in names where try engine.catalog.table(name, in: access, ownDDL: true) != nil {
                try TableRows.deleteAll(Bytes(name + ":"), access)
                engine.catalog.store(nil, named: name, in: access)
            }
            return .ok
        case .truncate(let names):
            for name in names { try TableRows.deleteAll(Bytes(name + ":"), access) }
            return .ok
        case .alterTable(let plan):
            try plan.run(context, engine.catalog)
            return .ok
        case .explain(let lines): return .plan(lines)
        case .transactionControl(let statement): return .transactionControl(statement)
        }
    }
}

/// `SELECT a, b FROM t WHERE id = ?`: bare columns of the row a key lookup
/// finds by one parameter or constant, with no filter left over. The row is
/// read with only those columns decoded, straight into the result row: the
/// one Project over KeyLookup produces, without running either of them or
/// making an ExecutionContext.
private struct PointRead {
    enum KeyValue {
        case parameter(Int, SQLType)
        case constant(SQLValue)
    }

    let lookup: PhysicalKeyLookup
    let key: KeyValue
    /// The lookup's columns, in select-list order.
    let columns: [Int]

    init?(_ query: BoundQuery) {
        guard let project = query.plan as? PhysicalProject, let lookup = project.input as? PhysicalKeyLookup,
            lookup.filter == nil, !lookup.includeKey, lookup.keyValues.count == 1,
            project.expressions.count == query.columns.count
        else { return nil }
        switch lookup.keyValues[0] {
        case .parameter(let n, let type): key = .parameter(n, type)
        case .constant(let value, _): key = .constant(value)
        default: return nil
        }
        var columns: [Int] = []
        for e in project.expressions {
            guard case .column(let i, _) = e else { return nil }
            columns.append(i)
        }
        self.lookup = lookup
        self.columns = columns
    }

    /// The row the key names, if there is one.
    func run(_ parameters: [SQLValue], _ access: KeyAccess) throws(MemFluxError) -> Row? {
        let value: SQLValue
        switch key {
        case .parameter(let n, let type): value = try ExecutionContext.parameter(n, of: parameters, as: type)
        case .constant(let constant): value = constant
        }
        if value.isNull { return nil }
        return try lookup.values(at: columns, key: try RowKey.make(lookup.source.prefix, value), in: access)
    }
}

extension PreparedStatement {
    /// Marks the table scan under a chain of operators that read nothing but
    /// their input rows (no subquery, no second table) to run that chain in
    /// place (`PhysicalTableScan.consumersRunInPlace`): nothing above it can
    /// call into the keyspace while a shard is locked. The scan then decodes
    /// only the columns the chain reads (`reading`: the positions of `plan`'s
    /// rows that its consumers read, nil for all of them). A lookup join
    /// over a table scan is such a consumer too (see its case).
    static func letConsumersRunInPlace(_ plan: PhysicalOperator, reading: Set<Int>? = nil) {
        let local: (BoundExpression) -> Bool = { !Rules.containsSubquery($0) }
        switch plan {
        case let scan as PhysicalTableScan:
            guard scan.filter.map(local) ?? true else { return }
            scan.consumersRunInPlace = true
            scan.consumedColumns = reading.map { $0.sorted() }
            scan.decodedColumns = reading.map { columns(read: $0, by: scan.filter.map { [$0] } ?? []).sorted() }
        case let project as PhysicalProject:
            guard project.expressions.allSatisfy(local) else { return }
            let used = project.expressions.indices.filter { reading?.contains($0) ?? true }.map { project.expressions[$0] }
            letConsumersRunInPlace(project.input, reading: columns(read: [], by: used))
        case let filter as PhysicalFilter:
            guard local(filter.condition) else { return }
            letConsumersRunInPlace(filter.input, reading: reading.map { columns(read: $0, by: [filter.condition]) })
        case let limit as PhysicalLimit:
            // LIMIT and OFFSET are evaluated before the input runs.
            letConsumersRunInPlace(limit.input, reading: reading)
        case let sort as PhysicalSort:
            guard sort.keys.allSatisfy({ local($0.expression) }) else { return }
            // Positions below a filter are the scan's own.
            var below = sort.input
            while let filter = below as? PhysicalFilter { below = filter.input }
            if sort.limit != nil, sort.keys.count == 1, case .column(let i, _) = sort.keys[0].expression,
                let scan = below as? PhysicalTableScan {
                let cutoff = TopNCutoff(column: i, descending: sort.keys[0].descending)
                sort.cutoff = cutoff
                scan.cutoff = cutoff
            }
            letConsumersRunInPlace(sort.input, reading: reading.map { columns(read: $0, by: sort.keys.map(\.expression)) })
        case let distinct as PhysicalDistinct:
            letConsumersRunInPlace(distinct.input, reading: reading?.union(distinct.keyColumns))
        case let join as PhysicalLookupJoin:
            // It reads the keyspace, between the lock holds of a streamed
            // table scan, which then runs in place into the join's batch
            // (the join only evaluates the key there). Of each partner it
            // decodes the columns read above it, by its filter and by its residual.
            guard join.filter.map(local) ?? true, join.residual.map(local) ?? true else { return }
            let partner = join.partnerOffset..<(join.partnerOffset + join.source.width)
            let streamedStart = join.lookupIsLeft ? join.source.width : 0
            let combined = reading.map { columns(read: $0, by: join.residual.map { [$0] } ?? []) }
            if let combined {
                let own = columns(read: [], by: join.filter.map { [$0] } ?? [])
                join.decodedColumns = own.union(combined.filter(partner.contains).map { $0 - partner.lowerBound }).sorted()
            }
            guard join.streamed is PhysicalTableScan, join.keyValues.allSatisfy(local) else { return }
            let streamed = combined.map { c in
                columns(read: Set(c.filter { !partner.contains($0) }.map { $0 - streamedStart }), by: join.keyValues)
            }
            letConsumersRunInPlace(join.streamed, reading: streamed)
        case let aggregate as PhysicalHashAggregate:
            let inputs = aggregate.groupKeys + aggregate.aggregates.flatMap { call in
                [call.argument, call.separator, call.filter].compactMap { $0 } + call.orderBy.map(\.expression)
            }
            guard inputs.allSatisfy(local) else { return }
            letConsumersRunInPlace(aggregate.input, reading: columns(read: [], by: inputs))
            if aggregate.countsRowsOnly, let scan = aggregate.input as? PhysicalTableScan, scan.consumersRunInPlace, !scan.includeKey {
                aggregate.countedScan = scan
            }
        default:
            return
        }
    }

    /// `positions` and every input column `expressions` read (they hold no subquery).
    private static func columns(read positions: Set<Int>, by expressions: [BoundExpression]) -> Set<Int> {
        var positions = positions
        func visit(_ e: BoundExpression) {
            if case .column(let i, _) = e { positions.insert(i) }
            e.forEachChild(visit)
        }
        expressions.forEach(visit)
        return positions
    }

    /// True for a plan that reads one key and nothing else (no subquery could read more).
    static func readsOneKey(_ plan: PhysicalOperator) -> Bool {
        switch plan {
        case let lookup as PhysicalKeyLookup:
            return !(lookup.filter.map(Rules.containsSubquery) ?? false) && !lookup.keyValues.contains(where: Rules.containsSubquery)
        case let project as PhysicalProject:
            return !project.expressions.contains(where: Rules.containsSubquery) && readsOneKey(project.input)
        case let filter as PhysicalFilter:
            return !Rules.containsSubquery(filter.condition) && readsOneKey(filter.input)
        case let limit as PhysicalLimit:
            return readsOneKey(limit.input)
        default:
            return false
        }
    }
}
