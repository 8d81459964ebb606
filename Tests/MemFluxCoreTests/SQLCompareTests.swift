// Tests for SQLValue+Compare.swift and SQLJSONText's ordering: the order
// and equality PostgreSQL 15 gives the same pairs (each expectation was
// checked with `SELECT a < b` / `a = b` there), and SQLHashKey agreeing
// with equality.

import Testing
@testable import MemFluxCore

private func order(_ a: SQLValue, _ b: SQLValue) -> Int? {
    try? SQLValue.compare(a, b)
}

private func numeric(_ text: String) -> SQLValue {
    .numeric((try? SQLNumeric.parse(Substring(text))) ?? .zero)
}

private func jsonb(_ text: String) -> SQLValue {
    .json((try? JSONValue.parse(text)) ?? .null)
}

private func key(_ value: SQLValue) -> SQLHashKey { SQLHashKey(value) }

@Suite("SQL compare")
struct SQLCompareTests {
    @Test func numbersAcrossRepresentations() {
        #expect(order(.int(1), numeric("1.0")) == 0)
        #expect(order(numeric("1.00"), .int(1)) == 0)
        #expect(order(.int(2), .double(1.5)) == 1)
        #expect(order(numeric("0.1"), .double(0.1)) == 0)
        #expect(order(numeric("9007199254740993"), .int(9_007_199_254_740_992)) == 1)
        // int8 = float8 compares as float8, so these are equal in PostgreSQL.
        #expect(order(.int(9_007_199_254_740_993), .double(9_007_199_254_740_992)) == 0)
        #expect(order(.double(.nan), .double(.nan)) == 0)
        #expect(order(.double(.nan), .double(.infinity)) == 1)
        #expect(order(.double(-0.0), .double(0)) == 0)
        #expect(order(.int(-5), .int(3)) == -1)
        #expect(order(.int(Int64.min), numeric("-9223372036854775809")) == 1)
    }

    @Test func textIsBytewise() {
        #expect(order(.text("a"), .text("b")) == -1)
        #expect(order(.text("B"), .text("a")) == -1)
        #expect(order(.text("é"), .text("z")) == 1)
        #expect(order(.text("ab"), .text("a")) == 1)
        #expect(order(.text(""), .text("")) == 0)
        // Precomposed and decomposed é are different bytes, so different values.
        #expect(order(.text("\u{e9}"), .text("e\u{301}")) == 1)
        #expect(key(.text("\u{e9}")) != key(.text("e\u{301}")))
    }

    @Test func otherScalars() {
        #expect(order(.bool(false), .bool(true)) == -1)
        #expect(order(.bytes([1, 2]), .bytes([1, 2, 0])) == -1)
        #expect(order(.bytes([2]), .bytes([1, 255])) == 1)
        #expect(order(.uuid(SQLUUID(high: 1, low: 0)), .uuid(SQLUUID(high: 0, low: .max))) == 1)
        #expect(order(.time(1), .time(2)) == -1)
        // A date is its midnight on the timestamps' time line.
        #expect(order(.date(19753), .timestamp(19753 * 86_400_000_000)) == 0)
        #expect(order(.date(19753), .timestamp(19753 * 86_400_000_000 + 1)) == -1)
        #expect(order(.timestamptz(5), .timestamp(5)) == 0)
        // The extremes are infinity, for dates and timestamps alike.
        #expect(order(.date(Int32.max), .timestamp(Int64.max)) == 0)
        #expect(order(.date(Int32.min), .timestamp(SQLDateTime.minTimestamp)) == -1)
        #expect(order(.date(Int32.max - 1), .timestamp(Int64.max)) == -1)
    }

    @Test func arrays() {
        #expect(order(.array([.int(1), .int(2)]), .array([.int(1), .int(2), .int(0)])) == -1)
        #expect(order(.array([.int(1), .null]), .array([.int(1), .int(5)])) == 1)
        #expect(order(.array([.null]), .array([.null])) == 0)
        #expect(order(.array([.int(2)]), .array([.int(1), .int(9)])) == 1)
        #expect(order(.array([.int(1)]), .array([numeric("1.0")])) == 0)
    }

    @Test func jsonbOrder() {
        #expect(order(jsonb("[]"), jsonb("null")) == -1)
        #expect(order(jsonb("null"), jsonb(#""a""#)) == -1)
        #expect(order(jsonb(#""z""#), jsonb("1")) == -1)
        #expect(order(jsonb("1"), jsonb("false")) == -1)
        #expect(order(jsonb("true"), jsonb("[0]")) == -1)
        #expect(order(jsonb("[9]"), jsonb("{}")) == -1)
        #expect(order(jsonb("[1,2]"), jsonb("[3]")) == 1)
        #expect(order(jsonb(#"{"b":1}"#), jsonb(#"{"a":2}"#)) == 1)
        #expect(order(jsonb(#"{"aa":1,"b":2}"#), jsonb(#"{"a":1,"bb":2}"#)) == 1)
        #expect(order(jsonb(#"{"a":1,"b":2}"#), jsonb(#"{"b":2,"a":1.0}"#)) == 0)
        #expect(order(jsonb("[[]]"), jsonb("[null]")) == 1)
        #expect(order(jsonb("1.5"), jsonb("2")) == -1)
        #expect(order(jsonb(#""a""#), jsonb(#""b""#)) == -1)
    }

    /// A schemaless field against an SQL value compares as the scalar it holds.
    @Test func jsonScalarsAgainstValues() {
        #expect(order(.json(.int(30)), .int(30)) == 0)
        #expect(order(.json(.double(2.5)), numeric("2.5")) == 0)
        #expect(order(.json(.string("bob")), .text("alice")) == 1)
        #expect(order(.text("x"), .json(.string("x"))) == 0)
        #expect(order(.json(.bool(true)), .bool(false)) == 1)
        #expect(throws: MemFluxError(.err, "operator does not exist: jsonb < integer")) {
            try SQLValue.compare(.json(.string("30")), .int(30))
        }
        #expect(throws: MemFluxError(.err, "operator does not exist: jsonb = text")) {
            try SQLValue.compare(.json(.object([:])), .text("x"), operator: "=")
        }
    }

    @Test func incomparableKinds() {
        #expect(throws: MemFluxError(.err, "operator does not exist: text < integer")) {
            try SQLValue.compare(.text("a"), .int(1))
        }
        #expect(throws: MemFluxError(.err, "operator does not exist: boolean = integer")) {
            try SQLValue.compare(.bool(true), .int(1), operator: "=")
        }
        #expect(throws: MemFluxError(.err, "operator does not exist: date < time without time zone")) {
            try SQLValue.compare(.date(1), .time(1))
        }
        #expect(throws: MemFluxError(.err, "operator does not exist: integer[] < text[]")) {
            try SQLValue.compare(.array([.int(1)]), .array([.text("a")]))
        }
    }

    @Test func hashKeysAgreeWithEquality() {
        let equalGroups: [[SQLValue]] = [
            [.int(1), .double(1), numeric("1.0"), numeric("1.000"), .json(.int(1)), .json(.double(1))],
            [.double(.nan), .double(-.nan)],
            [.double(0), .double(-0.0), .int(0), numeric("0.00")],
            [.text("x"), .json(.string("x"))],
            [.date(19753), .timestamp(19753 * 86_400_000_000), .timestamptz(19753 * 86_400_000_000)],
            [.array([.int(1), .null]), .array([numeric("1.0"), .null])],
            [jsonb(#"{"a":1,"b":[2]}"#), jsonb(#"{"b":[2.0],"a":1}"#)],
            [.null],
        ]
        for group in equalGroups {
            for a in group {
                for b in group {
                    #expect(key(a) == key(b), "\(a) \(b)")
                    #expect(key(a).hashValue == key(b).hashValue, "\(a) \(b)")
                }
            }
        }
        #expect(key(.int(1)) != key(.int(2)))
        #expect(key(.int(1)) != key(.text("1")))
        #expect(key(.null) != key(.int(0)))
        #expect(key(.bool(true)) != key(.int(1)))
        var groups: [SQLHashKey: Int] = [:]
        for value: SQLValue in [.int(1), numeric("1.00"), .double(1), .int(2), .null, .null] {
            groups[key(value), default: 0] += 1
        }
        #expect(groups[key(.int(1))] == 3)
        #expect(groups[key(.null)] == 2)
        #expect(groups.count == 3)
    }
}
