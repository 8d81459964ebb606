// Tests for SQLNumeric*.swift: PostgreSQL's numeric input, output, result
// scales and errors. Every expected text was printed by PostgreSQL 15 (psql)
// for the same expression.

import Testing
@testable import MemFluxCore

private func n(_ text: String) -> SQLNumeric {
    guard let value = try? SQLNumeric.parse(Substring(text)) else {
        Issue.record("not a numeric: \(text)")
        return .zero
    }
    return value
}

private func failure(_ body: () throws(MemFluxError) -> Any) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return error.message
    }
}

@Suite("SQL numeric")
struct SQLNumericTests {
    @Test(arguments: [
        (" +1.50e1 ", "15.0"), ("-0.00", "0.00"), (".5", "0.5"), ("5.", "5"), ("1e5", "100000"),
        ("1.5e-3", "0.0015"), ("00012.3400", "12.3400"), ("0", "0"), ("-0", "0"), ("1E+2", "100"),
        ("123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"),
        ("0.000000001", "0.000000001"), ("1000000000", "1000000000"), ("\t7\n", "7"), ("0e-3", "0.000"),
        ("-999999999.999999999", "-999999999.999999999"), ("12e-1", "1.2"), ("0.1e1", "1"),
    ])
    func input(_ text: String, _ printed: String) throws {
        #expect(try SQLNumeric.parse(Substring(text))?.description == printed)
    }

    @Test(arguments: ["", ".", "e5", "1e", "1e+", "1_000", "abc", "1.2.3", "NaNx", "-NaN", "infinit", "1 2", "+", "--1", "0x1A"])
    func badSyntax(_ text: String) throws {
        #expect(try SQLNumeric.parse(Substring(text)) == nil)
    }

    @Test func sizeLimits() throws {
        #expect(try SQLNumeric.parse("1e-16383")?.scale == 16383)
        #expect(try SQLNumeric.parse("1e131071")?.description.utf8.count == 131072)
        #expect(failure { () throws(MemFluxError) in try SQLNumeric.parse("1e-16384") } == "value overflows numeric format")
        #expect(failure { () throws(MemFluxError) in try SQLNumeric.parse("1e131072") } == "value overflows numeric format")
        #expect(failure { () throws(MemFluxError) in try SQLNumeric.parse("1e9999999999999999999") } == "value overflows numeric format")
        let longDigits = String(repeating: "9", count: 200_000)
        #expect(failure { () throws(MemFluxError) in try SQLNumeric.parse(Substring(longDigits)) } == "value overflows numeric format")
        // Leading zeros are not significant and cost nothing to keep.
        #expect(try SQLNumeric.parse(Substring(String(repeating: "0", count: 200_000) + "1"))?.description == "1")
        let big = n("9e131071")
        #expect(failure { () throws(MemFluxError) in try big.adding(big) } == "value overflows numeric format")
        #expect(failure { () throws(MemFluxError) in try big.multiplying(n("10")) } == "value overflows numeric format")
        #expect(failure { () throws(MemFluxError) in try n("1e-10000").multiplying(n("1e-10000")) } == "value overflows numeric format")
        #expect(failure { () throws(MemFluxError) in try big.dividing(by: n("0.1")) } == "value overflows numeric format")
    }

    @Test func equalityAndHashingIgnoreTheScale() {
        #expect(n("1.0") == n("1.00"))
        #expect(n("1.0").hashValue == n("1.00").hashValue)
        #expect(n("100").hashValue == n("100.000").hashValue)
        #expect(n("-0.0") == n("0"))
        #expect(n("-0.0").hashValue == n("0").hashValue)
        #expect(n("1000000000").hashValue == n("1000000000.0000000000").hashValue)
        #expect(n("1.0") != n("1.01"))
        #expect(Set([n("2.5"), n("2.50"), n("2.500")]).count == 1)
    }

    @Test func comparison() {
        #expect(SQLNumeric.compare(n("1.0"), n("1.01")) == -1)
        #expect(SQLNumeric.compare(n("-1"), n("-1.01")) == 1)
        #expect(SQLNumeric.compare(n("10"), n("9.99999")) == 1)
        #expect(SQLNumeric.compare(n("0.001"), n("0.0009")) == 1)
        #expect(SQLNumeric.compare(n("-0.5"), n("0")) == -1)
        #expect(SQLNumeric.compare(n("3.000"), n("3")) == 0)
        #expect(SQLNumeric.compare(n("123456789012345678901"), n("123456789012345678900.99")) == 1)
    }

    @Test func additionAndMultiplicationScales() throws {
        #expect(try n("999999999.999999999").adding(n("0.000000001")).description == "1000000000.000000000")
        #expect(try n("1000000000000000000").subtracting(n("0.000000000000000001")).description == "999999999999999999.999999999999999999")
        #expect(try n("-5").adding(n("5.00")).description == "0.00")
        #expect(try n("1.5").adding(n("1.50")).description == "3.00")
        #expect(try n("2.00").subtracting(n("2")).description == "0.00")
        #expect(try n("1.50").multiplying(n("2.0")).description == "3.000")
        #expect(try n("0.1").multiplying(n("0.1")).description == "0.01")
        #expect(try n("-0.0").multiplying(n("1.5")).description == "0.00")
        #expect(try n("-1.5").multiplying(n("2")).description == "-3.0")
        #expect(try n("0.001").multiplying(n("0.001")).description == "0.000001")
        #expect(try n("123456789012345678901234567890").multiplying(n("987654321098765432109876543210")).description
            == "121932631137021795226185032733622923332237463801111263526900")
        #expect(n("1.50").negated().description == "-1.50")
    }

    @Test(arguments: [
        ("10.0", "3", "3.3333333333333333"), ("1", "3", "0.33333333333333333333"), ("2", "3", "0.66666666666666666667"),
        ("1.000", "3", "0.33333333333333333333"), ("100000", "3", "33333.333333333333"),
        ("1", "30000", "0.000033333333333333333333"), ("12345678901234567890", "7", "1763668414462081127"),
        ("0.5", "0.25", "2.0000000000000000"), ("1.5", "0.5", "3.0000000000000000"), ("0", "5", "0.00000000000000000000"),
        ("0.00", "5.000", "0.00000000000000000000"), ("1e-8", "3", "0.0000000033333333333333333333"),
        ("7", "7", "1.00000000000000000000"), ("98765432109876543210987654321", "123456789", "800000007370000067076"),
        ("1", "7e30", "0.000000000000000000000000000000142857142857142857"),
        ("1e30", "7", "142857142857142857142857142857"), ("-7", "2", "-3.5000000000000000"),
        ("2", "3.0000000000000000000000001", "0.6666666666666666666666666"), ("99999999", "0.0001", "999999990000.00000000"),
        ("123456789012345678901234567890123456789", "987654321987654321", "124999998748437501153"),
        ("1000000000000000000000000000000000000", "999999999999999999", "1000000000000000001"),
        ("1e100", "3e50", "33333333333333333333333333333333333333333333333333"),
    ])
    func division(_ a: String, _ b: String, _ quotient: String) throws {
        #expect(try n(a).dividing(by: n(b)).description == quotient)
    }

    @Test func remainders() throws {
        #expect(try n("10.5").remainder(dividingBy: n("3")).description == "1.5")
        #expect(try n("-10.5").remainder(dividingBy: n("3")).description == "-1.5")
        #expect(try n("10").remainder(dividingBy: n("-3.0")).description == "1.0")
        #expect(try n("1.25").remainder(dividingBy: n("0.1")).description == "0.05")
        #expect(try n("5.5").remainder(dividingBy: n("2")).description == "1.5")
        #expect(try n("-7").remainder(dividingBy: n("2")).description == "-1")
        #expect(try n("0.0").remainder(dividingBy: n("5")).description == "0.0")
        #expect(try n("123456789012345678901234567890").remainder(dividingBy: n("9876543210")).description == "1562499990")
        #expect(try n("340282366920938463463374607431768211455").remainder(dividingBy: n("18446744073709551557")).description == "3480")
        #expect(failure { () throws(MemFluxError) in try n("1.0").remainder(dividingBy: n("0")) } == "division by zero")
        #expect(failure { () throws(MemFluxError) in try n("1.0").dividing(by: n("0.00")) } == "division by zero")
    }

    /// Long division against the identity a = q*b + r, 0 <= r < b, over many limb shapes.
    @Test func longDivisionIdentity() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt32 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt32(truncatingIfNeeded: state >> 33) % 1_000_000_000
        }
        for round in 0..<400 {
            var a = (0..<(1 + round % 9)).map { _ in next() }
            var b = (0..<(1 + round % 5)).map { _ in next() }
            // Divisors with a small top limb and runs of 999999999 exercise the estimate's corrections.
            if round % 3 == 0 { b[b.count - 1] = 1 + next() % 3 }
            if round % 4 == 0 { a = a.map { _ in 999_999_999 } }
            NumericMagnitude.normalize(&a)
            NumericMagnitude.normalize(&b)
            guard !b.isEmpty else { continue }
            let (q, r) = NumericMagnitude.divide(a, b)
            #expect(NumericMagnitude.compare(r, b) < 0)
            #expect(NumericMagnitude.add(NumericMagnitude.multiply(q, b), r) == a)
        }
    }

    @Test func rounding() throws {
        #expect(try n("1.2345").rounded(scale: 2).description == "1.23")
        #expect(try n("1.2").rounded(scale: 4).description == "1.2000")
        #expect(try n("1234.5").rounded(scale: -2).description == "1200")
        #expect(try n("-2.5").rounded(scale: 0).description == "-3")
        #expect(try n("2.5").rounded(scale: 0).description == "3")
        #expect(try n("-0.5").rounded(scale: 0).description == "-1")
        #expect(try n("0.49").rounded(scale: 0).description == "0")
        #expect(try n("99.95").rounded(scale: 1).description == "100.0")
        #expect(try n("-99.95").rounded(scale: 1).description == "-100.0")
        #expect(try n("0.5").rounded(scale: -1).description == "0")
        #expect(try n("5.5").rounded(scale: -1).description == "10")
        #expect(try n("55").rounded(scale: -1).description == "60")
        #expect(try n("-55").rounded(scale: -1).description == "-60")
        #expect(try n("12345").rounded(scale: -10).description == "0")
        // The scale is clamped to NUMERIC_DSCALE_MAX, as round(1.5, 100000) is in PostgreSQL.
        #expect(try n("1.5").rounded(scale: 100_000).description.utf8.count == 16385)
        #expect(n("-2.57").truncated(scale: 1).description == "-2.5")
        #expect(n("1234.5").truncated(scale: -2).description == "1200")
        #expect(n("-2.5").truncated(scale: 0).description == "-2")
        #expect(n("5.999").truncated(scale: 0).description == "5")
        #expect(try n("-1.5").ceil().description == "-1")
        #expect(try n("-1.5").floor().description == "-2")
        #expect(try n("1.001").ceil().description == "2")
        #expect(try n("1.999").floor().description == "1")
        #expect(try n("-0.5").ceil().description == "0")
        #expect(try n("0.5").floor().description == "0")
        #expect(try n("0.0").ceil().description == "0")
    }

    @Test func int64Conversion() throws {
        #expect(try n("-2.5").int64(rounding: true) == -3)
        #expect(try n("2.5").int64(rounding: true) == 3)
        #expect(try n("2.5").int64(rounding: false) == 2)
        #expect(try n("9223372036854775807.4").int64(rounding: true) == Int64.max)
        #expect(try n("-9223372036854775808.4").int64(rounding: true) == Int64.min)
        #expect(failure { () throws(MemFluxError) in try n("9223372036854775807.5").int64(rounding: true) } == "bigint out of range")
        #expect(failure { () throws(MemFluxError) in try n("-9223372036854775808.5").int64(rounding: true) } == "bigint out of range")
        #expect(failure { () throws(MemFluxError) in try n("1e30").int64(rounding: false) } == "bigint out of range")
        #expect(SQLNumeric(Int64.min).description == "-9223372036854775808")
        #expect(SQLNumeric(Int64(0)).isZero && SQLNumeric(Int64(0)).sign == 0 && SQLNumeric(Int64(-3)).sign == -1)
    }

    @Test func doubles() throws {
        #expect(SQLNumeric(exactly: 0.5)?.description == "0.5")
        #expect(SQLNumeric(exactly: 0.1)?.description == "0.1000000000000000055511151231257827021181583404541015625")
        #expect(SQLNumeric(exactly: 1e20)?.description == "100000000000000000000")
        #expect(SQLNumeric(exactly: .nan) == nil)
        #expect(SQLNumeric(exactly: -.infinity) == nil)
        #expect(try SQLNumeric(0.1 + 0.2).description == "0.30000000000000004")
        #expect(try SQLNumeric(1e20).description == "100000000000000000000")
        #expect(try SQLNumeric(-1.5e-7).description == "-0.00000015")
        // PostgreSQL's float8 → numeric prints %.15g first; float4 → numeric %.6g.
        #expect(try SQLNumeric(0.1 + 0.2, significantDigits: 15).description == "0.3")
        #expect(try SQLNumeric(123456789.123456789, significantDigits: 15).description == "123456789.123457")
        #expect(try SQLNumeric(1e-5, significantDigits: 15).description == "0.00001")
        #expect(try SQLNumeric(100, significantDigits: 15).description == "100")
        #expect(try SQLNumeric(123.456, significantDigits: 15).description == "123.456")
        #expect(try SQLNumeric(5e-324, significantDigits: 15).description == "0." + String(repeating: "0", count: 323) + "494065645841247")
        #expect(try SQLNumeric(1e-320, significantDigits: 15).description == "0." + String(repeating: "0", count: 320) + "999988867182683")
        #expect(try SQLNumeric(Double(Float(1.23456789)), significantDigits: 6).description == "1.23457")
        #expect(try SQLNumeric(Double(Float(0.1)), significantDigits: 6).description == "0.1")
        // PostgreSQL 14+ maps NaN and the infinities to numeric's own.
        #expect(try SQLNumeric(Double.nan).isNaN)
        #expect(try SQLNumeric(-Double.infinity, significantDigits: 15) == .negativeInfinity)
        #expect(n("0.1").doubleValue == 0.1)
        #expect(n("-2.50").doubleValue == -2.5)
        #expect(n("123456789012345678901234567890").doubleValue == 1.2345678901234568e29)
        #expect(n("0.30000000000000004").doubleValue == 0.1 + 0.2)
        #expect(n("1e400").doubleValue == .infinity)
    }
}
