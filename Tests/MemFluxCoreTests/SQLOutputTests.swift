// Tests for SQLValue+Text.swift, SQLValue+JSON.swift, SQLFloatText.swift and
// SQLJSONText.swift: values printed as PostgreSQL 15 prints them, by
// `::text` / psql and by to_json / row_to_json (the expected texts were
// printed by PostgreSQL for the same values).

import Testing
@testable import MemFluxCore

private func json(_ value: SQLValue, _ type: SQLType) -> String {
    value.jsonText(type: type)
}

private func numeric(_ text: String) -> SQLValue {
    .numeric((try? SQLNumeric.parse(Substring(text))) ?? .zero)
}

private func timestamp(_ text: String) -> Int64 {
    (try? SQLDateTime.parseTimestamp(Substring(text))) ?? 0
}

private func document(_ text: String) -> JSONValue {
    (try? JSONValue.parse(text)) ?? .null
}

@Suite("SQL output")
struct SQLOutputTests {
    @Test(arguments: [
        (0.1, "0.1"), (1e20, "1e+20"), (1e15, "1e+15"), (1e14, "100000000000000"), (0.0001, "0.0001"),
        (0.00001, "1e-05"), (1.5e-5, "1.5e-05"), (123456789012345678, "1.2345678901234568e+17"), (1e100, "1e+100"),
        (-0.0, "-0"), (0.0, "0"), (.infinity, "Infinity"), (-.infinity, "-Infinity"), (.nan, "NaN"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (5e-324, "5e-324"), (1.5, "1.5"), (-2.5, "-2.5"),
        (100, "100"), (123.456, "123.456"), (0.30000000000000004, "0.30000000000000004"), (1e-300, "1e-300"),
        (3.3000000715255737, "3.3000000715255737"), (1.00000001e308, "1.00000001e+308"),
        // PostgreSQL never takes a decimal on the rounding interval's boundary.
        (1e23, "9.999999999999999e+22"), (66_566_135_964_047_904, "6.6566135964047904e+16"),
        (9_007_199_254_740_993, "9.007199254740992e+15"), (4.35e15, "4.35e+15"), (9.5e-5, "9.5e-05"),
    ] as [(Double, String)])
    func doubles(_ value: Double, _ text: String) {
        #expect(SQLValue.double(value).text(type: .double) == text)
    }

    @Test func reals() {
        #expect(SQLValue.double(Double(Float(0.1))).text(type: .real) == "0.1")
        #expect(SQLValue.double(1e10).text(type: .real) == "1e+10")
        #expect(SQLValue.double(16_777_216).text(type: .real) == "1.6777216e+07")
        #expect(SQLValue.double(Double(Float(3.4e38))).text(type: .real) == "3.4e+38")
        #expect(SQLValue.double(Double(Float(1e-45))).text(type: .real) == "1e-45")
        #expect(SQLValue.double(Double(Float(123.456))).text(type: .real) == "123.456")
        #expect(SQLValue.double(1_234_567).text(type: .real) == "1.234567e+06")
        #expect(SQLValue.double(123_456).text(type: .real) == "123456")
        #expect(SQLValue.double(56_097_888).text(type: .real) == "5.6097888e+07")
        #expect(SQLValue.double(99_768_176).text(type: .real) == "9.9768176e+07")
        #expect(SQLValue.double(Double(Float(1e-5))).text(type: .real) == "1e-05")
        #expect(SQLValue.double(Double(Float(0.000123))).text(type: .real) == "0.000123")
        // The same double as float8 shows the binary value's own digits.
        #expect(SQLValue.double(Double(Float(0.1))).text(type: .double) == "0.10000000149011612")
    }

    @Test func scalarsAsText() {
        #expect(SQLValue.bool(true).text(type: .boolean) == "true")
        #expect(SQLValue.bool(false).text(type: .boolean) == "false")
        #expect(SQLValue.int(-42).text(type: .integer) == "-42")
        #expect(numeric("1.50").text(type: .numeric(precision: nil, scale: nil)) == "1.50")
        #expect(SQLValue.bytes([0x0a, 0xff]).text(type: .bytea) == "\\x0aff")
        #expect(SQLValue.bytes([]).text(type: .bytea) == "\\x")
        #expect(SQLValue.uuid(SQLUUID(high: 0xa0ee_bc99_9c0b_4ef8, low: 0xbb6d_6bb9_bd38_0a11)).text(type: .uuid)
            == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
        #expect(SQLValue.text("a b").text(type: .text) == "a b")
        #expect(SQLValue.null.text(type: .integer) == "")
    }

    @Test func datesAndTimesAsText() {
        #expect(SQLValue.timestamp(timestamp("2024-01-31 12:34:56.5")).text(type: .timestamp) == "2024-01-31 12:34:56.5")
        #expect(SQLValue.timestamp(timestamp("2024-01-31 12:34:56.789")).text(type: .timestamp) == "2024-01-31 12:34:56.789")
        #expect(SQLValue.timestamptz(timestamp("2024-01-31 12:34:56.000001")).text(type: .timestamptz) == "2024-01-31 12:34:56.000001+00")
        #expect(SQLValue.timestamp(SQLDateTime.maxTimestamp).text(type: .timestamp) == "294247-01-10 04:00:54.775806")
        #expect(SQLValue.timestamp(Int64.max).text(type: .timestamp) == "infinity")
        #expect(SQLValue.timestamptz(Int64.min).jsonText(type: .timestamptz) == #""-infinity""#)
        #expect(SQLValue.date(Int32.max).text(type: .date) == "infinity")
        #expect(SQLValue.timestamp(timestamp("0044-03-15 12:00 BC")).text(type: .timestamp) == "0044-03-15 12:00:00 BC")
        #expect(SQLValue.timestamp(-1).text(type: .timestamp) == "1969-12-31 23:59:59.999999")
        #expect(SQLValue.date(0).text(type: .date) == "1970-01-01")
        #expect(SQLValue.date(-719_163).text(type: .date) == "0001-12-31 BC")
        #expect(SQLValue.date(-719_528).text(type: .date) == "0001-01-01 BC")
        #expect(SQLValue.date(-719_162).text(type: .date) == "0001-01-01")
        #expect(SQLValue.time(45_296_100_000).text(type: .time) == "12:34:56.1")
        #expect(SQLValue.time(86_400_000_000).text(type: .time) == "24:00:00")
    }

    @Test func arraysAsText() {
        #expect(SQLValue.array([.int(1), .null, .int(3)]).text(type: .array(.integer)) == "{1,NULL,3}")
        let strings: [SQLValue] = ["a b", "\"q\"", "back\\\\slash", "", "NULL", "null", "{x}", "a,b", " lead"].map { .text($0) }
        #expect(SQLValue.array(strings).text(type: .array(.text))
            == #"{"a b","\"q\"","back\\\\slash","","NULL","null","{x}","a,b"," lead"}"#)
        #expect(SQLValue.array([.array([.int(1), .int(2)]), .array([.int(3), .int(4)])]).text(type: .array(.integer)) == "{{1,2},{3,4}}")
        #expect(SQLValue.array([]).text(type: .array(.integer)) == "{}")
        // Elements print as their output functions do: booleans t/f.
        #expect(SQLValue.array([.bool(true), .bool(false)]).text(type: .array(.boolean)) == "{t,f}")
        #expect(SQLValue.array([numeric("1.5"), numeric("2.50")]).text(type: .array(.numeric(precision: nil, scale: nil))) == "{1.5,2.50}")
        #expect(SQLValue.array([.timestamp(timestamp("2024-01-31 12:00"))]).text(type: .array(.timestamp)) == #"{"2024-01-31 12:00:00"}"#)
        #expect(SQLValue.array([.json(.object(["a": .int(1)]))]).text(type: .array(.jsonb)) == #"{"{\"a\": 1}"}"#)
        #expect(SQLValue.array([.bytes([1])]).text(type: .array(.bytea)) == #"{"\\x01"}"#)
        #expect(SQLValue.array([.double(0.1), .double(1e20)]).text(type: .array(.double)) == "{0.1,1e+20}")
        #expect(SQLValue.array([.text("a  ")]).text(type: .array(.char(3))) == #"{"a  "}"#)
    }

    @Test func jsonAsText() {
        let doc = document(#"{"b":[1,2], "aa":{}, "a":"x\ny", "c":[]}"#)
        #expect(SQLValue.json(doc).text(type: .jsonb) == #"{"a": "x\ny", "b": [1, 2], "c": [], "aa": {}}"#)
        #expect(SQLValue.json(document(#"{"b":1,  "a":2}"#)).text(type: .json) == #"{"b":1,"a":2}"#)
        #expect(SQLValue.json(.double(1e20)).text(type: .jsonb) == "100000000000000000000")
        #expect(SQLValue.json(.double(1.5e-7)).text(type: .jsonb) == "0.00000015")
        #expect(SQLValue.json(.double(3.0)).text(type: .jsonb) == "3.0")
        #expect(SQLValue.json(.int(0)).text(type: .jsonb) == "0")
        #expect(SQLValue.json(.string("x")).text(type: .jsonb) == "\"x\"")
        #expect(SQLValue.json(.object(["k": .string("\u{01}\u{7f}\t/\"\\")])).text(type: .jsonb) == #"{"k": "\u0001\#u{7f}\t/\"\\"}"#)
        // A schemaless field prints as ->> would.
        #expect(SQLValue.json(.string("x")).text(type: .dynamic) == "x")
        #expect(SQLValue.json(.bool(true)).text(type: .dynamic) == "true")
        #expect(SQLValue.json(.array([.int(1), .string("a")])).text(type: .dynamic) == #"[1, "a"]"#)
    }

    @Test func toJSON() {
        #expect(json(.timestamp(timestamp("2024-01-31 12:34:56.789")), .timestamp) == #""2024-01-31T12:34:56.789""#)
        #expect(json(.timestamptz(timestamp("2024-01-31 12:34:56.789")), .timestamptz) == #""2024-01-31T12:34:56.789+00:00""#)
        #expect(json(.date(19753), .date) == #""2024-01-31""#)
        #expect(json(.time(45_296_000_000), .time) == #""12:34:56""#)
        #expect(json(.bytes([1, 2]), .bytea) == #""\\x0102""#)
        #expect(json(.double(.nan), .double) == #""NaN""#)
        #expect(json(.double(-.infinity), .double) == #""-Infinity""#)
        #expect(json(.double(1e20), .double) == "1e+20")
        #expect(json(.double(Double(Float(0.1))), .real) == "0.1")
        #expect(json(numeric("1.50"), .numeric(precision: nil, scale: nil)) == "1.50")
        #expect(json(.array([.int(1), .null, .int(3)]), .array(.integer)) == "[1,null,3]")
        #expect(json(.array([.text("a b"), .text("\"")]), .array(.text)) == #"["a b","\""]"#)
        #expect(json(.array([.array([.int(1), .int(2)]), .array([.int(3), .int(4)])]), .array(.integer)) == "[[1,2],[3,4]]")
        #expect(json(.array([.bool(true)]), .array(.boolean)) == "[true]")
        #expect(json(.date(Int32(SQLDateTime.daysFromCivil(year: -43, month: 3, day: 15))), .date) == #""0044-03-15 BC""#)
        #expect(json(.timestamp(timestamp("0044-03-15 12:00 BC")), .timestamp) == #""0044-03-15T12:00:00 BC""#)
        #expect(json(.bool(true), .boolean) == "true")
        #expect(json(.null, .integer) == "null")
        #expect(json(.text("a\u{01}\u{7f}\t/"), .text) == #""a\u0001\#u{7f}\t/""#)
        #expect(json(.uuid(SQLUUID(high: 0xa0ee_bc99_9c0b_4ef8, low: 0xbb6d_6bb9_bd38_0a11)), .uuid) == #""a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11""#)
        // row_to_json keeps jsonb's text form, spaces and key order included, and json as written.
        #expect(json(.json(document(#"{"b":1,"a":2}"#)), .jsonb) == #"{"a": 2, "b": 1}"#)
        #expect(json(.json(document(#"{"b":1,  "a":2}"#)), .json) == #"{"b":1,"a":2}"#)
        // A schemaless document's field, compact in stored order as JSON.GET shows it.
        #expect(json(.json(document(#"{"b":1,"a":[2]}"#)), .dynamic) == #"{"b":1,"a":[2]}"#)
    }

    @Test func asDocumentFields() {
        #expect(numeric("2.00").jsonValue == .int(2))
        #expect(numeric("1.5").jsonValue == .double(1.5))
        #expect(numeric("1e30").jsonValue == .double(1e30))
        #expect(SQLValue.double(.nan).jsonValue == .string("NaN"))
        #expect(SQLValue.double(-.infinity).jsonValue == .string("-Infinity"))
        #expect(SQLValue.timestamp(timestamp("2024-01-31 12:34:56.789")).jsonValue == .string("2024-01-31T12:34:56.789"))
        #expect(SQLValue.timestamptz(0).jsonValue == .string("1970-01-01T00:00:00+00:00"))
        #expect(SQLValue.bytes([1]).jsonValue == .string("\\x01"))
        #expect(SQLValue.array([.int(1), .null, .text("a")]).jsonValue == .array([.int(1), .null, .string("a")]))
        #expect(SQLValue.json(.object(["a": .int(1)])).jsonValue == .object(["a": .int(1)]))
    }
}
