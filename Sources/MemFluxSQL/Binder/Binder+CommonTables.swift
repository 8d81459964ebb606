// Binding WITH. Each WITH query is bound once, where the WITH stands, in a
// scope of its own (it reads no columns of the queries around it), so an
// error in one is reported even when nothing references it, as PostgreSQL
// does; every reference shares the bound plan (PhysicalCommonTableScan).
//
// Visibility follows PostgreSQL: a plain WITH item sees the items before it
// (and a name it shares with a table still means the table inside its own
// definition); in WITH RECURSIVE every item sees every other, so the items
// are bound in dependency order, and an item that reads itself is bound as
// a recursive union (Binder+Recursive.swift).

import MemFluxCore

/// A WITH name as references see it.
enum CommonTable {
    case query(CommonTablePlan)
    /// A recursive query's name inside its own recursive term: the working table.
    case workingTable(WorkingTable, columns: [OutputColumn])
}

extension Binder {
    /// Binds a WITH clause and pushes its names for the query it belongs to; the caller pops them after the query.
    func bindWith(_ with: WithClause) throws(MemFluxError) {
        var names = Set<String>()
        for cte in with.tables where !names.insert(cte.name).inserted {
            throw MemFluxError(.err, "WITH query name \"\(cte.name)\" specified more than once", position: cte.position)
        }
        commonTables.append([:])
        if with.isRecursive {
            for (cte, isRecursive) in try RecursiveWith.bindingOrder(with.tables) {
                let plan = isRecursive ? try bindRecursiveQuery(cte) : try bindCommonQuery(cte)
                commonTables[commonTables.count - 1][cte.name] = .query(plan)
            }
        } else {
            for cte in with.tables {
                commonTables[commonTables.count - 1][cte.name] = .query(try bindCommonQuery(cte))
            }
        }
    }

    private func bindCommonQuery(_ cte: CommonTableExpression) throws(MemFluxError) -> CommonTablePlan {
        let bound = try bindQuery(cte.query, Scope(parent: nil))
        return CommonTablePlan(name: cte.name, plan: bound.plan, columns: try commonColumns(bound.columns, cte))
    }

    /// A WITH query's columns, renamed by its column list `name(a, b)`.
    func commonColumns(_ columns: [OutputColumn], _ cte: CommonTableExpression) throws(MemFluxError) -> [OutputColumn] {
        guard cte.columns.count <= columns.count else {
            throw MemFluxError(
                .err, "WITH query \"\(cte.name)\" has \(columns.count) columns available but \(cte.columns.count) columns specified",
                position: cte.position)
        }
        var renamed = columns
        for (i, name) in cte.columns.enumerated() { renamed[i].name = name }
        return renamed
    }

    /// The innermost WITH name `name` in scope.
    func commonTable(_ name: String) -> CommonTable? {
        for level in commonTables.reversed() {
            if let table = level[name] { return table }
        }
        return nil
    }

    /// A FROM reference to a WITH name: its scope entry, and the operator reading it.
    func referenceCommonTable(_ table: CommonTable, alias: TableAlias, _ scope: Scope, at position: Int) throws(MemFluxError) -> PhysicalOperator {
        let plan: PhysicalOperator
        let columns: [OutputColumn]
        switch table {
        case .query(let cte):
            cte.references += 1
            plan = PhysicalCommonTableScan(cte)
            columns = cte.columns
        case .workingTable(let working, let workingColumns):
            plan = PhysicalWorkingTableScan(working, width: workingColumns.count)
            columns = workingColumns
        }
        try addDerived(BoundQuery(plan: plan, columns: columns), alias: alias, scope, at: position)
        return plan
    }
}
