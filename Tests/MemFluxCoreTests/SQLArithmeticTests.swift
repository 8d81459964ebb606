// Tests for SQLArithmetic*.swift and SQLNumeric+Power.swift: results,
// result types and errors as PostgreSQL 15 gives them for the same
// expressions (`SELECT 32767::int2 + 1::int2`, `SELECT pg_typeof(...)`).

import Testing
@testable import MemFluxCore

private func numeric(_ text: String) -> SQLValue {
    .numeric((try? SQLNumeric.parse(Substring(text))) ?? .zero)
}

private let numericType = SQLType.numeric(precision: nil, scale: nil)

/// The result printed as its type prints, or the error message.
private func result(_ body: () throws(MemFluxError) -> SQLValue, as type: SQLType) -> String {
    do {
        return try body().text(type: type)
    } catch {
        return "ERROR: \(error.message)"
    }
}

private func type(_ op: String, _ a: SQLType, _ b: SQLType) -> String {
    do {
        return try SQLArithmetic.resultType(op, a, b).postgresName
    } catch {
        return "ERROR: \(error.message)"
    }
}

@Suite("SQL arithmetic")
struct SQLArithmeticTests {
    @Test func integerRangesFollowTheType() {
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.add(.int(32767), .int(1), type: .smallint) }, as: .smallint)
            == "ERROR: smallint out of range")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.add(.int(2_147_483_647), .int(1), type: .integer) }, as: .integer)
            == "ERROR: integer out of range")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.add(.int(2_147_483_647), .int(1), type: .bigint) }, as: .bigint)
            == "2147483648")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.multiply(.int(Int64.max), .int(2), type: .bigint) }, as: .bigint)
            == "ERROR: bigint out of range")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.divide(.int(Int64.min), .int(-1), type: .bigint) }, as: .bigint)
            == "ERROR: bigint out of range")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.divide(.int(-32768), .int(-1), type: .smallint) }, as: .smallint)
            == "ERROR: smallint out of range")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.negate(.int(-32768), type: .smallint) }, as: .smallint)
            == "ERROR: smallint out of range")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.negate(.int(Int64.min), type: .bigint) }, as: .bigint)
            == "ERROR: bigint out of range")
    }

    @Test func integerDivisionAndModulo() throws {
        #expect(try SQLArithmetic.divide(.int(7), .int(2), type: .integer) == .int(3))
        #expect(try SQLArithmetic.divide(.int(-7), .int(2), type: .integer) == .int(-3))
        #expect(try SQLArithmetic.modulo(.int(7), .int(-3), type: .integer) == .int(1))
        #expect(try SQLArithmetic.modulo(.int(-7), .int(3), type: .integer) == .int(-1))
        #expect(try SQLArithmetic.modulo(.int(Int64.min), .int(-1), type: .bigint) == .int(0))
        #expect(throws: MemFluxError(.err, "division by zero")) { try SQLArithmetic.divide(.int(1), .int(0), type: .integer) }
        #expect(throws: MemFluxError(.err, "division by zero")) { try SQLArithmetic.modulo(.int(5), .int(0), type: .integer) }
        #expect(throws: MemFluxError(.err, "division by zero")) { try SQLArithmetic.divide(numeric("1.0"), .int(0), type: numericType) }
    }

    @Test func numericAndDouble() {
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.add(.int(1), numeric("1.5"), type: numericType) }, as: numericType) == "2.5")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.divide(numeric("10.0"), .int(4), type: numericType) }, as: numericType)
            == "2.5000000000000000")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.add(.double(1.5), .int(1), type: .double) }, as: .double) == "2.5")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.add(.double(0.1), .double(0.2), type: .double) }, as: .double)
            == "0.30000000000000004")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.add(.double(Double(Float(1.1))), .double(Double(Float(1.1))), type: .real) }, as: .real)
            == "2.2")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.multiply(.double(Double(Float(1.1))), .int(3), type: .double) }, as: .double)
            == "3.3000000715255737")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.multiply(.double(1e308), .int(10), type: .double) }, as: .double)
            == "ERROR: value out of range: overflow")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.add(.double(1e308), .double(1e308), type: .double) }, as: .double)
            == "ERROR: value out of range: overflow")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.multiply(.double(1e-308), .double(1e-308), type: .double) }, as: .double)
            == "ERROR: value out of range: underflow")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.divide(.double(1), .int(0), type: .double) }, as: .double)
            == "ERROR: division by zero")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.divide(.double(.nan), .int(0), type: .double) }, as: .double) == "NaN")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.multiply(.double(.infinity), .int(0), type: .double) }, as: .double) == "NaN")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.add(.double(1e300), .double(1e308), type: .double) }, as: .double)
            == "1.00000001e+308")
    }

    @Test func powers() {
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.power(.int(2), .int(10), type: .double) }, as: .double) == "1024")
        let cases: [(String, String, String)] = [
            ("2", "3", "8.0000000000000000"), ("1.5", "2", "2.2500000000000000"), ("2", "-2", "0.2500000000000000"),
            ("10", "20", "100000000000000000000.0000000000000000"), ("1.23456789", "3", "1.8816763717891549"),
            ("0.5", "10", "0.0009765625000000"), ("9", "0.5", "3.0000000000000000"), ("100", "1.5", "1000.0000000000000"),
            ("2", "100", "1267650600228229401496703205376.0000000000000000"), ("3", "-1", "0.3333333333333333"),
            ("10", "-20", "0.0000000000000000"), ("2", "3.000", "8.0000000000000000"),
            ("2.00000000000000000001", "2", "4.00000000000000000004"), ("1.1", "50", "117.3908528796953165"),
            ("0.001", "3", "0.0000000010000000"), ("-2", "3", "-8.0000000000000000"), ("-2", "-3", "-0.1250000000000000"),
            ("7", "0", "1.0000000000000000"), ("0", "0", "1.0000000000000000"), ("0", "5", "0.0000000000000000"),
            ("10", "-17", "0.0000000000000000"), ("2.0", "10", "1024.0000000000000000"),
            // Fractional exponents: exp(exponent * ln(base)) in exact decimals.
            ("2", "0.5", "1.4142135623730950"), ("2.5", "2.5", "9.8821176880261854"), ("3", "0.333", "1.4417215093019393"),
            ("0.5", "0.5", "0.7071067811865475"), ("10", "2.5", "316.22776601683793"), ("1e-10", "0.5", "0.000010000000000000000"),
        ]
        for (base, exponent, expected) in cases {
            #expect(result({ () throws(MemFluxError) in try SQLArithmetic.power(numeric(base), numeric(exponent), type: numericType) }, as: numericType)
                == expected, "\(base) ^ \(exponent)")
        }
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.power(numeric("10"), numeric("200000"), type: numericType) }, as: numericType)
            == "ERROR: value overflows numeric format")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.power(numeric("0"), numeric("-1"), type: numericType) }, as: numericType)
            == "ERROR: zero raised to a negative power is undefined")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.power(numeric("-8"), numeric("0.5"), type: numericType) }, as: numericType)
            == "ERROR: a negative number raised to a non-integer power yields a complex result")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.power(.double(0), .double(-1), type: .double) }, as: .double)
            == "ERROR: zero raised to a negative power is undefined")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.power(.double(-8), .double(1.0 / 3), type: .double) }, as: .double)
            == "ERROR: a negative number raised to a non-integer power yields a complex result")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.power(.double(10), .double(400), type: .double) }, as: .double)
            == "ERROR: value out of range: overflow")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.power(.double(0.5), .double(2000), type: .double) }, as: .double)
            == "ERROR: value out of range: underflow")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.power(.double(-2), .double(3), type: .double) }, as: .double) == "-8")
    }

    @Test func dates() {
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.add(.date(19753), .int(1), type: .date) }, as: .date) == "2024-02-01")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.add(.int(1), .date(19753), type: .date) }, as: .date) == "2024-02-01")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.subtract(.date(19783), .int(1), type: .date) }, as: .date) == "2024-02-29")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.subtract(.date(19783), .date(19723), type: .integer) }, as: .integer) == "60")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.add(.date(19753), .time(45_000_000_000), type: .timestamp) }, as: .timestamp)
            == "2024-01-31 12:30:00")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.add(.date(Int32(SQLDateTime.maxDay)), .int(1), type: .date) }, as: .date)
            == "ERROR: date out of range")
        #expect(result({ () throws(MemFluxError) in try SQLArithmetic.subtract(.timestamp(1), .timestamp(0), type: .dynamic) }, as: .dynamic)
            == "ERROR: operator does not exist: timestamp without time zone - timestamp without time zone")
    }

    @Test func schemalessOperands() throws {
        #expect(try SQLArithmetic.add(.json(.int(30)), .int(1), type: .dynamic) == .int(31))
        #expect(try SQLArithmetic.multiply(.json(.double(1.5)), .int(2), type: .dynamic) == .double(3))
        #expect(try SQLArithmetic.add(.json(.int(1)), numeric("0.5"), type: .dynamic) == numeric("1.5"))
        #expect(throws: MemFluxError(.err, "operator does not exist: jsonb + integer")) {
            try SQLArithmetic.add(.json(.string("30")), .int(1), type: .dynamic)
        }
        #expect(throws: MemFluxError(.err, "operator does not exist: boolean + integer")) {
            try SQLArithmetic.add(.bool(true), .int(1), type: .dynamic)
        }
    }

    @Test func concatenation() throws {
        let text = try SQLArithmetic.concatenate(
            try SQLArithmetic.concatenate(.text("a"), .int(1), type: .text), .bool(true), type: .text)
        #expect(text == .text("a1true"))
        #expect(try SQLArithmetic.concatenate(.text("x"), .double(Double(Float(0.1))), type: .text, rightType: .real) == .text("x0.1"))
        #expect(try SQLArithmetic.concatenate(.text("x"), .json(.string("y")), type: .text) == .text("xy"))
        #expect(try SQLArithmetic.concatenate(.array([.int(1), .int(2)]), .int(3), type: .array(.integer)).text(type: .array(.integer)) == "{1,2,3}")
        #expect(try SQLArithmetic.concatenate(.int(1), .array([.int(2)]), type: .array(.integer)).text(type: .array(.integer)) == "{1,2}")
        let row: SQLValue = .array([.int(1), .int(2)])
        let matrix: SQLValue = .array([row])
        #expect(try SQLArithmetic.concatenate(matrix, .array([.int(3), .int(4)]), type: .array(.integer)).text(type: .array(.integer)) == "{{1,2},{3,4}}")
        #expect(try SQLArithmetic.concatenate(.array([.int(3), .int(4)]), matrix, type: .array(.integer)).text(type: .array(.integer)) == "{{3,4},{1,2}}")
        #expect(try SQLArithmetic.concatenate(.array([]), matrix, type: .array(.integer)).text(type: .array(.integer)) == "{{1,2}}")
        #expect(try SQLArithmetic.concatenate(.array([.int(1)]), .array([]), type: .array(.integer)).text(type: .array(.integer)) == "{1}")
        #expect(throws: MemFluxError(.err, "cannot concatenate incompatible arrays")) {
            try SQLArithmetic.concatenate(matrix, .array([.int(3)]), type: .array(.integer))
        }
        let merged = try SQLArithmetic.concatenate(
            .json(.object(["a": .int(1), "b": .int(2)])), .json(.object(["a": .int(3)])), type: .jsonb)
        #expect(merged.text(type: .jsonb) == #"{"a": 3, "b": 2}"#)
        #expect(try SQLArithmetic.concatenate(.json(.object(["a": .int(1)])), .json(.array([.int(1)])), type: .jsonb).text(type: .jsonb)
            == #"[{"a": 1}, 1]"#)
        #expect(try SQLArithmetic.concatenate(.json(.int(1)), .json(.int(2)), type: .jsonb).text(type: .jsonb) == "[1, 2]")
        #expect(try SQLArithmetic.concatenate(.json(.int(2)), .json(.array([.int(1)])), type: .jsonb).text(type: .jsonb) == "[2, 1]")
    }

    @Test func resultTypes() {
        #expect(type("*", .real, .integer) == "double precision")
        #expect(type("+", .real, .real) == "real")
        #expect(type("+", .smallint, .smallint) == "smallint")
        #expect(type("+", .smallint, .integer) == "integer")
        #expect(type("+", .integer, .bigint) == "bigint")
        #expect(type("+", .integer, .numeric(precision: 10, scale: 2)) == "numeric")
        #expect(type("+", .numeric(precision: nil, scale: nil), .double) == "double precision")
        #expect(type("+", .numeric(precision: nil, scale: nil), .real) == "double precision")
        #expect(type("+", .integer, .unknown) == "integer")
        #expect(type("^", .integer, .integer) == "double precision")
        #expect(type("^", .numeric(precision: nil, scale: nil), .integer) == "numeric")
        #expect(type("^", .smallint, .smallint) == "double precision")
        #expect(type("^", .real, .integer) == "double precision")
        #expect(type("/", .integer, .integer) == "integer")
        #expect(type("%", .smallint, .bigint) == "bigint")
        #expect(type("+", .date, .integer) == "date")
        #expect(type("+", .integer, .date) == "date")
        #expect(type("-", .date, .date) == "integer")
        #expect(type("+", .date, .time) == "timestamp without time zone")
        #expect(type("||", .unknown, .integer) == "text")
        #expect(type("||", .integer, .text) == "text")
        #expect(type("||", .array(.integer), .integer) == "integer[]")
        #expect(type("||", .text, .text) == "text")
        #expect(type("||", .unknown, .unknown) == "text")
        #expect(type("||", .jsonb, .jsonb) == "jsonb")
        #expect(type("||", .jsonb, .text) == "text")
        #expect(type("+", .dynamic, .integer) == "jsonb")
        #expect(type("=", .integer, .double) == "boolean")
        #expect(type("<", .date, .timestamptz) == "boolean")
        #expect(type("=", .varchar(3), .text) == "boolean")
        #expect(type("+", .boolean, .integer) == "ERROR: operator does not exist: boolean + integer")
        #expect(type("+", .text, .integer) == "ERROR: operator does not exist: text + integer")
        #expect(type("+", .varchar(5), .integer) == "ERROR: operator does not exist: character varying + integer")
        #expect(type("%", .double, .integer) == "ERROR: operator does not exist: double precision % integer")
        #expect(type("+", .unknown, .unknown) == "ERROR: operator is not unique: unknown + unknown")
        #expect(type("+", .date, .bigint) == "ERROR: operator does not exist: date + bigint")
        #expect(type("-", .timestamp, .timestamp) == "ERROR: operator does not exist: timestamp without time zone - timestamp without time zone")
        #expect(type("||", .integer, .integer) == "ERROR: operator does not exist: integer || integer")
        #expect(type("||", .json, .json) == "ERROR: operator does not exist: json || json")
        #expect(type("||", .array(.integer), .array(.text)) == "ERROR: operator does not exist: integer[] || text[]")
        #expect(type("<", .text, .integer) == "ERROR: operator does not exist: text < integer")
        #expect(type("=", .boolean, .integer) == "ERROR: operator does not exist: boolean = integer")
        #expect(type("=", .json, .json) == "ERROR: operator does not exist: json = json")
        #expect((try? SQLArithmetic.negationType(.smallint)) == .smallint)
        #expect(throws: MemFluxError(.err, "operator does not exist: - boolean")) { try SQLArithmetic.negationType(.boolean) }
    }
}
