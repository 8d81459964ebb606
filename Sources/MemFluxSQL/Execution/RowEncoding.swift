// How result rows are rendered for clients: one compact JSON object per
// row, keys in select-list order (a schemaless `*` spreads the document's
// fields), values as PostgreSQL's to_json renders them; or, for RESP3, a map
// of native values. JSON.GET renders a stored typed row the same way.

import Collections
import MemFluxCore
import MemFluxStorage

/// How result rows are rendered for clients.
public enum RowEncoding {
    /// One compact JSON object, keys in select-list order, values as PostgreSQL's to_json renders them.
    public static func json(_ row: Row, _ columns: [OutputColumn]) -> Bytes {
        var out: [UInt8] = []
        // Room for each key and a short value: most rows then need no second buffer.
        var capacity = 2
        for column in columns { capacity &+= column.jsonKey.count &+ 16 }
        out.reserveCapacity(capacity)
        out.append(UInt8(ascii: "{"))
        var first = true
        func separate() {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
        }
        // A column's key is made once, with its plan (OutputColumn.jsonKey); a spread document's field names vary per row.
        for (i, column) in columns.enumerated() {
            if column.spreadsDocument {
                if case .json(.object(let fields)) = row[i] {
                    for (name, value) in fields {
                        separate()
                        SQLValue.text(name).appendJSON(to: &out, type: .text)
                        out.append(UInt8(ascii: ":"))
                        out.append(contentsOf: value.serialized.array)
                    }
                }
                continue
            }
            separate()
            out.append(contentsOf: column.jsonKey)
            row[i].appendJSON(to: &out, type: column.type)
        }
        out.append(UInt8(ascii: "}"))
        return Bytes(out)
    }

    /// A stored typed row as JSON.GET shows it: exact, like a query's row.
    public static func json(_ row: TableRow) -> Bytes {
        json(row.values, zip(row.layout.columns, row.layout.types).map { OutputColumn(name: $0, type: $1) })
    }

    /// A stored typed row as a JSON document (for JSON paths into it; NUMERIC becomes a JSON number).
    public static func document(_ row: TableRow) -> JSONValue {
        var fields: OrderedDictionary<String, JSONValue> = [:]
        for (name, value) in zip(row.layout.columns, row.values) { fields[name] = value.jsonValue }
        return .object(fields)
    }

    /// A RESP3 map: column name to a native reply (integers, doubles, booleans, nulls; other values as their JSON text).
    public static func map<Reply>(_ row: Row, _ columns: [OutputColumn], _ reply: (SQLValue, SQLType) -> Reply, name key: (String) -> Reply) -> [Reply] {
        var out: [Reply] = []
        for (i, column) in columns.enumerated() {
            if column.spreadsDocument {
                if case .json(.object(let fields)) = row[i] {
                    for (name, value) in fields {
                        out.append(key(name))
                        out.append(reply(ColumnValue.scalar(value), .dynamic))
                    }
                }
                continue
            }
            out.append(key(column.name))
            out.append(reply(row[i], column.type))
        }
        return out
    }
}
