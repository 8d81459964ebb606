// SQLValue: one value as SQL sees it — a column of a typed row, a parameter,
// an expression's result inside the executor. An enum with a case per
// representation (no existentials), so the executor switches on it.
//
// The case says how a value is stored; the SQL type (SQLType) says how it
// behaves. Several types share a case: SMALLINT, INTEGER and BIGINT are all
// `.int`, range-checked against their declared type when cast; REAL and
// DOUBLE PRECISION are `.double` (a real holds a value a Float can hold);
// TEXT, VARCHAR and CHAR are `.text` (a char(n) padded with spaces); JSON
// and JSONB are `.json`.
//
// Their PostgreSQL semantics live beside this file: SQLCast (conversions),
// +Text and +JSON (output), +Compare (ordering, SQLHashKey), SQLArithmetic.

import Collections

public enum SQLValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case numeric(SQLNumeric)
    case text(String)
    case bytes([UInt8])
    /// Microseconds since 1970-01-01 00:00:00, no time zone.
    case timestamp(Int64)
    /// Microseconds since 1970-01-01 00:00:00 UTC.
    case timestamptz(Int64)
    /// Days since 1970-01-01.
    case date(Int32)
    /// Microseconds since midnight.
    case time(Int64)
    case uuid(SQLUUID)
    case json(JSONValue)
    case array([SQLValue])

    @inlinable
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

/// The declared type of a column, a cast target, or an expression's inferred type.
public indirect enum SQLType: Sendable, Hashable {
    case boolean
    case smallint, integer, bigint
    case real, double
    /// NUMERIC(precision, scale); nil precision means unconstrained.
    case numeric(precision: Int?, scale: Int?)
    case text
    case varchar(Int?)
    case char(Int?)
    case bytea
    case timestamp, timestamptz, date, time
    case uuid
    case json, jsonb
    case array(SQLType)
    /// A value whose type is known only at run time: a field of a schemaless
    /// document, a JSON path result, an untyped parameter.
    case dynamic
    /// The type of a NULL literal or an untyped string literal before context decides it.
    case unknown
}

/// A UUID as two 64-bit halves (big-endian order of the 16 bytes).
public struct SQLUUID: Sendable, Hashable, Comparable {
    public var high: UInt64
    public var low: UInt64

    @inlinable
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    @inlinable
    public static func < (a: SQLUUID, b: SQLUUID) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }
}
