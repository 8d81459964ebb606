// Math functions with PostgreSQL's overloads: most exist for double
// precision and numeric, so an integer argument makes them double precision
// (round(5) is double precision, sqrt(2) too) and a numeric argument keeps
// them exact. round/trunc with a scale exist only for numeric
// (`function round(double precision, integer) does not exist`); mod only
// for integers and numeric.
//
// Double versions round as the C library does (round(2.5::float8) = 2:
// rint, half to even); numeric versions half away from zero. sqrt, exp, ln
// and log of a numeric are exact decimal computations at PostgreSQL's
// result scales (SQLNumeric+SquareRoot, SQLNumeric+Transcendental).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MemFluxCore

enum MathFunctions {
    static let all: [ScalarFunction] = [
        abs(),
        rounding("round", numeric: { n, s throws(MemFluxError) in try n.rounded(scale: s) }, double: { $0.rounded(.toNearestOrEven) }),
        rounding("trunc", numeric: { n, s throws(MemFluxError) in n.truncated(scale: s) }, double: { $0.rounded(.towardZero) }),
        ceilFloor("ceil", numeric: { n throws(MemFluxError) in try n.ceil() }, double: { $0.rounded(.up) }),
        ceilFloor("ceiling", numeric: { n throws(MemFluxError) in try n.ceil() }, double: { $0.rounded(.up) }),
        ceilFloor("floor", numeric: { n throws(MemFluxError) in try n.floor() }, double: { $0.rounded(.down) }),
        mod(), power("power"), power("pow"),
        unary("sqrt", numeric: { n throws(MemFluxError) in try n.squareRoot() }) { x throws(MemFluxError) in
            guard x >= 0 || x.isNaN else { throw MemFluxError(.err, "cannot take square root of a negative number") }
            return x.squareRoot()
        },
        unary("cbrt", numeric: nil) { x in cbrt(x) },
        unary("exp", numeric: { n throws(MemFluxError) in try n.exponential() }) { x throws(MemFluxError) in
            let result = exp(x)
            if result.isInfinite && x.isFinite { throw SQLArithmetic.overflow }
            if result == 0 && x.isFinite { throw SQLArithmetic.underflow }
            return result
        },
        unary("ln", numeric: { n throws(MemFluxError) in try n.naturalLogarithm() }) { x throws(MemFluxError) in try checkedLogArgument(x); return log(x) },
        unary("log10", numeric: { n throws(MemFluxError) in try n.logarithm(base: SQLNumeric(Int64(10))) }) { x throws(MemFluxError) in
            try checkedLogArgument(x)
            return log10(x)
        },
        logarithm(),
        sign(),
        ScalarFunction("pi", resolve: signature("pi", [], returns: .double)) { _, _ in .double(Double.pi) },
        ScalarFunction("random", deterministic: false, resolve: signature("random", [], returns: .double)) { _, _ throws(MemFluxError) in
            .double(Double.random(in: 0..<1))
        },
    ]

    // MARK: - Resolution

    /// double precision for integers, reals and doubles; numeric for numeric; decided at run time for a schemaless field.
    private static func doubleOrNumeric(_ name: String, _ types: [SQLType]) throws(MemFluxError) -> SQLType {
        guard types.count == 1, types[0].acceptsNumber else { throw noSuchFunction(name, types) }
        switch types[0] {
        case .numeric: return .numeric(precision: nil, scale: nil)
        case .dynamic: return .dynamic
        default: return .double
        }
    }

    /// Whether a value (or its declared type) computes as numeric rather than double.
    private static func isNumeric(_ value: SQLValue, _ type: SQLType) -> Bool {
        switch type {
        case .numeric: return true
        case .dynamic, .unknown:
            if case .numeric = value { return true }
            return false
        default: return false
        }
    }

    // MARK: - Families

    /// abs keeps the argument's type (abs(smallint) is smallint), with its range.
    private static func abs() -> ScalarFunction {
        ScalarFunction("abs", resolve: { types throws(MemFluxError) in
            guard types.count == 1, types[0].acceptsNumber else { throw noSuchFunction("abs", types) }
            if types[0] == .unknown { return .double }
            return types[0].withoutModifiers
        }) { args, context throws(MemFluxError) in
            switch try Argument.number(args[0]) {
            case .int(let n):
                let type = context.argumentType(0)
                let range: SQLType = type == .smallint || type == .integer ? type : .bigint
                guard n != Int64.min else { throw MemFluxError(.err, "bigint out of range") }
                return .int(try SQLCast.checkRange(Swift.abs(n), range))
            case .double(let d): return .double(Swift.abs(d))
            case .numeric(let n): return .numeric(n.isNegative ? n.negated() : n)
            default: return .null
            }
        }
    }

    /// round/trunc(x) and round/trunc(numeric, scale).
    private static func rounding(
        _ name: String, numeric: @escaping @Sendable (SQLNumeric, Int) throws(MemFluxError) -> SQLNumeric,
        double: @escaping @Sendable (Double) -> Double
    ) -> ScalarFunction {
        ScalarFunction(name, resolve: { types throws(MemFluxError) in
            if types.count == 2 {
                guard types[1].acceptsInteger, types[0].acceptsNumber, !types[0].isFloat else { throw noSuchFunction(name, types) }
                return .numeric(precision: nil, scale: nil)
            }
            return try doubleOrNumeric(name, types)
        }) { args, context throws(MemFluxError) in
            let value = try Argument.number(args[0], type: context.argumentType(0))
            if args.count == 2 {
                let scale = try Argument.integer(args[1], function: name)
                guard let exact = value.exactNumeric else { throw noSuchFunction(name, [.double, .integer]) }
                return .numeric(try numeric(exact, Int(clamping: scale)))
            }
            if isNumeric(value, context.argumentType(0)), let exact = value.exactNumeric {
                return .numeric(try numeric(exact, 0))
            }
            return .double(double(value.approximateDouble))
        }
    }

    private static func ceilFloor(
        _ name: String, numeric: @escaping @Sendable (SQLNumeric) throws(MemFluxError) -> SQLNumeric,
        double: @escaping @Sendable (Double) -> Double
    ) -> ScalarFunction {
        ScalarFunction(name, resolve: { types throws(MemFluxError) in try doubleOrNumeric(name, types) }) { args, context throws(MemFluxError) in
            let value = try Argument.number(args[0], type: context.argumentType(0))
            if isNumeric(value, context.argumentType(0)), let exact = value.exactNumeric { return .numeric(try numeric(exact)) }
            return .double(double(value.approximateDouble))
        }
    }

    /// A function of one number with a double version and, optionally, a numeric one.
    private static func unary(
        _ name: String, numeric: (@Sendable (SQLNumeric) throws(MemFluxError) -> SQLNumeric)?,
        double: @escaping @Sendable (Double) throws(MemFluxError) -> Double
    ) -> ScalarFunction {
        ScalarFunction(name, resolve: { types throws(MemFluxError) in
            let type = try doubleOrNumeric(name, types)
            return numeric == nil && type.isNumeric ? .double : type
        }) { args, context throws(MemFluxError) in
            let value = try Argument.number(args[0], type: context.argumentType(0))
            if let numeric, isNumeric(value, context.argumentType(0)), let exact = value.exactNumeric {
                return .numeric(try numeric(exact))
            }
            return .double(try double(value.approximateDouble))
        }
    }

    /// mod(a, b) = a % b, for integers (the wider type) and numeric.
    private static func mod() -> ScalarFunction {
        ScalarFunction("mod", resolve: { types throws(MemFluxError) in
            guard types.count == 2, types.allSatisfy({ $0.acceptsNumber && !$0.isFloat }) else { throw noSuchFunction("mod", types) }
            return try SQLArithmetic.resultType("%", types[0], types[1])
        }) { args, context throws(MemFluxError) in
            let type = (try? SQLArithmetic.resultType("%", context.argumentType(0), context.argumentType(1))) ?? .dynamic
            return try SQLArithmetic.modulo(Argument.number(args[0]), Argument.number(args[1]), type: type)
        }
    }

    /// power(a, b) = a ^ b: double precision, or numeric when numeric is involved and no float.
    private static func power(_ name: String) -> ScalarFunction {
        ScalarFunction(name, resolve: { types throws(MemFluxError) in
            guard types.count == 2, types.allSatisfy(\.acceptsNumber) else { throw noSuchFunction(name, types) }
            return try SQLArithmetic.resultType("^", types[0], types[1])
        }) { args, context throws(MemFluxError) in
            let type = (try? SQLArithmetic.resultType("^", context.argumentType(0), context.argumentType(1))) ?? .dynamic
            return try SQLArithmetic.power(Argument.number(args[0]), Argument.number(args[1]), type: type)
        }
    }

    /// log(x) is log10(x); log(b, x) is numeric only.
    private static func logarithm() -> ScalarFunction {
        ScalarFunction("log", resolve: { types throws(MemFluxError) in
            if types.count == 2 {
                guard types.allSatisfy({ $0.acceptsNumber && !$0.isFloat }) else { throw noSuchFunction("log", types) }
                return .numeric(precision: nil, scale: nil)
            }
            return try doubleOrNumeric("log", types)
        }) { args, context throws(MemFluxError) in
            if args.count == 2 {
                guard let base = try Argument.number(args[0]).exactNumeric, let x = try Argument.number(args[1]).exactNumeric else {
                    throw noSuchFunction("log", [.double, .double])
                }
                return .numeric(try x.logarithm(base: base))
            }
            let value = try Argument.number(args[0], type: context.argumentType(0))
            if isNumeric(value, context.argumentType(0)), let exact = value.exactNumeric {
                return .numeric(try exact.logarithm(base: SQLNumeric(Int64(10))))
            }
            let x = value.approximateDouble
            try checkedLogArgument(x)
            return .double(log10(x))
        }
    }

    /// sign: -1, 0 or 1 as numeric for numeric, else double precision.
    private static func sign() -> ScalarFunction {
        ScalarFunction("sign", resolve: { types throws(MemFluxError) in try doubleOrNumeric("sign", types) }) { args, context throws(MemFluxError) in
            let value = try Argument.number(args[0], type: context.argumentType(0))
            if isNumeric(value, context.argumentType(0)), let exact = value.exactNumeric {
                return .numeric(exact.isNaN ? .nan : SQLNumeric(Int64(exact.sign)))
            }
            let x = value.approximateDouble
            return .double(x.isNaN ? x : (x > 0 ? 1 : (x < 0 ? -1 : 0)))
        }
    }

    private static func checkedLogArgument(_ x: Double) throws(MemFluxError) {
        if x == 0 { throw MemFluxError(.err, "cannot take logarithm of zero") }
        if x < 0 { throw MemFluxError(.err, "cannot take logarithm of a negative number") }
    }
}

extension SQLValue {
    /// An int or numeric as numeric; nil for doubles.
    var exactNumeric: SQLNumeric? {
        switch self {
        case .int(let n): SQLNumeric(n)
        case .numeric(let n): n
        default: nil
        }
    }

    /// Any number as a double.
    var approximateDouble: Double {
        switch self {
        case .int(let n): Double(n)
        case .double(let d): d
        case .numeric(let n): n.doubleValue
        default: 0
        }
    }
}
