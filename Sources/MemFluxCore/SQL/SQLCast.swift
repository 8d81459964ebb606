// SQLCast: converting a value to a type with PostgreSQL's rules and error
// texts — CAST and `::`, values written to typed columns, function
// arguments. One entry point dispatches on the target; the facets beside
// this file hold the text forms (+Text), JSON sources (+JSON), arrays
// (+Array) and dates (+DateTime).
//
// The source type matters where the representation alone does not say
// enough: a real prints and converts to numeric with 6 digits, a char(n)
// drops its padding on the way to text, int8 and int2 have no cast to
// boolean, and a JSON value converts strictly when it is a jsonb column
// (`cannot cast jsonb string to type integer`) but leniently when it is a
// field of a schemaless document (source `.dynamic`: a string field is
// parsed as text, a null field becomes NULL).
//
// Explicit and implicit casts differ only where PostgreSQL's do:
// varchar(n) and char(n) truncate a longer value on an explicit cast and
// refuse it otherwise (`value too long for type character varying(3)`),
// unless what would be cut is only spaces.

public enum SQLCast {
    /// `value` converted to `target`. NULL stays NULL; `.dynamic` and
    /// `.unknown` targets return the value unchanged.
    ///
    ///     try SQLCast.cast(.text("42"), to: .integer)                  // .int(42)
    ///     try SQLCast.cast(.text("abc"), to: .integer)                 // throws invalid input syntax for type integer: "abc"
    ///     try SQLCast.cast(.text("abc"), to: .varchar(2), explicit: true)   // .text("ab")
    ///     try SQLCast.cast(.double(2.5), to: .integer)                 // .int(2): half to even, as PostgreSQL
    ///
    /// - Parameters:
    ///   - source: the value's declared type; `.dynamic` when it has none (a schemaless field, a parameter).
    ///   - explicit: true for CAST and `::`, false for assignment to a column.
    /// - Complexity: O(n) in the size of the value.
    public static func cast(
        _ value: SQLValue, from source: SQLType = .dynamic, to target: SQLType, explicit: Bool = false
    ) throws(MemFluxError) -> SQLValue {
        if case .null = value { return .null }
        if case .dynamic = source {
            // A value already of the target type (a bound parameter, a column
            // written with its own type) is itself; no dispatch needed.
            switch (value, target) {
            case (.int, .bigint), (.text, .text), (.double, .double), (.bool, .boolean): return value
            case (.int(let i), .integer) where Int64(Int32.min)...Int64(Int32.max) ~= i: return value
            default: break
            }
        }
        if case .json(let json) = value, let converted = try castJSON(json, from: source, to: target, explicit: explicit) {
            return converted
        }
        switch target {
        case .dynamic, .unknown:
            return value
        case .boolean:
            return try toBoolean(value, from: source)
        case .smallint, .integer, .bigint:
            return .int(try toInteger(value, from: source, to: target))
        case .real, .double:
            return .double(try toFloat(value, from: source, to: target))
        case .numeric(let precision, let scale):
            let number = try toNumeric(value, from: source)
            return .numeric(try applyTypeModifier(number, precision: precision, scale: scale))
        case .text, .varchar, .char:
            return .text(try toText(value, from: source, to: target, explicit: explicit))
        case .bytea:
            return .bytes(try toBytes(value, from: source))
        case .timestamp, .timestamptz, .date, .time:
            return try toDateTime(value, from: source, to: target)
        case .uuid:
            return .uuid(try toUUID(value, from: source))
        case .json, .jsonb:
            return try toJSON(value, from: source, to: target)
        case .array(let element):
            return try toArray(value, from: source, element: element, explicit: explicit)
        }
    }

    /// `cannot cast type integer to date`.
    static func cannotCast(_ value: SQLValue, from source: SQLType, to target: SQLType) -> MemFluxError {
        MemFluxError(.err, "cannot cast type \(sourceName(value, source)) to \(target.postgresName)")
    }

    static func sourceName(_ value: SQLValue, _ source: SQLType) -> String {
        switch source {
        case .dynamic, .unknown: value.typeForMessages.postgresName
        default: source.postgresName
        }
    }

    static func invalidSyntax(_ text: Substring, _ type: SQLType) -> MemFluxError {
        MemFluxError(.err, "invalid input syntax for type \(type.inputName): \"\(text)\"")
    }

    static func outOfRange(_ type: SQLType) -> MemFluxError {
        MemFluxError(.err, "\(type.postgresName) out of range")
    }

    // MARK: - Booleans and numbers

    private static func toBoolean(_ value: SQLValue, from source: SQLType) throws(MemFluxError) -> SQLValue {
        switch value {
        case .bool:
            return value
        case .int(let number) where source != .smallint && source != .bigint:
            return .bool(number != 0)
        case .text(let text):
            guard let flag = parseBoolean(text[...]) else { throw invalidSyntax(text[...], .boolean) }
            return .bool(flag)
        default:
            throw cannotCast(value, from: source, to: .boolean)
        }
    }

    static func toInteger(_ value: SQLValue, from source: SQLType, to target: SQLType) throws(MemFluxError) -> Int64 {
        switch value {
        case .int(let number):
            return try checkRange(number, target)
        case .double(let number):
            // rint: half to even; NaN and out-of-range doubles are out of range.
            let rounded = number.rounded(.toNearestOrEven)
            guard rounded >= -9.223372036854775808e18 && rounded < 9.223372036854775808e18 else { throw outOfRange(target) }
            return try checkRange(Int64(rounded), target)
        case .numeric(let number):
            guard number.isFinite else { throw number.conversionError(to: target.postgresName) }
            do {
                return try checkRange(try number.int64(rounding: true), target)
            } catch {
                throw outOfRange(target)
            }
        case .bool(let flag) where target == .integer:
            return flag ? 1 : 0
        case .text(let text):
            return try parseInteger(text, target)
        default:
            throw cannotCast(value, from: source, to: target)
        }
    }

    package static func checkRange(_ number: Int64, _ target: SQLType) throws(MemFluxError) -> Int64 {
        switch target {
        case .smallint where number < Int64(Int16.min) || number > Int64(Int16.max): throw outOfRange(.smallint)
        case .integer where number < Int64(Int32.min) || number > Int64(Int32.max): throw outOfRange(.integer)
        default: return number
        }
    }

    private static func toFloat(_ value: SQLValue, from source: SQLType, to target: SQLType) throws(MemFluxError) -> Double {
        let number: Double
        switch value {
        case .int(let n):
            number = Double(n)
        case .double(let d):
            number = d
        case .numeric(let n):
            number = n.doubleValue
            guard n.isFinite else { return target == .real ? Double(Float(number)) : number }
            // float8in/float4in of the numeric's text: overflow, or a nonzero value that underflows to zero.
            let narrowed = target == .real ? Double(Float(number)) : number
            if narrowed.isInfinite || (narrowed == 0 && !n.isZero) {
                throw MemFluxError(.err, "\"\(n.description)\" is out of range for type \(target.postgresName)")
            }
            return narrowed
        case .text(let text):
            let (parsed, outOfRange) = SQLFloatText.parseDouble(text[...])
            if outOfRange { throw MemFluxError(.err, "\"\(text)\" is out of range for type \(target.postgresName)") }
            guard let d = parsed else { throw invalidSyntax(text[...], target) }
            if target == .real && d.isFinite && (Float(d).isInfinite || (Float(d) == 0 && d != 0)) {
                throw MemFluxError(.err, "\"\(text)\" is out of range for type real")
            }
            return target == .real ? Double(Float(d)) : d
        default:
            throw cannotCast(value, from: source, to: target)
        }
        guard target == .real else { return number }
        // float8 → float4: float8_to_float4's checks.
        let narrowed = Float(number)
        if narrowed.isInfinite && number.isFinite { throw MemFluxError(.err, "value out of range: overflow") }
        if narrowed == 0 && number != 0 { throw MemFluxError(.err, "value out of range: underflow") }
        return Double(narrowed)
    }

    private static func toNumeric(_ value: SQLValue, from source: SQLType) throws(MemFluxError) -> SQLNumeric {
        switch value {
        case .numeric(let n):
            return n
        case .int(let n):
            return SQLNumeric(n)
        case .double(let d):
            // float8_numeric prints %.15g, float4_numeric %.6g.
            return try SQLNumeric(d, significantDigits: source == .real ? 6 : 15)
        case .text(let text):
            guard let n = try SQLNumeric.parse(text[...]) else { throw invalidSyntax(text[...], .numeric(precision: nil, scale: nil)) }
            return n
        default:
            throw cannotCast(value, from: source, to: .numeric(precision: nil, scale: nil))
        }
    }

    /// numeric(p, s): rounded half away from zero to s digits, then at most
    /// p - s digits before the point (`numeric field overflow`, which an
    /// infinity always is; NaN fits every numeric(p, s)).
    public static func applyTypeModifier(_ number: SQLNumeric, precision: Int?, scale: Int?) throws(MemFluxError) -> SQLNumeric {
        guard let precision, !number.isNaN else { return number }
        if number.isInfinite { throw MemFluxError(.err, "numeric field overflow") }
        let scale = scale ?? 0
        let rounded = try number.rounded(scale: scale)
        if !rounded.isZero && rounded.leadingDigitExponent > precision - scale {
            throw MemFluxError(.err, "numeric field overflow")
        }
        return rounded
    }
}
