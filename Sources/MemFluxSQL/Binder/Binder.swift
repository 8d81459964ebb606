// Binder: turns a parsed statement into an executable plan. It resolves
// names against the catalog and the FROM scopes, infers types, expands `*`,
// and builds the physical operators directly, applying the planning rules
// (Rules/) as it goes: predicate pushdown into scans, key lookups for
// primary-key equality, hash joins for equi-joins, top-N for ORDER BY with
// LIMIT.
//
// One binder binds one statement; nested queries get nested scopes.

import MemFluxCore
import MemFluxStorage

final class Binder {
    let catalog: SQLCatalog
    let access: KeyAccess
    let ownDDL: Bool
    /// Every name the statement uses as a column: the fields a schemaless scan extracts.
    let referencedNames: [String]
    /// Tables read, with the version of their definition: a cached plan is valid while these hold.
    var dependencies: [String: UInt64] = [:]
    /// Types the statement's parameters were given by their context (`id = $1`), by number.
    var parameterTypes: [Int: SQLType] = [:]
    /// WITH names in scope, one level per WITH clause, innermost last.
    var commonTables: [[String: CommonTable]] = []
    /// The window functions of the SELECT whose select list or ORDER BY is being bound; nil where none may appear.
    var windowContext: WindowContext?
    var nestingDepth = 0
    /// True while binding what constant folding would not reach (Binder+Folding.swift).
    var foldsLazily = false

    init(catalog: SQLCatalog, access: KeyAccess, ownDDL: Bool, statement: Statement) {
        self.catalog = catalog
        self.access = access
        self.ownDDL = ownDDL
        var names = Set<String>()
        NameCollector.collect(statement, into: &names)
        referencedNames = names.sorted()
    }

    /// The table `name`: its definition, or nil for a schemaless table. A schemaless table exists
    /// while it has rows; naming one with none is PostgreSQL's `relation "x" does not exist`
    /// unless `mayCreate` (an INSERT with a column list starts a schemaless table).
    func table(_ name: [String], at position: Int, mayCreate: Bool = false) throws(MemFluxError) -> (name: String, definition: TableDefinition?) {
        guard name.count == 1 else {
            throw MemFluxError(.err, "schemas are not supported yet: \"\(name.joined(separator: "."))\"", position: position)
        }
        let definition = try catalog.table(name[0], in: access, ownDDL: ownDDL)
        if definition == nil && !mayCreate && !hasRows(Bytes(name[0] + ":")) {
            throw MemFluxError(.err, "relation \"\(name[0])\" does not exist", position: position)
        }
        dependencies[name[0]] = catalog.version(of: name[0], in: access.keyspace)
        return (name[0], definition)
    }

    /// Whether any key has the table prefix (stops at the first).
    private func hasRows(_ prefix: Bytes) -> Bool {
        var found = false
        access.scan(prefix: prefix) { (_: Bytes, _: borrowing Value) -> Bool in
            found = true
            return false
        }
        return found
    }

    /// A scan source for table `name`, typed or schemaless.
    func source(_ name: String, _ definition: TableDefinition?) -> TableSource {
        TableSource(name: name, definition: definition, fields: definition == nil ? referencedNames.filter { $0 != "id" } : [])
    }

    /// The scope entry for a scanned table under `alias`.
    func scopeTable(_ source: TableSource, alias: String, offset: Int) -> ScopeTable {
        if let definition = source.definition {
            return ScopeTable(
                name: alias, columns: definition.columns.map(\.name), types: definition.columns.map(\.type), offset: offset,
                relation: source.name)
        }
        let columns = ["id"] + source.fields + [Binder.documentColumn]
        var types = [SQLType](repeating: .dynamic, count: columns.count)
        types[0] = .text
        types[columns.count - 1] = .jsonb
        return ScopeTable(name: alias, columns: columns, types: types, offset: offset, schemaless: source, relation: source.name)
    }

    /// The name of a schemaless row's whole-document column: no SQL identifier can spell it.
    static let documentColumn = "\u{0}document"

    func enter(at position: Int) throws(MemFluxError) {
        nestingDepth += 1
        if nestingDepth > 200 { throw MemFluxError(.err, "stack depth limit exceeded", position: position) }
    }

    func leave() { nestingDepth -= 1 }
}

/// Gathers every identifier used as a column name (the last part of a name, and every part of a dotted one).
enum NameCollector {
    static func collect(_ statement: Statement, into names: inout Set<String>) {
        var visitor = Visitor()
        visitor.statement(statement)
        names = visitor.names
    }

    private struct Visitor {
        var names = Set<String>()

        mutating func statement(_ s: Statement) {
            switch s {
            case .query(let q): query(q)
            case .insert(let i):
                i.columns?.forEach { names.insert($0) }
                switch i.source {
                case .values(let rows): rows.forEach { $0.forEach { expression($0) } }
                case .query(let q): query(q)
                case .defaultValues: break
                }
                if let c = i.onConflict {
                    c.columns.forEach { names.insert($0) }
                    if case .update(let assignments, let w) = c.action {
                        assignments.forEach { names.insert($0.column[0]); expression($0.value) }
                        if let w { expression(w) }
                    }
                }
                selectItems(i.returning)
            case .update(let u):
                u.assignments.forEach { names.insert($0.column[0]); expression($0.value) }
                u.from.forEach { tableReference($0) }
                if let w = u.whereClause { expression(w) }
                selectItems(u.returning)
            case .delete(let d):
                d.using.forEach { tableReference($0) }
                if let w = d.whereClause { expression(w) }
                selectItems(d.returning)
            case .explain(let inner, _): statement(inner)
            default: break
            }
        }

        mutating func selectItems(_ items: [SelectItem]) {
            for item in items { if case .expression(let e, _) = item { expression(e) } }
        }

        mutating func query(_ q: Query) {
            q.with?.tables.forEach { query($0.query) }
            body(q.body)
            q.orderBy.forEach { expression($0.expression) }
            if let l = q.limit { expression(l) }
            if let o = q.offset { expression(o) }
        }

        mutating func body(_ b: QueryBody) {
            switch b {
            case .select(let s):
                if case .on(let es) = s.distinct { es.forEach { expression($0) } }
                selectItems(s.items)
                s.from.forEach { tableReference($0) }
                if let w = s.whereClause { expression(w) }
                s.groupBy.forEach { expression($0) }
                if let h = s.having { expression(h) }
                for w in s.windows { window(w.specification) }
            case .values(let rows): rows.forEach { $0.forEach { expression($0) } }
            case .setOperation(_, _, let l, let r):
                body(l)
                body(r)
            case .nested(let q): query(q)
            }
        }

        mutating func tableReference(_ t: TableReference) {
            switch t {
            case .table: break
            case .subquery(let q, _, _, _): query(q)
            case .function(let f, _, _): f.arguments.forEach { expression($0) }
            case .join(_, let l, let r, let c, _):
                tableReference(l)
                tableReference(r)
                switch c {
                case .on(let e): expression(e)
                case .using(let cols): cols.forEach { names.insert($0) }
                case .none, .natural: break
                }
            }
        }

        mutating func window(_ w: WindowSpecification) {
            w.partitionBy.forEach { expression($0) }
            w.orderBy.forEach { expression($0.expression) }
        }

        mutating func expression(_ e: Expression) {
            switch e.kind {
            case .column(let parts):
                for p in parts { names.insert(p) }
            case .literal, .string, .typedString, .parameter, .defaultValue, .specialFunction: break
            case .unary(_, let a), .cast(let a, _), .isNull(let a, _), .isTruth(let a, _, _): expression(a)
            case .binary(_, let a, let b), .isDistinctFrom(let a, let b, _), .element(let a, let b):
                expression(a)
                expression(b)
            case .function(let f):
                f.arguments.forEach { expression($0) }
                f.orderBy.forEach { expression($0.expression) }
                if let filter = f.filter { expression(filter) }
                if let over = f.over { window(over) }
            case .caseWhen(let operand, let branches, let otherwise):
                if let operand { expression(operand) }
                for b in branches {
                    expression(b.condition)
                    expression(b.result)
                }
                if let otherwise { expression(otherwise) }
            case .between(let a, let low, let high, _, _):
                expression(a)
                expression(low)
                expression(high)
            case .like(let a, let p, let escape, _, _):
                expression(a)
                expression(p)
                if let escape { expression(escape) }
            case .inList(let a, let list, _):
                expression(a)
                list.forEach { expression($0) }
            case .inQuery(let a, let q, _):
                expression(a)
                query(q)
            case .exists(let q), .subquery(let q), .arrayQuery(let q): query(q)
            case .quantified(_, let a, _, let source):
                expression(a)
                switch source {
                case .array(let x): expression(x)
                case .query(let q): query(q)
                }
            case .array(let items), .row(let items): items.forEach { expression($0) }
            }
        }
    }
}
