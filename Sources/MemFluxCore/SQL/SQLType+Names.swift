// The names PostgreSQL gives types in its messages (format_type_be):
// `operator does not exist: timestamp without time zone = integer`,
// `value too long for type character varying(3)`. Values of a schemaless
// document have no declared type, so errors about them name the type their
// representation stands for (`SQLValue.typeForMessages`).

extension SQLType {
    /// PostgreSQL's name for the type in error messages.
    ///
    ///     SQLType.double.postgresName               // "double precision"
    ///     SQLType.array(.integer).postgresName      // "integer[]"
    ///     SQLType.varchar(3).postgresName           // "character varying(3)"
    public var postgresName: String {
        switch self {
        case .boolean: "boolean"
        case .smallint: "smallint"
        case .integer: "integer"
        case .bigint: "bigint"
        case .real: "real"
        case .double: "double precision"
        case .numeric(let precision?, let scale): "numeric(\(precision),\(scale ?? 0))"
        case .numeric(nil, _): "numeric"
        case .text: "text"
        case .varchar(let length?): "character varying(\(length))"
        case .varchar(nil): "character varying"
        case .char(let length): "character(\(length ?? 1))"
        case .bytea: "bytea"
        case .timestamp: "timestamp without time zone"
        case .timestamptz: "timestamp with time zone"
        case .date: "date"
        case .time: "time without time zone"
        case .uuid: "uuid"
        case .json: "json"
        case .jsonb: "jsonb"
        case .array(let element): element.withoutModifiers.postgresName + "[]"
        case .dynamic: "jsonb"
        case .unknown: "unknown"
        }
    }

    /// The name input functions use in `invalid input syntax for type X`, which
    /// is shorter for the date/time types (`timestamp`, `time`).
    var inputName: String {
        switch self {
        case .timestamp: "timestamp"
        case .time: "time"
        case .numeric: "numeric"
        default: postgresName
        }
    }

    /// The type without its length, precision or scale: what operators and
    /// functions resolve on (`varchar(3)` behaves as text).
    public var withoutModifiers: SQLType {
        switch self {
        case .numeric: .numeric(precision: nil, scale: nil)
        case .varchar, .char: .text
        case .array(let element): .array(element.withoutModifiers)
        default: self
        }
    }

    var isInteger: Bool {
        switch self {
        case .smallint, .integer, .bigint: true
        default: false
        }
    }

    var isNumber: Bool {
        switch self {
        case .smallint, .integer, .bigint, .real, .double, .numeric: true
        default: false
        }
    }

    var isText: Bool {
        switch self {
        case .text, .varchar, .char: true
        default: false
        }
    }

    var isJSON: Bool {
        switch self {
        case .json, .jsonb: true
        default: false
        }
    }
}

extension SQLValue {
    /// The type a value's representation stands for when no type was declared:
    /// `.int` → integer, `.json` → jsonb, `.array` → its first element's type.
    public var typeForMessages: SQLType {
        switch self {
        case .null: .unknown
        case .bool: .boolean
        case .int: .integer
        case .double: .double
        case .numeric: .numeric(precision: nil, scale: nil)
        case .text: .text
        case .bytes: .bytea
        case .timestamp: .timestamp
        case .timestamptz: .timestamptz
        case .date: .date
        case .time: .time
        case .uuid: .uuid
        case .json: .jsonb
        case .array(let items):
            // A nested array is one more dimension of the same element type.
            if let first = items.first(where: { !$0.isNull }) {
                if case .array = first { first.typeForMessages } else { .array(first.typeForMessages) }
            } else {
                .array(.text)
            }
        }
    }
}
