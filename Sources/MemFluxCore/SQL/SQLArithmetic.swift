// SQL arithmetic with PostgreSQL's results and errors. The binder infers each
// expression's type (`resultType`, SQLArithmetic+Types.swift) and passes it
// in; the type picks the domain and the range:
//
// - smallint/integer/bigint: Int64 arithmetic checked against the type's range
//   (`smallint out of range`, `integer out of range`, `bigint out of range`);
//   division truncates toward zero; `division by zero`.
// - numeric: exact (SQLNumeric); int operands are promoted.
// - double precision/real: IEEE doubles with float8's checks (`value out of
//   range: overflow` when finite operands give an infinity, `underflow` when
//   nonzero ones give zero); a real result is rounded to a Float.
// - `.dynamic` (a schemaless field): the operands' representations decide,
//   int < numeric < double, as if each were its own type. A JSON number field
//   takes part as the number it holds.
//
// Dates: date ± integer days → date, date - date → integer days, date + time
// → timestamp. Intervals do not exist here, so timestamp - timestamp is an
// error. `||` is text concatenation of the operands' text, array append and
// concatenation, or jsonb concatenation.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum SQLArithmetic {
    public enum Operation: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", power = "^"
    }

    /// `a + b` for non-NULL operands, `type` being the binder's result type.
    ///
    ///     try SQLArithmetic.add(.int(32767), .int(1), type: .smallint)   // throws smallint out of range
    ///     let half = try SQLNumeric.parse("1.50")!
    ///     try SQLArithmetic.add(.int(1), .numeric(half), type: .numeric(precision: nil, scale: nil))   // 2.50
    public static func add(_ a: SQLValue, _ b: SQLValue, type: SQLType) throws(MemFluxError) -> SQLValue {
        try apply(.add, a, b, type: type)
    }

    public static func subtract(_ a: SQLValue, _ b: SQLValue, type: SQLType) throws(MemFluxError) -> SQLValue {
        try apply(.subtract, a, b, type: type)
    }

    public static func multiply(_ a: SQLValue, _ b: SQLValue, type: SQLType) throws(MemFluxError) -> SQLValue {
        try apply(.multiply, a, b, type: type)
    }

    /// Integer division truncates toward zero (7 / -2 = -3).
    public static func divide(_ a: SQLValue, _ b: SQLValue, type: SQLType) throws(MemFluxError) -> SQLValue {
        try apply(.divide, a, b, type: type)
    }

    /// The remainder signed like the dividend (-7 % 3 = -1).
    public static func modulo(_ a: SQLValue, _ b: SQLValue, type: SQLType) throws(MemFluxError) -> SQLValue {
        try apply(.modulo, a, b, type: type)
    }

    /// `a ^ b`: double precision, or numeric when the binder typed it so.
    public static func power(_ a: SQLValue, _ b: SQLValue, type: SQLType) throws(MemFluxError) -> SQLValue {
        try apply(.power, a, b, type: type)
    }

    /// `-a`.
    public static func negate(_ a: SQLValue, type: SQLType) throws(MemFluxError) -> SQLValue {
        switch numberOperand(a) {
        case .int(let n)?:
            let (negated, overflow) = Int64(0).subtractingReportingOverflow(n)
            if overflow { throw SQLCast.outOfRange(integerType(type)) }
            return .int(try SQLCast.checkRange(negated, integerType(type)))
        case .double(let d)?:
            return .double(-d)
        case .numeric(let n)?:
            return .numeric(n.negated())
        default:
            throw MemFluxError(.err, "operator does not exist: - \(a.typeForMessages.postgresName)")
        }
    }

    public static func apply(_ operation: Operation, _ a: SQLValue, _ b: SQLValue, type: SQLType) throws(MemFluxError) -> SQLValue {
        if let result = try dateArithmetic(operation, a, b) { return result }
        guard let x = numberOperand(a), let y = numberOperand(b) else {
            throw MemFluxError(.err, "operator does not exist: \(a.typeForMessages.postgresName) \(operation.rawValue) \(b.typeForMessages.postgresName)")
        }
        switch domain(operation, x, y, type: type) {
        case .integer:
            guard case .int(let p) = x, case .int(let q) = y else { return try numeric(operation, x, y) }
            return .int(try integer(operation, p, q, type: integerType(type)))
        case .numeric:
            return try numeric(operation, x, y)
        case .double:
            let result = try double(operation, x.doubleValue ?? 0, y.doubleValue ?? 0)
            guard case .real = type else { return .double(result) }
            let narrowed = Float(result)
            if narrowed.isInfinite && result.isFinite { throw overflow }
            if narrowed == 0 && result != 0 { throw underflow }
            return .double(Double(narrowed))
        }
    }

    package static let overflow = MemFluxError(.err, "value out of range: overflow")
    package static let underflow = MemFluxError(.err, "value out of range: underflow")
    static let divisionByZero = MemFluxError(.err, "division by zero")

    /// A number, or a JSON number field as the number it holds; nil otherwise.
    static func numberOperand(_ value: SQLValue) -> SQLValue? {
        switch value {
        case .int, .double, .numeric: value
        case .json(.int(let n)): .int(n)
        case .json(.double(let d)): .double(d)
        default: nil
        }
    }

    private enum Domain { case integer, numeric, double }

    private static func domain(_ operation: Operation, _ x: SQLValue, _ y: SQLValue, type: SQLType) -> Domain {
        switch type {
        case .real, .double: return .double
        case .numeric: return .numeric
        case .smallint, .integer, .bigint: return .integer
        default: break
        }
        if case .double = x { return .double }
        if case .double = y { return .double }
        // int ^ int is double precision in PostgreSQL.
        if operation == .power { return x.isNumeric || y.isNumeric ? .numeric : .double }
        return x.isNumeric || y.isNumeric ? .numeric : .integer
    }

    private static func integerType(_ type: SQLType) -> SQLType {
        switch type {
        case .smallint, .integer: type
        default: .bigint
        }
    }

    private static func integer(_ operation: Operation, _ p: Int64, _ q: Int64, type: SQLType) throws(MemFluxError) -> Int64 {
        let (result, overflowed): (Int64, Bool)
        switch operation {
        case .add: (result, overflowed) = p.addingReportingOverflow(q)
        case .subtract: (result, overflowed) = p.subtractingReportingOverflow(q)
        case .multiply: (result, overflowed) = p.multipliedReportingOverflow(by: q)
        case .divide:
            guard q != 0 else { throw divisionByZero }
            (result, overflowed) = p.dividedReportingOverflow(by: q)
        case .modulo:
            guard q != 0 else { throw divisionByZero }
            // Int64.min % -1 overflows in hardware; the remainder is 0.
            (result, overflowed) = q == -1 ? (0, false) : p.remainderReportingOverflow(dividingBy: q)
        case .power:
            let d = try double(.power, Double(p), Double(q)).rounded(.toNearestOrEven)
            guard d >= -9.223372036854775808e18 && d < 9.223372036854775808e18 else { throw SQLCast.outOfRange(type) }
            (result, overflowed) = (Int64(d), false)
        }
        if overflowed { throw SQLCast.outOfRange(type) }
        return try SQLCast.checkRange(result, type)
    }

    private static func numeric(_ operation: Operation, _ x: SQLValue, _ y: SQLValue) throws(MemFluxError) -> SQLValue {
        guard let p = x.numericValue, let q = y.numericValue else {
            return .double(try double(operation, x.doubleValue ?? 0, y.doubleValue ?? 0))
        }
        switch operation {
        case .add: return .numeric(try p.adding(q))
        case .subtract: return .numeric(try p.subtracting(q))
        case .multiply: return .numeric(try p.multiplying(q))
        case .divide: return .numeric(try p.dividing(by: q))
        case .modulo: return .numeric(try p.remainder(dividingBy: q))
        case .power: return .numeric(try SQLNumericPower.power(p, q))
        }
    }

    /// float8 arithmetic with float8pl/mi/mul/div/dpow's checks.
    static func double(_ operation: Operation, _ x: Double, _ y: Double) throws(MemFluxError) -> Double {
        let result: Double
        switch operation {
        case .add: result = x + y
        case .subtract: result = x - y
        case .multiply:
            result = x * y
            if result == 0 && x != 0 && y != 0 { throw underflow }
        case .divide:
            if y == 0 && !x.isNaN { throw divisionByZero }
            result = x / y
            if result == 0 && x != 0 && !y.isInfinite { throw underflow }
        case .modulo:
            throw MemFluxError(.err, "operator does not exist: double precision % double precision")
        case .power:
            if x == 0 && y < 0 { throw MemFluxError(.err, "zero raised to a negative power is undefined") }
            if x < 0 && y.rounded(.down) != y { throw MemFluxError(.err, "a negative number raised to a non-integer power yields a complex result") }
            result = pow(x, y)
            if result == 0 && x != 0 && x.isFinite && y.isFinite { throw underflow }
        }
        if result.isInfinite && x.isFinite && y.isFinite { throw overflow }
        return result
    }

    // MARK: - Dates

    /// date ± integer, date - date, date + time; nil when neither operand is a date or time.
    private static func dateArithmetic(_ operation: Operation, _ a: SQLValue, _ b: SQLValue) throws(MemFluxError) -> SQLValue? {
        switch (operation, a, b) {
        case (.add, .date(let d), .int(let n)), (.add, .int(let n), .date(let d)):
            return .date(try shifted(d, by: n))
        case (.subtract, .date(let d), .int(let n)):
            let (negated, overflowed) = Int64(0).subtractingReportingOverflow(n)
            if overflowed { throw SQLDateTime.dateOutOfRange }
            return .date(try shifted(d, by: negated))
        case (.subtract, .date(let x), .date(let y)):
            if SQLDateTime.infinity(ofDate: x) != 0 || SQLDateTime.infinity(ofDate: y) != 0 {
                throw MemFluxError(.err, "cannot subtract infinite dates")
            }
            return .int(Int64(x) - Int64(y))
        case (.add, .date(let d), .time(let t)), (.add, .time(let t), .date(let d)):
            let midnight = try SQLCast.midnight(d)
            if SQLDateTime.infinity(ofTimestamp: midnight) != 0 { return .timestamp(midnight) }
            let micros = midnight.addingReportingOverflow(t)
            guard !micros.overflow else { throw SQLDateTime.timestampOutOfRange }
            return .timestamp(micros.partialValue)
        default:
            return nil
        }
    }

    /// An infinite date stays infinite.
    private static func shifted(_ days: Int32, by n: Int64) throws(MemFluxError) -> Int32 {
        if SQLDateTime.infinity(ofDate: days) != 0 { return days }
        let (result, overflowed) = Int64(days).addingReportingOverflow(n)
        guard !overflowed && result >= SQLDateTime.minDay && result <= SQLDateTime.maxDay else { throw SQLDateTime.dateOutOfRange }
        return Int32(result)
    }
}

extension SQLValue {
    var isNumeric: Bool {
        if case .numeric = self { return true }
        return false
    }

    /// Exact numbers as numeric; nil for doubles and non-numbers.
    var numericValue: SQLNumeric? {
        switch self {
        case .int(let n): SQLNumeric(n)
        case .numeric(let n): n
        default: nil
        }
    }
}
