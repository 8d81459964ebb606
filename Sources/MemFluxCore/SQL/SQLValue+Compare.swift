// Ordering and equality of SQL values: ORDER BY, DISTINCT, GROUP BY, joins,
// `=` and `<`. PostgreSQL resolves these per pair of types; here the
// representations decide, with PostgreSQL's rules for each pair:
//
// - Numbers compare across int, numeric and double. int against numeric is
//   exact; anything against a double compares as doubles, since PostgreSQL
//   casts int and numeric to float8 for `int8 = float8` and `numeric =
//   float8`. NaN equals NaN and sorts above every other number.
// - Text is bytewise (the C collation), never Unicode-equivalence: Swift's
//   `==` on String would make "é" precomposed and decomposed equal.
// - false < true; dates, timestamps and timestamptz compare on one time line
//   (a date is its midnight, UTC is the only zone); time; uuid bytes; bytea
//   bytewise; arrays element by element, then by length, NULL elements after
//   all others and equal to each other, as in array_cmp.
// - JSON against JSON in jsonb's order (SQLJSONText.swift). A JSON scalar
//   against an SQL value compares as the SQL value it holds when the kinds
//   agree (a document's "age": 30 against 30, "name": "x" against 'x'). This
//   is a choice for schemaless tables, where every field is JSON and
//   PostgreSQL's jsonb has no cross-type operators.
// - Anything else has no operator: `operator does not exist: text < integer`,
//   naming the types the representations stand for.
//
// Hashing: `SQLHashKey` wraps a value with equality defined as compare() == 0
// and a hash that agrees with it (numbers hash as their double, so 1, 1.0
// and 1.00 land together; dates and timestamps as days and time of day).
// `SQLValue`'s own Hashable stays structural (.int(1) != .numeric(1)), which
// is what tests and plan caches want.

extension SQLValue {
    /// -1, 0 or 1 for two non-NULL values (NULLs are the caller's to order).
    ///
    ///     try SQLValue.compare(.int(1), .double(1.0))             // 0
    ///     try SQLValue.compare(.text("b"), .text("a"))            // 1
    ///     try SQLValue.compare(.text("a"), .int(1))               // throws operator does not exist: text < integer
    ///
    /// - Parameter operator: the operator named in the error for incomparable kinds.
    /// - Complexity: O(n) in the size of the values.
    public static func compare(_ a: SQLValue, _ b: SQLValue, operator: String = "<") throws(MemFluxError) -> Int {
        if let order = order(a, b) { return order }
        throw noOperator(a, b, operator: `operator`)
    }

    static func noOperator(_ a: SQLValue, _ b: SQLValue, operator: String) -> MemFluxError {
        MemFluxError(.err, "operator does not exist: \(a.typeForMessages.postgresName) \(`operator`) \(b.typeForMessages.postgresName)")
    }

    /// The order of two comparable values, nil when no operator compares their kinds.
    static func order(_ a: SQLValue, _ b: SQLValue) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            return x == y ? 0 : (x < y ? -1 : 1)
        case (.double(let x), .double(let y)):
            return compareDoubles(x, y)
        case (.int, .double), (.int, .numeric), (.double, _), (.numeric, _):
            guard b.isNumber else { return jsonScalarOrder(a, b) }
            return compareNumbers(a, b)
        case (.text(let x), .text(let y)):
            return compareBytes(x, y)
        case (.bool(let x), .bool(let y)):
            return x == y ? 0 : (x ? 1 : -1)
        case (.bytes(let x), .bytes(let y)):
            return compareBytes(x, y)
        case (.uuid(let x), .uuid(let y)):
            return x == y ? 0 : (x < y ? -1 : 1)
        case (.time(let x), .time(let y)):
            return x == y ? 0 : (x < y ? -1 : 1)
        case (.date, _), (.timestamp, _), (.timestamptz, _):
            guard let x = a.dayAndTime, let y = b.dayAndTime else { return nil }
            if x.days != y.days { return x.days < y.days ? -1 : 1 }
            return x.time == y.time ? 0 : (x.time < y.time ? -1 : 1)
        case (.array(let x), .array(let y)):
            return compareArrays(x, y)
        case (.json(let x), .json(let y)):
            return SQLJSONText.compare(x, y)
        default:
            return jsonScalarOrder(a, b)
        }
    }

    /// A JSON scalar against an SQL value of the same kind (see the header).
    private static func jsonScalarOrder(_ a: SQLValue, _ b: SQLValue) -> Int? {
        if case .json(let x) = a, let scalar = sqlScalar(x), !b.isJSON { return order(scalar, b) }
        if case .json(let y) = b, let scalar = sqlScalar(y), !a.isJSON { return order(a, scalar) }
        return nil
    }

    /// The SQL value a JSON scalar compares as: numbers, strings and booleans.
    static func sqlScalar(_ value: JSONValue) -> SQLValue? {
        switch value {
        case .int(let n): .int(n)
        case .double(let d): .double(d)
        case .string(let s): .text(s)
        case .bool(let b): .bool(b)
        default: nil
        }
    }

    var isNumber: Bool {
        switch self {
        case .int, .double, .numeric: true
        default: false
        }
    }

    var isJSON: Bool {
        if case .json = self { return true }
        return false
    }

    /// Days since 1970 and microseconds into the day, for dates and both timestamps;
    /// an infinite date or timestamp is at Int64's end, so the two infinities of each sign meet.
    var dayAndTime: (days: Int64, time: Int64)? {
        switch self {
        case .date(let days):
            let infinity = SQLDateTime.infinity(ofDate: days)
            if infinity != 0 { return (infinity > 0 ? .max : .min, 0) }
            return (Int64(days), 0)
        case .timestamp(let micros), .timestamptz(let micros):
            let infinity = SQLDateTime.infinity(ofTimestamp: micros)
            if infinity != 0 { return (infinity > 0 ? .max : .min, 0) }
            let split = SQLDateTime.split(micros)
            return (split.days, split.timeOfDay)
        default:
            return nil
        }
    }

    /// Two numbers (int, double, numeric) by PostgreSQL's promotions: exact
    /// between int and numeric, as doubles when either is a double.
    static func compareNumbers(_ a: SQLValue, _ b: SQLValue) -> Int {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            return x == y ? 0 : (x < y ? -1 : 1)
        case (.numeric(let x), .numeric(let y)):
            return SQLNumeric.compare(x, y)
        case (.int(let x), .numeric(let y)):
            return SQLNumeric.compare(SQLNumeric(x), y)
        case (.numeric(let x), .int(let y)):
            return SQLNumeric.compare(x, SQLNumeric(y))
        default:
            return compareDoubles(a.doubleValue ?? 0, b.doubleValue ?? 0)
        }
    }

    /// float8 order: NaN equals NaN and is above everything else; -0 equals 0.
    @inlinable
    public static func compareDoubles(_ x: Double, _ y: Double) -> Int {
        if x.isNaN || y.isNaN { return x.isNaN == y.isNaN ? 0 : (x.isNaN ? 1 : -1) }
        return x == y ? 0 : (x < y ? -1 : 1)
    }

    /// The number as a double (int and numeric rounded to nearest); nil for other kinds.
    var doubleValue: Double? {
        switch self {
        case .int(let n): Double(n)
        case .double(let d): d
        case .numeric(let n): n.doubleValue
        default: nil
        }
    }

    /// Bytewise order of the UTF-8 text: PostgreSQL's C collation.
    static func compareBytes(_ a: String, _ b: String) -> Int {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in compareBytes(x, y) } }
    }

    static func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in compareBytes(x, y) } }
    }

    private static func compareBytes(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(x.count, y.count)
        var k = 0
        while k < common {
            if x[k] != y[k] { return x[k] < y[k] ? -1 : 1 }
            k += 1
        }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }

    /// array_cmp: element by element (NULLs last, equal to each other), then the shorter first.
    private static func compareArrays(_ x: [SQLValue], _ y: [SQLValue]) -> Int? {
        for (p, q) in zip(x, y) {
            switch (p.isNull, q.isNull) {
            case (true, true): continue
            case (true, false): return 1
            case (false, true): return -1
            case (false, false):
                guard let order = order(p, q) else { return nil }
                if order != 0 { return order }
            }
        }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }
}

/// A value as a hash-table key for GROUP BY, DISTINCT, hash joins and IN
/// lists: equal exactly when `SQLValue.compare` says 0 (so 1, 1.0 and 1.00
/// are one key, and 'é' spelled two ways is two), NULL equal to NULL (the
/// grouping rule; joins must skip NULL keys themselves).
///
///     var groups: [SQLHashKey: Int] = [:]
///     groups[SQLHashKey(.int(1)), default: 0] += 1
///     groups[SQLHashKey(.double(1.0)), default: 0] += 1   // the same group
public struct SQLHashKey: Hashable, Sendable {
    public let value: SQLValue

    public init(_ value: SQLValue) { self.value = value }

    public static func == (a: SQLHashKey, b: SQLHashKey) -> Bool {
        switch (a.value.isNull, b.value.isNull) {
        case (true, true): return true
        case (false, false): return SQLValue.order(a.value, b.value) == 0
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        Self.hash(value, into: &hasher)
    }

    /// What a number (`.int`, `.double`, `.numeric`) hashes by: equal numbers
    /// have equal doubles (see compareNumbers); NaN is one value; -0 is 0.
    public static func numberBits(_ value: SQLValue) -> UInt64 {
        let d = value.doubleValue ?? 0
        return d.isNaN ? UInt64.max : (d == 0 ? 0 : d.bitPattern)
    }

    private enum Tag: UInt8 {
        case null, number, text, bool, bytes, instant, time, uuid, array, jsonNull, jsonArray, jsonObject
    }

    private static func hash(_ value: SQLValue, into hasher: inout Hasher) {
        switch value {
        case .null:
            hasher.combine(Tag.null)
        case .int, .double, .numeric:
            hasher.combine(Tag.number)
            hasher.combine(numberBits(value))
        case .text(var string):
            hasher.combine(Tag.text)
            string.withUTF8 { bytes in
                hasher.combine(bytes.count)
                hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
            }
        case .bool(let flag):
            hasher.combine(Tag.bool)
            hasher.combine(flag)
        case .bytes(let bytes):
            hasher.combine(Tag.bytes)
            hasher.combine(bytes)
        case .date, .timestamp, .timestamptz:
            hasher.combine(Tag.instant)
            if let (days, time) = value.dayAndTime {
                hasher.combine(days)
                hasher.combine(time)
            }
        case .time(let micros):
            hasher.combine(Tag.time)
            hasher.combine(micros)
        case .uuid(let uuid):
            hasher.combine(Tag.uuid)
            hasher.combine(uuid)
        case .array(let items):
            hasher.combine(Tag.array)
            hasher.combine(items.count)
            for item in items { hash(item, into: &hasher) }
        case .json(let json):
            hash(json, into: &hasher)
        }
    }

    private static func hash(_ json: JSONValue, into hasher: inout Hasher) {
        switch json {
        case .null:
            hasher.combine(Tag.jsonNull)
        case .int(let n):
            hash(SQLValue.int(n), into: &hasher)
        case .double(let d):
            hash(SQLValue.double(d), into: &hasher)
        case .string(let s):
            hash(SQLValue.text(s), into: &hasher)
        case .bool(let b):
            hash(SQLValue.bool(b), into: &hasher)
        case .array(let items):
            hasher.combine(Tag.jsonArray)
            hasher.combine(items.count)
            for item in items { hash(item, into: &hasher) }
        case .object(let fields):
            // Key order does not matter to jsonb equality: hash in storage order.
            hasher.combine(Tag.jsonObject)
            hasher.combine(fields.count)
            for key in SQLJSONText.storageOrder(fields) {
                hash(SQLValue.text(key), into: &hasher)
                hash(fields[key] ?? .null, into: &hasher)
            }
        }
    }
}
