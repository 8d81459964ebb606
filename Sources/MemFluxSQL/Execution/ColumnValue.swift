// How stored values become column values: JSON scalars of schemaless
// documents become SQL scalars (so `price * 2` and `name || '!'` work on
// them), objects and arrays stay JSON; values written into a typed table by
// other means (JSON.SET) are cast to the declared type.

import MemFluxCore

public enum ColumnValue {
    public static func scalar(_ json: JSONValue) -> SQLValue {
        switch json {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .text(s)
        case .array, .object: return .json(json)
        }
    }

    /// `value` stored into a column of `type` (an assignment cast, as INSERT applies it).
    static func conform(_ value: SQLValue, to type: SQLType) throws(MemFluxError) -> SQLValue {
        var value = value
        if case .json(let j) = value, type != .json, type != .jsonb { value = scalar(j) }
        if value.isNull { return .null }
        return try SQLCast.cast(value, to: type, explicit: false)
    }
}
