// Writing rows: how a row of a table with a definition is checked (types,
// NOT NULL), keyed and stored as a typed row, and how a schemaless row
// becomes a JSON document under `table:<id>`.

import Collections
import MemFluxCore
import MemFluxStorage

/// The table a DML statement writes, with its key rule.
struct WriteTarget: @unchecked Sendable {
    let source: TableSource
    /// Each declared column's type, and whether it refuses NULL (NOT NULL or
    /// in the primary key): what `conform` checks per row, gathered once.
    private let columnTypes: [SQLType]
    private let refusesNull: [Bool]

    init(source: TableSource) {
        self.source = source
        let columns = source.definition?.columns ?? []
        columnTypes = columns.map(\.type)
        refusesNull = columns.indices.map { columns[$0].notNull || source.definition?.primaryKey.contains($0) == true }
    }

    var definition: TableDefinition? { source.definition }
    var name: String { source.name }

    /// Values in a full row: the declared columns, or `id` and the named fields.
    var width: Int { definition?.columns.count ?? 1 + source.fields.count }

    /// Column names in row order (schemaless: `id` then the named fields).
    var columnNames: [String] {
        if let definition { return definition.columns.map(\.name) }
        return ["id"] + source.fields
    }

    /// Casts and checks a full row of the declared columns (in place).
    func conform(_ row: inout Row) throws(MemFluxError) {
        for i in columnTypes.indices {
            row[i] = try ColumnValue.conform(row[i], to: columnTypes[i])
            if refusesNull[i] && row[i].isNull, let definition {
                throw MemFluxError(
                    .err, "null value in column \"\(definition.columns[i].name)\" of relation \"\(definition.name)\" violates not-null constraint")
            }
        }
    }

    /// The key a conformed row is stored under.
    func key(for row: Row) throws(MemFluxError) -> Bytes {
        guard let definition else {
            guard !row[0].isNull else {
                throw MemFluxError(.err, "null value in column \"id\" of relation \"\(source.name)\" violates not-null constraint")
            }
            return try RowKey.make(source.prefix, row[0])
        }
        switch definition.keySource {
        case .columns(let columns) where columns.count == 1: return try RowKey.make(source.prefix, row[columns[0]])
        case .columns(let columns): return try RowKey.make(source.prefix, columns.map { row[$0] })
        case .generated: return source.prefix + Bytes(GeneratedKey.next())
        }
    }

    /// The stored value for a row: a typed row, or for a schemaless table a JSON document of the
    /// fields at positions `assigned` (`document` is the row's existing document, whose other fields are kept).
    func value(for row: Row, assigned: [Int], document: JSONValue? = nil) -> Value {
        if let definition { return .row(TableRow(layout: definition.layout, values: row)) }
        var fields: OrderedDictionary<String, JSONValue>
        if case .object(let existing)? = document { fields = existing } else { fields = [:] }
        for i in assigned where i > 0 {
            fields[source.fields[i - 1]] = row[i].isNull ? .null : row[i].jsonValue
        }
        return .json(.object(fields))
    }

    /// The error for a second row with the same key.
    func duplicateKey(_ row: Row) -> MemFluxError {
        let constraint = definition.map { "\($0.name)_pkey" } ?? "\(source.name)_pkey"
        return MemFluxError(.err, "duplicate key value violates unique constraint \"\(constraint)\"")
    }
}

/// Suffixes for rows of tables with neither a primary key nor an `id` column: never shown, never reused.
enum GeneratedKey {
    static func next() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return hex(high) + hex(low)
    }

    private static func hex(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

enum TableRows {
    /// Deletes every row of the table with key prefix `prefix` (DROP TABLE, TRUNCATE).
    static func deleteAll(_ prefix: Bytes, _ access: KeyAccess) throws(MemFluxError) {
        var keys: [Bytes] = []
        try access.scan(prefix: prefix) { (key: Bytes, _: borrowing Value) throws(MemFluxError) -> Bool in
            keys.append(key)
            return true
        }
        for key in keys { access.modify(key) { slot in slot.delete() } }
    }
}
