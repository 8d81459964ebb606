// INSERT: VALUES or a query as the source, defaults for missing columns,
// ON CONFLICT on the key, RETURNING.

import MemFluxCore
import MemFluxStorage

/// A class, not a struct: a prepared INSERT runs once per row of an
/// executemany, and taking it out of its statement must not copy (and
/// retain) every field each time.
final class InsertPlan: @unchecked Sendable {
    // @unchecked: immutable after init.
    let target: WriteTarget
    /// Produces one value per entry of `columns`.
    let source: PhysicalOperator
    /// Positions in the full row that `source`'s values go to.
    let columns: [Int]
    /// Expressions filling the other positions (DEFAULT, else NULL), over no row.
    let defaults: [BoundExpression?]
    let onConflict: ConflictPlan?
    let returning: ReturningPlan?

    init(
        target: WriteTarget, source: PhysicalOperator, columns: [Int], defaults: [BoundExpression?], onConflict: ConflictPlan?,
        returning: ReturningPlan?
    ) {
        self.target = target
        self.source = source
        self.columns = columns
        self.defaults = defaults
        self.onConflict = onConflict
        self.returning = returning
    }

    func run(_ context: ExecutionContext) throws(MemFluxError) -> SQLResult {
        var count: Int64 = 0
        var returned: [Row] = []
        let width = target.width
        var pending: [Row] = []
        try source.run(context) { (values: borrowing Row) throws(MemFluxError) -> Bool in
            pending.append(copy values)
            return true
        }
        var written = Set<Bytes>()
        for values in pending {
            var row = Row(repeating: .null, count: width)
            for (i, d) in defaults.enumerated() {
                if let d { row[i] = try d.evaluate([], context) }
            }
            for (i, column) in columns.enumerated() { row[column] = values[i] }
            try target.conform(&row)
            let key = try target.key(for: row)
            if onConflict == nil {
                // The duplicate check and the write are one step on the key: one
                // lookup, and atomic even where auto-commit runs a one-row INSERT
                // outside a transaction (see `isSingleRowInsert`).
                try storeIfAbsent(key, row, context)
                count += 1
                if let returning { returned.append(try returning.evaluate(row, context)) }
                continue
            }
            let existing = try context.keyspace.read(key) { (v: borrowing Value?) throws(MemFluxError) -> Row? in
                switch v {
                case .some(let stored): return try target.source.row(key: key, value: stored, includeKey: false)
                case .none: return nil
                }
            }
            var stored = row
            var storedKey = key
            if let existing {
                guard let onConflict else { throw target.duplicateKey(row) }
                if written.contains(key) {
                    throw MemFluxError(.err, "ON CONFLICT DO UPDATE command cannot affect row a second time")
                }
                guard let updated = try onConflict.resolve(existing: existing, proposed: row, target, context) else { continue }
                stored = updated
                // DO UPDATE may change the key columns: the row moves, if its new key is free.
                storedKey = try target.key(for: updated)
                if storedKey != key {
                    if context.keyspace.read(storedKey, { (v: borrowing Value?) in v != nil }) { throw target.duplicateKey(updated) }
                    context.keyspace.modify(key) { slot in slot.delete() }
                }
            }
            let assigned = target.definition == nil ? Array(Set(columns + (existing == nil ? [] : onConflict?.assigned ?? []))) : []
            let finalRow = stored
            context.keyspace.modify(storedKey) { slot in
                var document: JSONValue?
                if case .json(let d)? = slot.value { document = d }
                slot.store(target.value(for: finalRow, assigned: assigned, document: document))
            }
            written.insert(storedKey)
            count += 1
            if let returning { returned.append(try returning.evaluate(finalRow, context)) }
        }
        if let returning { return .rows(columns: returning.columns, rows: returned) }
        return .count(count)
    }

    /// Writes `row` at `key` unless a row is there already (then the duplicate key error), in one `modify`.
    private func storeIfAbsent(_ key: Bytes, _ row: Row, _ context: ExecutionContext) throws(MemFluxError) {
        var failure: MemFluxError?
        let assigned = target.definition == nil ? Array(Set(columns)) : []
        context.keyspace.modify(key) { slot in
            do throws(MemFluxError) {
                if let value = slot.value, try target.source.row(key: key, value: value, includeKey: false) != nil {
                    failure = target.duplicateKey(row)
                    return
                }
            } catch {
                failure = error
                return
            }
            var document: JSONValue?
            if case .json(let d)? = slot.value { document = d }
            slot.store(target.value(for: row, assigned: assigned, document: document))
        }
        if let failure { throw failure }
    }

    /// The number of rows when the source is VALUES and no expression of the
    /// statement has a subquery (so it reads and writes only its rows' keys); else nil.
    var keyBoundRowCount: Int? {
        guard let values = source as? PhysicalValues else { return nil }
        var expressions = values.rows.joined() + defaults.compactMap { $0 } + (returning?.expressions ?? [])
        expressions += (onConflict?.assignments?.map(\.value) ?? []) + [onConflict?.condition].compactMap { $0 }
        return expressions.contains(where: Rules.containsSubquery) ? nil : values.rows.count
    }

    /// One VALUES row, no ON CONFLICT, no subquery: the statement writes one
    /// key, so auto-commit needs no transaction of its own for it.
    var isSingleRowInsert: Bool { onConflict == nil && keyBoundRowCount == 1 }

    func explain(into lines: inout [String]) {
        lines.append("Insert on \(target.name)")
        source.explain(indent: 1, into: &lines)
    }
}

/// ON CONFLICT (key) DO NOTHING / DO UPDATE SET ... WHERE ...: evaluated over the existing row followed by the proposed one (`excluded`).
struct ConflictPlan: @unchecked Sendable {
    /// nil: DO NOTHING.
    let assignments: [(column: Int, value: BoundExpression)]?
    let condition: BoundExpression?

    var assigned: [Int] { assignments?.map(\.column) ?? [] }

    /// The row to store instead, or nil to leave the existing row alone.
    func resolve(existing: Row, proposed: Row, _ target: WriteTarget, _ context: ExecutionContext) throws(MemFluxError) -> Row? {
        guard let assignments else { return nil }
        let combined = existing + proposed
        if let condition, try !condition.isSatisfied(combined, context) { return nil }
        var row = Array(existing[0..<proposed.count])
        for (column, value) in assignments { row[column] = try value.evaluate(combined, context) }
        try target.conform(&row)
        return row
    }
}

/// RETURNING items over the written (or deleted) row.
struct ReturningPlan: @unchecked Sendable {
    let expressions: [BoundExpression]
    let columns: [OutputColumn]

    func evaluate(_ row: Row, _ context: ExecutionContext) throws(MemFluxError) -> Row {
        var out: Row = []
        for e in expressions { out.append(try e.evaluate(row, context)) }
        return out
    }
}

extension Binder {
    func tableName(_ name: [String]) throws(MemFluxError) -> String {
        guard name.count == 1 else { throw MemFluxError(.err, "schemas are not supported yet: \"\(name.joined(separator: "."))\"") }
        return name[0]
    }

    /// The scope of a written table's own columns (RETURNING, SET, WHERE).
    func targetScope(_ target: WriteTarget, alias: String?) throws(MemFluxError) -> Scope {
        let scope = Scope(parent: nil)
        var entry = scopeTable(target.source, alias: alias ?? target.name, offset: 0)
        if target.definition == nil {
            // The document column is not there for rows being written.
            entry.columns.removeLast()
            entry.types.removeLast()
        }
        try scope.add(entry)
        return scope
    }

    func bindReturning(_ items: [SelectItem], _ scope: Scope) throws(MemFluxError) -> ReturningPlan? {
        guard !items.isEmpty else { return nil }
        var expressions: [BoundExpression] = []
        var columns: [OutputColumn] = []
        for item in items {
            switch item {
            case .star:
                for t in scope.tables {
                    for (i, name) in t.columns.enumerated() {
                        expressions.append(.column(t.offset + i, t.types[i]))
                        columns.append(OutputColumn(name: name, type: t.types[i]))
                    }
                }
            case .expression(let e, let alias):
                let bound = try bind(e, scope)
                expressions.append(bound)
                columns.append(OutputColumn(name: alias ?? ExpressionShape.outputName(e), type: bound.type))
            }
        }
        return ReturningPlan(expressions: expressions, columns: columns)
    }

    func writeTarget(_ name: [String], at position: Int, mayCreate: Bool = false) throws(MemFluxError) -> WriteTarget {
        let (tableName, definition) = try table(name, at: position, mayCreate: mayCreate)
        return WriteTarget(source: source(tableName, definition))
    }

    func bindInsert(_ insert: Insert) throws(MemFluxError) -> InsertPlan {
        let target = try writeTarget(insert.table, at: insert.position, mayCreate: insert.columns != nil)
        let names = target.columnNames
        var columns: [Int] = []
        if let list = insert.columns {
            for name in list {
                guard let i = names.firstIndex(of: name) else {
                    throw MemFluxError(.err, "column \"\(name)\" of relation \"\(target.name)\" does not exist", position: insert.position)
                }
                if columns.contains(i) { throw MemFluxError(.err, "column \"\(name)\" specified more than once", position: insert.position) }
                columns.append(i)
            }
        } else {
            guard target.definition != nil else {
                throw MemFluxError(.err, "INSERT into the schemaless table \"\(target.name)\" needs a column list", position: insert.position)
            }
            columns = Array(names.indices)
        }
        let types = columns.map { target.definition?.columns[$0].type ?? ($0 == 0 ? .text : .dynamic) }
        let defaults = try bindDefaults(target)
        let source: PhysicalOperator
        switch insert.source {
        case .defaultValues:
            source = PhysicalValues(rows: [[]], width: 0)
            columns = []
        case .values(let rows):
            var bound: [[BoundExpression]] = []
            let empty = Scope(parent: nil)
            for row in rows {
                guard row.count <= columns.count else {
                    throw MemFluxError(.err, "INSERT has more expressions than target columns", position: row[columns.count].position)
                }
                guard row.count == columns.count else {
                    throw MemFluxError(.err, "INSERT has more target columns than expressions", position: row.last?.position ?? insert.position)
                }
                var values: [BoundExpression] = []
                for (i, e) in row.enumerated() {
                    if case .defaultValue = e.kind {
                        values.append(defaults[columns[i]] ?? .constant(.null, types[i]))
                    } else {
                        values.append(try assignmentValue(try bind(e, empty), to: types[i], column: names[columns[i]], at: e.position))
                    }
                }
                bound.append(values)
            }
            source = PhysicalValues(rows: bound, width: columns.count)
        case .query(let q):
            let bound = try bindQuery(q, Scope(parent: nil))
            guard bound.columns.count == columns.count else {
                throw MemFluxError(
                    .err, bound.columns.count > columns.count ? "INSERT has more expressions than target columns" : "INSERT has more target columns than expressions",
                    position: q.position)
            }
            source = bound.plan
        }
        var conflict: ConflictPlan?
        if let onConflict = insert.onConflict {
            conflict = try bindConflict(onConflict, target, alias: insert.alias, at: insert.position)
        }
        let returning = try bindReturning(insert.returning, try targetScope(target, alias: insert.alias))
        return InsertPlan(target: target, source: source, columns: columns, defaults: defaults, onConflict: conflict, returning: returning)
    }

    /// A value assigned to a column of `type`: literals and parameters take the type (a literal that does
    /// not fit is an error now, `value too long for type character varying(8)`); other types must be assignable.
    func assignmentValue(_ e: BoundExpression, to type: SQLType, column: String, at position: Int) throws(MemFluxError) -> BoundExpression {
        // An assignment cast: a literal too long for varchar(n) is an error, not truncated.
        let e = try strictRetype(e, type, at: position)
        if type == .dynamic || e.type == .dynamic || e.type == type || e.type == .unknown { return e }
        let from = TypeCategory(e.type)
        let to = TypeCategory(type)
        if from == to || (to == .string) || (from == .string && e.isConstant) || (to == .json) { return e }
        throw MemFluxError(
            .err, "column \"\(column)\" is of type \(type.postgresName) but expression is of type \(e.type.postgresName)", position: position)
    }

    /// The DEFAULT of each column as a bound expression (nil: none, the value is NULL).
    func bindDefaults(_ target: WriteTarget) throws(MemFluxError) -> [BoundExpression?] {
        guard let definition = target.definition else { return [BoundExpression?](repeating: nil, count: target.width) }
        var defaults: [BoundExpression?] = []
        for column in definition.columns {
            guard let text = column.defaultSQL else {
                defaults.append(nil)
                continue
            }
            defaults.append(try defaultExpression(text, type: column.type))
        }
        return defaults
    }

    func defaultExpression(_ text: String, type: SQLType) throws(MemFluxError) -> BoundExpression {
        let parsed = try SQLParser.parse("SELECT " + text)
        guard case .query(let q) = parsed.statement, case .select(let s) = q.body, s.items.count == 1,
            case .expression(let e, _) = s.items[0]
        else { throw MemFluxError(.err, "damaged DEFAULT expression: \(text)") }
        let bound = try bind(e, Scope(parent: nil))
        return retype(bound, type)
    }

    private func bindConflict(_ c: OnConflict, _ target: WriteTarget, alias: String?, at position: Int) throws(MemFluxError) -> ConflictPlan {
        if !c.columns.isEmpty {
            let keyNames: [String]
            if let definition = target.definition, case .columns(let key) = definition.keySource {
                keyNames = key.map { definition.columns[$0].name }
            } else {
                keyNames = ["id"]
            }
            guard Set(c.columns) == Set(keyNames) else {
                throw MemFluxError(.err, "there is no unique or exclusion constraint matching the ON CONFLICT specification", position: position)
            }
        }
        guard case .update(let assignments, let whereClause) = c.action else { return ConflictPlan(assignments: nil, condition: nil) }
        let scope = try targetScope(target, alias: alias)
        var excluded = scope.tables[0]
        excluded.name = "excluded"
        excluded.offset = scope.width
        try scope.add(excluded)
        let names = target.columnNames
        var bound: [(Int, BoundExpression)] = []
        for a in assignments {
            guard let i = names.firstIndex(of: a.column[0]) else {
                throw MemFluxError(.err, "column \"\(a.column[0])\" of relation \"\(target.name)\" does not exist", position: a.position)
            }
            let type = target.definition?.columns[i].type ?? .dynamic
            bound.append((i, try assignmentValue(try bind(a.value, scope), to: type, column: names[i], at: a.value.position)))
        }
        let condition = try whereClause.map { (w) throws(MemFluxError) in try boolean(try bind(w, scope), "WHERE", at: w.position) }
        return ConflictPlan(assignments: bound, condition: condition)
    }
}
