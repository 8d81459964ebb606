// TableRow: a row of a SQL table with a schema, stored as the value of its key
// (`t:<primary key>`): its values by declared column position, and a
// reference to the layout (column names and types) that the table's rows
// share, so a row costs its values and one pointer, never a copy of its
// schema. A table whose columns change gets a new layout; each row keeps the
// one it was written with until it is rewritten.
//
// Rows are plain data here. What the values mean (casts, comparison, how a
// row renders as JSON) belongs to the SQL engine; the storage layer only
// keeps, versions and persists them (Persistence/RowCoding.swift).

import MemFluxCore

/// The column names and declared types shared by the rows of one table version (a class: every row holds a reference, not a copy).
///
///     let layout = RowLayout(columns: ["id", "name"], types: [.integer, .text])
///     let row = TableRow(layout: layout, values: [.int(1), .text("Ada")])
///
/// Two layouts are equal when their names (byte for byte) and types are.
public final class RowLayout: Sendable, Hashable {
    public let columns: [String]
    public let types: [SQLType]
    /// The layout as logs and snapshots write it, made once here; equality
    /// and hashing compare it, and recovery interns layouts by it.
    let encoding: Bytes

    public init(columns: [String], types: [SQLType]) {
        precondition(columns.count == types.count, "a row layout has one type per column")
        self.columns = columns
        self.types = types
        var encoded: [UInt8] = []
        encoded.appendLayout(columns: columns, types: types)
        encoding = Bytes(encoded)
    }

    public static func == (a: RowLayout, b: RowLayout) -> Bool { a === b || a.encoding == b.encoding }

    public func hash(into hasher: inout Hasher) { hasher.combine(encoding) }
}

/// One row: a value per column of `layout`, in its order.
public struct TableRow: Sendable {
    public var layout: RowLayout
    public var values: [SQLValue]

    public init(layout: RowLayout, values: [SQLValue]) {
        self.layout = layout
        self.values = values
    }

    /// Heap bytes the row holds: its value array and what the values point
    /// to. The layout is shared by the table's rows and not counted.
    var estimatedBytes: Int {
        values.reduce(32 + values.count * MemoryLayout<SQLValue>.stride) { $0 + $1.estimatedHeapBytes }
    }
}

extension SQLValue {
    /// Heap bytes beyond the value itself: strings of up to 15 UTF-8 bytes
    /// live inside a Swift String, arrays cost a 32-byte header.
    var estimatedHeapBytes: Int {
        switch self {
        case .null, .bool, .int, .double, .timestamp, .timestamptz, .date, .time, .uuid: return 0
        case .numeric(let n): return n.limbs.isEmpty ? 0 : 32 + 4 * n.limbs.count
        case .text(let s): return s.utf8.count <= 15 ? 0 : 32 + s.utf8.count
        case .bytes(let b): return b.isEmpty ? 0 : 32 + b.count
        case .json(let j): return j.estimatedBytes
        case .array(let elements):
            return elements.reduce(32 + elements.count * MemoryLayout<SQLValue>.stride) { $0 + $1.estimatedHeapBytes }
        }
    }
}
