// CREATE TABLE and ALTER TABLE: a new definition is validated here, then
// stored by the statement (and, for ALTER, every row rewritten under it in
// the same transaction, so a failure changes nothing).

import MemFluxCore
import MemFluxStorage

extension Binder {
    func bindCreateTable(_ create: CreateTable) throws(MemFluxError) -> TableDefinition {
        let name = try tableName(create.name)
        var columns: [ColumnDefinitionInfo] = []
        var primaryKey: [Int] = []
        for c in create.columns {
            if columns.contains(where: { $0.name == c.name }) {
                throw MemFluxError(.err, "column \"\(c.name)\" specified more than once", position: c.position)
            }
            var info = ColumnDefinitionInfo(name: c.name, type: c.type, notNull: false, defaultSQL: nil)
            for constraint in c.constraints {
                switch constraint.kind {
                case .primaryKey:
                    guard primaryKey.isEmpty else {
                        throw MemFluxError(.err, "multiple primary keys for table \"\(name)\" are not allowed", position: c.position)
                    }
                    primaryKey = [columns.count]
                    info.notNull = true
                case .notNull: info.notNull = true
                case .null: break
                case .defaultValue(let e):
                    try checkDefault(e, type: c.type)
                    info.defaultSQL = e.sql
                case .unique: throw MemFluxError(.err, "UNIQUE constraints are not supported yet", position: c.position)
                case .check: throw MemFluxError(.err, "CHECK constraints are not supported yet", position: c.position)
                case .references: throw MemFluxError(.err, "FOREIGN KEY constraints are not supported yet", position: c.position)
                }
            }
            columns.append(info)
        }
        for constraint in create.constraints {
            switch constraint.kind {
            case .primaryKey(let names):
                guard primaryKey.isEmpty else {
                    throw MemFluxError(.err, "multiple primary keys for table \"\(name)\" are not allowed", position: constraint.position)
                }
                for n in names {
                    guard let i = columns.firstIndex(where: { $0.name == n }) else {
                        throw MemFluxError(.err, "column \"\(n)\" named in key does not exist", position: constraint.position)
                    }
                    primaryKey.append(i)
                    columns[i].notNull = true
                }
            case .unique: throw MemFluxError(.err, "UNIQUE constraints are not supported yet", position: constraint.position)
            case .check: throw MemFluxError(.err, "CHECK constraints are not supported yet", position: constraint.position)
            case .foreignKey: throw MemFluxError(.err, "FOREIGN KEY constraints are not supported yet", position: constraint.position)
            }
        }
        return TableDefinition(name: name, columns: columns, primaryKey: primaryKey)
    }

    /// A DEFAULT must be an expression over no columns, assignable to the column.
    private func checkDefault(_ e: Expression, type: SQLType) throws(MemFluxError) {
        let bound: BoundExpression
        do {
            bound = try bind(e, Scope(parent: nil))
        } catch {
            if error.message.hasPrefix("column ") {
                throw MemFluxError(.err, "cannot use column reference in DEFAULT expression", position: e.position)
            }
            throw error
        }
        _ = try assignmentValue(try strictRetype(bound, type, at: e.position), to: type, column: "default", at: e.position)
    }

    func bindAlterTable(_ name: [String], ifExists: Bool, _ change: AlterTableAction) throws(MemFluxError) -> AlterPlan {
        let tableName = try tableName(name)
        return AlterPlan(table: tableName, ifExists: ifExists, change: change)
    }
}

/// ALTER TABLE, carried out when it runs: it reads the current definition, writes the new one, and rewrites every row.
struct AlterPlan: @unchecked Sendable {
    let table: String
    let ifExists: Bool
    let change: AlterTableAction

    func run(_ context: ExecutionContext, _ catalog: SQLCatalog) throws(MemFluxError) {
        guard let old = try catalog.table(table, in: context.keyspace, ownDDL: true) else {
            if ifExists { return }
            throw MemFluxError(.err, "relation \"\(table)\" does not exist")
        }
        var columns = old.columns
        var primaryKey = old.primaryKey
        var newName = table
        /// For each new column, where its value comes from in the old row (nil: its default or NULL).
        var origin: [Int?] = Array(columns.indices)
        var conversion: (column: Int, expression: BoundExpression?)?
        func position(_ column: String) throws(MemFluxError) -> Int {
            guard let i = columns.firstIndex(where: { $0.name == column }) else {
                throw MemFluxError(.err, "column \"\(column)\" of relation \"\(table)\" does not exist")
            }
            return i
        }
        switch change {
        case .addColumn(let c, let ifNotExists):
            if columns.contains(where: { $0.name == c.name }) {
                if ifNotExists { return }
                throw MemFluxError(.err, "column \"\(c.name)\" of relation \"\(table)\" already exists")
            }
            var info = ColumnDefinitionInfo(name: c.name, type: c.type, notNull: false, defaultSQL: nil)
            for constraint in c.constraints {
                switch constraint.kind {
                case .notNull: info.notNull = true
                case .null: break
                case .defaultValue(let e): info.defaultSQL = e.sql
                case .primaryKey: throw MemFluxError(.err, "multiple primary keys for table \"\(table)\" are not allowed")
                default: throw MemFluxError(.err, "constraints on added columns are not supported yet")
                }
            }
            columns.append(info)
            origin.append(nil)
        case .dropColumn(let column, let ifExists):
            guard let i = columns.firstIndex(where: { $0.name == column }) else {
                if ifExists { return }
                throw MemFluxError(.err, "column \"\(column)\" of relation \"\(table)\" does not exist")
            }
            if primaryKey.contains(i) { throw MemFluxError(.err, "cannot drop column \(column) of table \(table) because it is part of the primary key") }
            columns.remove(at: i)
            origin.remove(at: i)
            primaryKey = primaryKey.map { $0 > i ? $0 - 1 : $0 }
        case .renameColumn(let from, let to):
            guard let i = columns.firstIndex(where: { $0.name == from }) else {
                throw MemFluxError(.err, "column \"\(from)\" does not exist")
            }
            if columns.contains(where: { $0.name == to }) {
                throw MemFluxError(.err, "column \"\(to)\" of relation \"\(table)\" already exists")
            }
            columns[i].name = to
        case .renameTable(let to):
            if try catalog.table(to, in: context.keyspace, ownDDL: true) != nil {
                throw MemFluxError(.err, "relation \"\(to)\" already exists")
            }
            newName = to
        case .setDefault(let column, let e): columns[try position(column)].defaultSQL = e.sql
        case .dropDefault(let column): columns[try position(column)].defaultSQL = nil
        case .setNotNull(let column): columns[try position(column)].notNull = true
        case .dropNotNull(let column):
            let i = try position(column)
            if primaryKey.contains(i) { throw MemFluxError(.err, "column \"\(column)\" is in a primary key") }
            columns[i].notNull = false
        case .setType(let column, let type, let using):
            let i = try position(column)
            columns[i].type = type
            if let using {
                let binder = Binder(catalog: catalog, access: context.keyspace, ownDDL: true, statement: .query(Query(body: .values([[using]]), at: 0)))
                let scope = Scope(parent: nil)
                try scope.add(ScopeTable(name: table, columns: old.columns.map(\.name), types: old.columns.map(\.type), offset: 0))
                conversion = (i, try binder.bind(using, scope))
            } else {
                conversion = (i, nil)
            }
        case .addConstraint, .dropConstraint:
            throw MemFluxError(.err, "ALTER TABLE ... CONSTRAINT is not supported yet")
        }
        let definition = TableDefinition(name: newName, columns: columns, primaryKey: primaryKey)
        let target = WriteTarget(source: TableSource(name: newName, definition: definition, fields: []))
        let binder = Binder(catalog: catalog, access: context.keyspace, ownDDL: true, statement: .commit)
        let defaults = try binder.bindDefaults(target)

        // Rewrite every row under the new definition (and key, for RENAME TO).
        let source = TableSource(name: table, definition: old, fields: [])
        var rows: [(key: Bytes, row: Row)] = []
        try context.keyspace.scan(prefix: old.prefix) { (key: Bytes, value: borrowing Value) throws(MemFluxError) -> Bool in
            if let row = try source.row(key: key, value: value, includeKey: false) { rows.append((key, row)) }
            return true
        }
        for (key, oldRow) in rows {
            var row = Row(repeating: .null, count: columns.count)
            for (i, from) in origin.enumerated() {
                if let from { row[i] = oldRow[from] } else if let d = defaults[i] { row[i] = try d.evaluate([], context) }
            }
            if let conversion {
                let v = try conversion.expression?.evaluate(oldRow, context) ?? row[conversion.column]
                row[conversion.column] = v.isNull ? .null : try SQLCast.cast(v, to: columns[conversion.column].type, explicit: true)
            }
            for (i, column) in columns.enumerated() where column.notNull && row[i].isNull {
                throw MemFluxError(.err, "column \"\(column.name)\" of relation \"\(newName)\" contains null values")
            }
            try target.conform(&row)
            let newKey = newName == table ? key : try target.key(for: row)
            if newKey != key { context.keyspace.modify(key) { slot in slot.delete() } }
            let finalRow = row
            context.keyspace.modify(newKey) { slot in slot.store(target.value(for: finalRow, assigned: [])) }
        }
        if newName != table { catalog.store(nil, named: table, in: context.keyspace) }
        catalog.store(definition, named: newName, in: context.keyspace)
    }
}
