// Scope: the tables visible where an expression is bound — the FROM items
// of the current query (each a run of columns at an offset in the combined
// row) and, through `parent`, the enclosing queries' (correlated
// references). Resolving a name happens once, here, never per row.

import MemFluxCore

/// One FROM item as names see it.
struct ScopeTable {
    /// The alias, or the table's own name.
    var name: String
    var columns: [String]
    var types: [SQLType]
    /// Position of the first column in the combined row.
    var offset: Int
    /// A schemaless table: every name is a (dynamic) column, `*` is `id` then the document's fields.
    var schemaless: TableSource?
    /// Columns hidden from `*` and from unqualified names (a DML scan's key).
    var hiddenColumns: Int = 0
    /// The table scanned, when `name` is an alias for it (for `invalid reference to FROM-clause entry`).
    var relation: String?
    /// Columns only reachable qualified: both sides' copies of a JOIN ... USING column (the merged one answers `k` and `*`).
    var qualifiedOnly: Set<String> = []
}

final class Scope {
    var tables: [ScopeTable] = []
    let parent: Scope?
    /// Set when a name was resolved in an enclosing scope: the subquery is correlated.
    var usesOuter = false

    init(parent: Scope?) {
        self.parent = parent
    }

    var width: Int { tables.map { $0.offset + $0.columns.count + $0.hiddenColumns }.max() ?? 0 }

    func add(_ table: ScopeTable) throws(MemFluxError) {
        // Unnamed entries (the merged columns of JOIN ... USING) never clash.
        if !table.name.isEmpty, tables.contains(where: { $0.name == table.name }) {
            throw MemFluxError(.err, "table name \"\(table.name)\" specified more than once")
        }
        tables.append(table)
    }

    /// Resolves a column name, qualified or not, to a position and a type; nil when this scope has none.
    func resolve(_ name: String, qualifier: String?) throws(MemFluxError) -> (index: Int, type: SQLType)? {
        if let qualifier {
            guard let table = tables.first(where: { $0.name == qualifier }) else { return nil }
            return Scope.column(name, in: table)
        }
        var found: (index: Int, type: SQLType)?
        for table in tables where table.schemaless == nil && !table.qualifiedOnly.contains(name) {
            if let hit = Scope.column(name, in: table) {
                if found != nil { throw MemFluxError(.err, "column reference \"\(name)\" is ambiguous") }
                found = hit
            }
        }
        if let found { return found }
        let schemaless = tables.filter { $0.schemaless != nil && !$0.qualifiedOnly.contains(name) }
        if schemaless.count > 1 { throw MemFluxError(.err, "column reference \"\(name)\" is ambiguous") }
        return schemaless.first.flatMap { Scope.column(name, in: $0) }
    }

    func hasTable(_ name: String) -> Bool { tables.contains { $0.name == name } }

    /// The error for a qualifier that names no FROM item here or above: PostgreSQL's
    /// `invalid reference` when it is the real name of an aliased table, else `missing FROM-clause entry`.
    func missingTable(_ name: String, at position: Int) -> MemFluxError {
        var current: Scope? = self
        while let scope = current {
            if scope.tables.contains(where: { $0.relation == name && $0.name != name }) {
                return MemFluxError(.err, "invalid reference to FROM-clause entry for table \"\(name)\"", position: position)
            }
            current = scope.parent
        }
        return MemFluxError(.err, "missing FROM-clause entry for table \"\(name)\"", position: position)
    }

    private static func column(_ name: String, in table: ScopeTable) -> (index: Int, type: SQLType)? {
        guard let i = table.columns.firstIndex(of: name) else { return nil }
        return (table.offset + i, table.types[i])
    }
}
