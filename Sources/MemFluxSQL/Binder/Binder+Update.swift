// UPDATE and DELETE: a scan of the target (a key lookup when WHERE fixes
// the key) that carries each row's key, joined with the FROM / USING items
// when there are any, then the writes. Every target row is found before the
// first write, so an update never meets its own output (the Halloween
// problem), and each is written once however many FROM rows it joins (as
// in PostgreSQL, the first join row found supplies the new values).
//
// Scan rows: the target's values, its key, then the FROM items' columns.

import MemFluxCore
import MemFluxStorage

struct UpdatePlan: @unchecked Sendable {
    let target: WriteTarget
    let scan: PhysicalOperator
    let assignments: [(column: Int, value: BoundExpression)]
    /// Over the new row followed by the rest of the scan row (so it reads the FROM items too).
    let returning: ReturningPlan?

    func run(_ context: ExecutionContext) throws(MemFluxError) -> SQLResult {
        let found = try target.rows(from: scan, context)
        let width = target.width
        let keyPosition = target.source.width
        var returned: [Row] = []
        var moved = Set<Bytes>()
        for old in found {
            guard case .bytes(let keyBytes) = old[keyPosition] else { continue }
            let key = Bytes(keyBytes)
            var row = Array(old[0..<width])
            for (column, value) in assignments { row[column] = try value.evaluate(old, context) }
            try target.conform(&row)
            let newKey = try target.key(for: row)
            let document: JSONValue? = target.definition == nil ? old[keyPosition - 1].documentValue : nil
            let assigned = assignments.map(\.column)
            if newKey != key {
                let taken = context.keyspace.read(newKey) { (v: borrowing Value?) in v != nil }
                if taken && !moved.contains(newKey) { throw target.duplicateKey(row) }
                context.keyspace.modify(key) { slot in slot.delete() }
                moved.insert(key)
            }
            let finalRow = row
            context.keyspace.modify(newKey) { slot in slot.store(target.value(for: finalRow, assigned: assigned, document: document)) }
            if let returning { returned.append(try returning.evaluate(finalRow + old[width...], context)) }
        }
        if let returning { return .rows(columns: returning.columns, rows: returned) }
        return .count(Int64(found.count))
    }

    func explain(into lines: inout [String]) {
        lines.append("Update on \(target.name)")
        scan.explain(indent: 1, into: &lines)
    }
}

struct DeletePlan: @unchecked Sendable {
    let target: WriteTarget
    let scan: PhysicalOperator
    /// Over the scan row: the deleted values, then the USING items'.
    let returning: ReturningPlan?

    func run(_ context: ExecutionContext) throws(MemFluxError) -> SQLResult {
        let found = try target.rows(from: scan, context)
        let keyPosition = target.source.width
        var returned: [Row] = []
        for row in found {
            guard case .bytes(let keyBytes) = row[keyPosition] else { continue }
            context.keyspace.modify(Bytes(keyBytes)) { slot in slot.delete() }
            if let returning { returned.append(try returning.evaluate(row, context)) }
        }
        if let returning { return .rows(columns: returning.columns, rows: returned) }
        return .count(Int64(found.count))
    }

    func explain(into lines: inout [String]) {
        lines.append("Delete on \(target.name)")
        scan.explain(indent: 1, into: &lines)
    }
}

extension WriteTarget {
    /// The scan's rows, the first for each target key.
    func rows(from scan: PhysicalOperator, _ context: ExecutionContext) throws(MemFluxError) -> [Row] {
        let keyPosition = source.width
        var rows: [Row] = []
        var seen = Set<[UInt8]>()
        try scan.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
            if case .bytes(let key) = row[keyPosition], !seen.insert(key).inserted { return true }
            rows.append(copy row)
            return true
        }
        return rows
    }
}

extension SQLValue {
    /// The stored document a schemaless scan row carries.
    var documentValue: JSONValue? {
        if case .json(let j) = self { return j }
        return nil
    }
}

extension Binder {
    /// The target's scan (appending each row's key) joined with the FROM / USING items, WHERE applied,
    /// and the scope of its rows.
    private func targetScan(
        _ target: WriteTarget, alias: String?, joining items: [TableReference], whereClause: Expression?
    ) throws(MemFluxError) -> (PhysicalOperator, Scope) {
        let scope = Scope(parent: nil)
        var entry = scopeTable(target.source, alias: alias ?? target.name, offset: 0)
        entry.hiddenColumns = 1
        try scope.add(entry)
        let targetPlan = PhysicalTableScan(target.source, filter: nil, includeKey: true)
        var itemsPlan: PhysicalOperator?
        if !items.isEmpty {
            // The items see each other but not the target (PostgreSQL's rule), so they are bound on their own.
            let itemsScope = Scope(parent: nil)
            itemsPlan = try bindFromList(items, itemsScope)
            let offset = scope.width
            for var table in itemsScope.tables {
                table.offset += offset
                try scope.add(table)
            }
        }
        var condition: BoundExpression?
        if let whereClause {
            if ExpressionShape.containsAggregate(whereClause) {
                throw MemFluxError(.err, "aggregate functions are not allowed in WHERE", position: whereClause.position)
            }
            condition = try boolean(try bind(whereClause, scope), "WHERE", at: whereClause.position)
        }
        if let itemsPlan {
            // WHERE is the join's condition: equalities between target and items make a hash join.
            return (Rules.join(.inner, targetPlan, itemsPlan, condition, leftWidth: targetPlan.width, binder: self), scope)
        }
        guard let condition else { return (targetPlan, scope) }
        return (Rules.applyFilter(condition, to: targetPlan, binder: self), scope)
    }

    /// RETURNING's scope: the target's columns as written, then (hidden) the rest of what the scan row carries
    /// after them, and the FROM / USING items where the scan has them.
    private func returningScope(_ target: WriteTarget, alias: String?, _ scanScope: Scope) throws(MemFluxError) -> Scope {
        let scope = try targetScope(target, alias: alias)
        scope.tables[0].hiddenColumns = target.source.width + 1 - target.columnNames.count
        for table in scanScope.tables.dropFirst() { try scope.add(table) }
        return scope
    }

    // UPDATE table [AS alias] SET ... [FROM ...] [WHERE ...] [RETURNING ...]
    func bindUpdate(_ update: Update) throws(MemFluxError) -> UpdatePlan {
        let target = try writeTarget(update.table, at: update.position)
        let (scan, scope) = try targetScan(target, alias: update.alias, joining: update.from, whereClause: update.whereClause)
        let names = target.columnNames
        var assignments: [(Int, BoundExpression)] = []
        for a in update.assignments {
            guard a.column.count == 1, let i = names.firstIndex(of: a.column[0]) else {
                throw MemFluxError(.err, "column \"\(a.column.joined(separator: "."))\" of relation \"\(target.name)\" does not exist", position: a.position)
            }
            if assignments.contains(where: { $0.0 == i }) {
                throw MemFluxError(.err, "multiple assignments to same column \"\(names[i])\"", position: a.position)
            }
            let type = target.definition?.columns[i].type ?? (i == 0 ? .text : .dynamic)
            let value: BoundExpression
            if case .defaultValue = a.value.kind {
                value = try bindDefaults(target)[i] ?? .constant(.null, type)
            } else {
                value = try assignmentValue(try bind(a.value, scope), to: type, column: names[i], at: a.value.position)
            }
            assignments.append((i, value))
        }
        let returning = try bindReturning(update.returning, try returningScope(target, alias: update.alias, scope))
        return UpdatePlan(target: target, scan: scan, assignments: assignments, returning: returning)
    }

    // DELETE FROM table [AS alias] [USING ...] [WHERE ...] [RETURNING ...]
    func bindDelete(_ delete: Delete) throws(MemFluxError) -> DeletePlan {
        let target = try writeTarget(delete.table, at: delete.position)
        let (scan, scope) = try targetScan(target, alias: delete.alias, joining: delete.using, whereClause: delete.whereClause)
        let returning = try bindReturning(delete.returning, try returningScope(target, alias: delete.alias, scope))
        return DeletePlan(target: target, scan: scan, returning: returning)
    }
}
