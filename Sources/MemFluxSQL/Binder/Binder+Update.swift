// UPDATE and DELETE: a scan of the target (a key lookup when WHERE fixes
// the key) that carries each row's key, then the writes. Every target row
// is found before the first write, so an update never meets its own
// output (the Halloween problem).

import MemFluxCore
import MemFluxStorage

struct UpdatePlan: @unchecked Sendable {
    let target: WriteTarget
    /// Produces target rows followed by their key.
    let scan: PhysicalOperator
    let assignments: [(column: Int, value: BoundExpression)]
    let returning: ReturningPlan?

    func run(_ context: ExecutionContext) throws(MemFluxError) -> SQLResult {
        var found: [Row] = []
        try scan.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
            found.append(copy row)
            return true
        }
        let width = target.columnNames.count
        var returned: [Row] = []
        var moved = Set<Bytes>()
        for old in found {
            guard case .bytes(let keyBytes)? = old.last else { continue }
            let key = Bytes(keyBytes)
            var row = Array(old[0..<width])
            for (column, value) in assignments { row[column] = try value.evaluate(old, context) }
            try target.conform(&row)
            let newKey = try target.key(for: row)
            let document: JSONValue? = target.definition == nil ? old[old.count - 2].documentValue : nil
            let assigned = assignments.map(\.column)
            if newKey != key {
                let taken = context.keyspace.read(newKey) { (v: borrowing Value?) in v != nil }
                if taken && !moved.contains(newKey) { throw target.duplicateKey(row) }
                context.keyspace.modify(key) { slot in slot.delete() }
                moved.insert(key)
            }
            let finalRow = row
            context.keyspace.modify(newKey) { slot in slot.store(target.value(for: finalRow, assigned: assigned, document: document)) }
            if let returning { returned.append(try returning.evaluate(finalRow, context)) }
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
    let returning: ReturningPlan?

    func run(_ context: ExecutionContext) throws(MemFluxError) -> SQLResult {
        var found: [Row] = []
        try scan.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
            found.append(copy row)
            return true
        }
        var returned: [Row] = []
        let width = target.columnNames.count
        for row in found {
            guard case .bytes(let keyBytes)? = row.last else { continue }
            context.keyspace.modify(Bytes(keyBytes)) { slot in slot.delete() }
            if let returning { returned.append(try returning.evaluate(Array(row[0..<width]), context)) }
        }
        if let returning { return .rows(columns: returning.columns, rows: returned) }
        return .count(Int64(found.count))
    }

    func explain(into lines: inout [String]) {
        lines.append("Delete on \(target.name)")
        scan.explain(indent: 1, into: &lines)
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
    /// A scan of the target that appends each row's key, with WHERE applied.
    private func targetScan(_ target: WriteTarget, alias: String?, whereClause: Expression?) throws(MemFluxError) -> (PhysicalOperator, Scope) {
        let scope = Scope(parent: nil)
        var entry = scopeTable(target.source, alias: alias ?? target.name, offset: 0)
        entry.hiddenColumns = 1
        try scope.add(entry)
        var plan: PhysicalOperator = PhysicalTableScan(target.source, filter: nil, includeKey: true)
        if let whereClause {
            if ExpressionShape.containsAggregate(whereClause) {
                throw MemFluxError(.err, "aggregate functions are not allowed in WHERE", position: whereClause.position)
            }
            plan = Rules.applyFilter(try boolean(try bind(whereClause, scope), "WHERE", at: whereClause.position), to: plan, binder: self)
        }
        return (plan, scope)
    }

    func bindUpdate(_ update: Update) throws(MemFluxError) -> UpdatePlan {
        guard update.from.isEmpty else { throw MemFluxError(.err, "UPDATE ... FROM is not supported yet", position: update.position) }
        let target = try writeTarget(update.table, at: update.position)
        let (scan, scope) = try targetScan(target, alias: update.alias, whereClause: update.whereClause)
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
        let returning = try bindReturning(update.returning, try targetScope(target, alias: update.alias))
        return UpdatePlan(target: target, scan: scan, assignments: assignments, returning: returning)
    }

    func bindDelete(_ delete: Delete) throws(MemFluxError) -> DeletePlan {
        guard delete.using.isEmpty else { throw MemFluxError(.err, "DELETE ... USING is not supported yet", position: delete.position) }
        let target = try writeTarget(delete.table, at: delete.position)
        let (scan, _) = try targetScan(target, alias: delete.alias, whereClause: delete.whereClause)
        let returning = try bindReturning(delete.returning, try targetScope(target, alias: delete.alias))
        return DeletePlan(target: target, scan: scan, returning: returning)
    }
}
