// Tests for NUMERIC's NaN, Infinity and -Infinity (SQLNumeric+Special.swift and
// the special branches of the other facets): every expected text is what
// PostgreSQL 15 printed for the same expression on numeric operands.

import Testing
@testable import MemFluxCore

private func n(_ text: String) -> SQLNumeric {
    guard let value = try? SQLNumeric.parse(Substring(text)) else {
        Issue.record("not a numeric: \(text)")
        return .zero
    }
    return value
}

/// The result's text, or the error message.
private func result(_ body: () throws(MemFluxError) -> SQLNumeric) -> String {
    do {
        return try body().description
    } catch {
        return "ERROR: \(error.message)"
    }
}

@Suite("SQL numeric special values")
struct SQLNumericSpecialTests {
    @Test(arguments: [
        ("NaN", "NaN"), (" nan ", "NaN"), ("Infinity", "Infinity"), ("+INFINITY", "Infinity"), ("inf", "Infinity"),
        ("+inf", "Infinity"), ("-Infinity", "-Infinity"), ("\t-inf\n", "-Infinity"),
    ])
    func input(_ text: String, _ printed: String) throws {
        #expect(try SQLNumeric.parse(Substring(text))?.description == printed)
    }

    @Test func order() throws {
        // -Infinity < every finite value < Infinity < NaN; NaN equals NaN.
        let ascending = [SQLNumeric.negativeInfinity, n("-1e100"), .zero, n("1e100"), .infinity, .nan]
        for (i, a) in ascending.enumerated() {
            for (j, b) in ascending.enumerated() {
                #expect(SQLNumeric.compare(a, b) == (i == j ? 0 : (i < j ? -1 : 1)), "\(a) vs \(b)")
            }
        }
        #expect(SQLNumeric.nan == SQLNumeric.nan)
        #expect(Set([SQLNumeric.nan, .nan, .infinity, .infinity, .zero]).count == 3)
        #expect(SQLHashKey(.numeric(.nan)) == SQLHashKey(.double(.nan)))
        #expect(SQLHashKey(.numeric(.infinity)).hashValue == SQLHashKey(.double(.infinity)).hashValue)
        #expect(try SQLValue.compare(.numeric(.infinity), .int(.max)) == 1)
        #expect(try SQLValue.compare(.numeric(.nan), .double(.infinity)) == 1)
    }

    @Test func arithmetic() {
        #expect(result { () throws(MemFluxError) in try SQLNumeric.nan.adding(n("1")) } == "NaN")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.infinity.adding(.negativeInfinity) } == "NaN")
        #expect(result { () throws(MemFluxError) in try n("1").subtracting(.infinity) } == "-Infinity")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.infinity.subtracting(.infinity) } == "NaN")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.negativeInfinity.multiplying(n("-2")) } == "Infinity")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.infinity.multiplying(.zero) } == "NaN")
        #expect(result { () throws(MemFluxError) in try n("5").dividing(by: .infinity) } == "0")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.infinity.dividing(by: n("-3")) } == "-Infinity")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.infinity.dividing(by: .zero) } == "ERROR: division by zero")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.nan.dividing(by: .zero) } == "NaN")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.infinity.dividing(by: .infinity) } == "NaN")
        #expect(result { () throws(MemFluxError) in try n("5.5").remainder(dividingBy: .negativeInfinity) } == "5.5")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.infinity.remainder(dividingBy: n("2")) } == "NaN")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.infinity.remainder(dividingBy: .zero) } == "ERROR: division by zero")
        #expect(SQLNumeric.infinity.negated() == .negativeInfinity && SQLNumeric.nan.negated().isNaN)
    }

    @Test func functions() {
        #expect(result { () throws(MemFluxError) in try SQLNumeric.nan.rounded(scale: 2) } == "NaN")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.negativeInfinity.ceil() } == "-Infinity")
        #expect(SQLNumeric.infinity.truncated(scale: 0) == .infinity)
        #expect(result { () throws(MemFluxError) in try SQLNumeric.infinity.squareRoot() } == "Infinity")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.negativeInfinity.squareRoot() } == "ERROR: cannot take square root of a negative number")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.negativeInfinity.exponential() } == "0")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.infinity.naturalLogarithm() } == "Infinity")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.negativeInfinity.naturalLogarithm() } == "ERROR: cannot take logarithm of a negative number")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.infinity.logarithm(base: n("10")) } == "Infinity")
        #expect(result { () throws(MemFluxError) in try n("8").logarithm(base: .infinity) } == "0")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.zero.logarithm(base: .negativeInfinity) } == "ERROR: cannot take logarithm of a negative number")
        #expect(result { () throws(MemFluxError) in try SQLNumeric.int64Error(.nan) } == "ERROR: cannot convert NaN to bigint")
    }

    @Test(arguments: [
        ("NaN", "0", "1"), ("1", "NaN", "1"), ("NaN", "2", "NaN"), ("0.5", "Infinity", "0"), ("-1", "-Infinity", "1"),
        ("2", "-Infinity", "0"), ("0.5", "-Infinity", "Infinity"), ("Infinity", "-2", "0"), ("-Infinity", "3", "-Infinity"),
        ("-Infinity", "2", "Infinity"), ("-Infinity", "-3", "0"), ("0", "Infinity", "0"),
        ("0", "-Infinity", "ERROR: zero raised to a negative power is undefined"),
        ("-Infinity", "0.5", "ERROR: a negative number raised to a non-integer power yields a complex result"),
    ])
    func power(_ base: String, _ exponent: String, _ expected: String) {
        #expect(result { () throws(MemFluxError) in try SQLNumericPower.power(n(base), n(exponent)) } == expected)
    }

    @Test func conversions() throws {
        #expect(SQLNumeric.nan.doubleValue.isNaN)
        #expect(SQLNumeric.negativeInfinity.doubleValue == -.infinity)
        #expect(try SQLNumeric(Double.infinity) == .infinity)
        var json = [UInt8]()
        SQLValue.numeric(.negativeInfinity).appendJSON(to: &json, type: .numeric(precision: nil, scale: nil))
        #expect(String(decoding: json, as: UTF8.self) == #""-Infinity""#)
        #expect(SQLValue.numeric(.nan).jsonValue == .string("NaN"))
    }
}

extension SQLNumeric {
    /// int64's error for a special value, as a numeric-returning call for `result`.
    fileprivate static func int64Error(_ value: SQLNumeric) throws(MemFluxError) -> SQLNumeric {
        SQLNumeric(try value.int64(rounding: true))
    }
}
