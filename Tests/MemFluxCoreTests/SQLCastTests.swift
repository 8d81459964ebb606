// Tests for SQLCast*.swift and the input functions it uses (SQLDateTime+Parse,
// SQLFloatText): every expected value and error text is what PostgreSQL 15
// printed for the same cast (`SELECT 'x'::type`, or an INSERT for the
// implicit casts to columns).

import Testing
@testable import MemFluxCore

/// The cast's result printed as PostgreSQL prints the target type, or the error message.
private func cast(_ value: SQLValue, from source: SQLType = .dynamic, to target: SQLType, explicit: Bool = true) -> String {
    do {
        return try SQLCast.cast(value, from: source, to: target, explicit: explicit).text(type: target)
    } catch {
        return "ERROR: \(error.message)"
    }
}

private func text(_ input: String, to target: SQLType, explicit: Bool = true) -> String {
    cast(.text(input), from: .text, to: target, explicit: explicit)
}

private func numeric(_ text: String) -> SQLValue {
    .numeric((try? SQLNumeric.parse(Substring(text))) ?? .zero)
}

@Suite("SQL casts")
struct SQLCastTests {
    @Test func integersFromText() {
        #expect(text(" 12 ", to: .integer) == "12")
        #expect(text("+5", to: .integer) == "5")
        #expect(text("-0", to: .integer) == "0")
        #expect(text("  -32768 ", to: .smallint) == "-32768")
        #expect(text("-9223372036854775808", to: .bigint) == "-9223372036854775808")
        #expect(text("abc", to: .integer) == #"ERROR: invalid input syntax for type integer: "abc""#)
        #expect(text("x", to: .bigint) == #"ERROR: invalid input syntax for type bigint: "x""#)
        #expect(text("x", to: .smallint) == #"ERROR: invalid input syntax for type smallint: "x""#)
        #expect(text("1.5", to: .integer) == #"ERROR: invalid input syntax for type integer: "1.5""#)
        #expect(text("", to: .integer) == #"ERROR: invalid input syntax for type integer: """#)
        #expect(text("0x1A", to: .integer) == #"ERROR: invalid input syntax for type integer: "0x1A""#)
        #expect(text("99999", to: .smallint) == #"ERROR: value "99999" is out of range for type smallint"#)
        #expect(text("99999999999", to: .integer) == #"ERROR: value "99999999999" is out of range for type integer"#)
        #expect(text("9223372036854775808", to: .bigint) == #"ERROR: value "9223372036854775808" is out of range for type bigint"#)
        #expect(text("99999999999999999999", to: .bigint) == #"ERROR: value "99999999999999999999" is out of range for type bigint"#)
    }

    @Test func integersFromNumbers() {
        // float8 → int rounds half to even (rint); numeric → int half away from zero.
        #expect(cast(.double(0.5), to: .integer) == "0")
        #expect(cast(.double(1.5), to: .integer) == "2")
        #expect(cast(.double(2.5), to: .integer) == "2")
        #expect(cast(.double(-0.5), to: .integer) == "0")
        #expect(cast(.double(3.5), to: .integer) == "4")
        #expect(cast(.double(1e10), to: .bigint) == "10000000000")
        #expect(cast(numeric("2.5"), to: .integer) == "3")
        #expect(cast(numeric("-2.5"), to: .integer) == "-3")
        #expect(cast(numeric("32767.4"), to: .smallint) == "32767")
        #expect(cast(.double(-32768.4), to: .smallint) == "-32768")
        #expect(cast(.double(32767.5), to: .smallint) == "ERROR: smallint out of range")
        #expect(cast(.double(2147483647.5), to: .integer) == "ERROR: integer out of range")
        #expect(cast(.double(.nan), to: .bigint) == "ERROR: bigint out of range")
        #expect(cast(.double(.infinity), to: .integer) == "ERROR: integer out of range")
        #expect(cast(.double(9223372036854775807), to: .bigint) == "ERROR: bigint out of range")
        #expect(cast(numeric("32767.5"), to: .smallint) == "ERROR: smallint out of range")
        #expect(cast(numeric("9223372036854775807.5"), to: .bigint) == "ERROR: bigint out of range")
        #expect(cast(.int(70000), to: .smallint) == "ERROR: smallint out of range")
        #expect(cast(.int(1 << 40), to: .integer) == "ERROR: integer out of range")
        #expect(cast(.bool(true), from: .boolean, to: .integer) == "1")
        #expect(cast(.bool(true), from: .boolean, to: .bigint) == "ERROR: cannot cast type boolean to bigint")
        #expect(cast(.date(0), from: .date, to: .integer) == "ERROR: cannot cast type date to integer")
    }

    @Test func floats() {
        #expect(text("  1.5  ", to: .double) == "1.5")
        #expect(text("1.5e3", to: .double) == "1500")
        #expect(text(".5", to: .double) == "0.5")
        #expect(text("5.", to: .double) == "5")
        #expect(text("-0", to: .double) == "-0")
        #expect(text("0x10", to: .double) == "16")
        #expect(text(" NaN ", to: .double) == "NaN")
        #expect(text("inf", to: .double) == "Infinity")
        #expect(text("-Infinity", to: .double) == "-Infinity")
        #expect(text("+inf", to: .double) == "Infinity")
        #expect(text("INFINITY", to: .double) == "Infinity")
        #expect(text("x", to: .double) == #"ERROR: invalid input syntax for type double precision: "x""#)
        #expect(text("1.5.3", to: .double) == #"ERROR: invalid input syntax for type double precision: "1.5.3""#)
        #expect(text("", to: .double) == #"ERROR: invalid input syntax for type double precision: """#)
        #expect(text("x", to: .real) == #"ERROR: invalid input syntax for type real: "x""#)
        #expect(text("1e400", to: .double) == #"ERROR: "1e400" is out of range for type double precision"#)
        #expect(text("1e-400", to: .double) == #"ERROR: "1e-400" is out of range for type double precision"#)
        #expect(text("1e40", to: .real) == #"ERROR: "1e40" is out of range for type real"#)
        #expect(text("1e-46", to: .real) == #"ERROR: "1e-46" is out of range for type real"#)
        #expect(cast(.double(3.4e38), from: .double, to: .real) == "3.4e+38")
        #expect(cast(.int(16_777_217), from: .integer, to: .real) == "1.6777216e+07")
        #expect(cast(numeric("123456789012"), to: .real) == "1.2345679e+11")
        #expect(cast(.double(1e39), from: .double, to: .real) == "ERROR: value out of range: overflow")
        #expect(cast(.double(1e-50), from: .double, to: .real) == "ERROR: value out of range: underflow")
        #expect(cast(numeric("1e400"), to: .double) == "ERROR: \"1" + String(repeating: "0", count: 400) + "\" is out of range for type double precision")
        #expect(cast(numeric("1e-400"), to: .double) == "ERROR: \"0." + String(repeating: "0", count: 399) + "1\" is out of range for type double precision")
        #expect(cast(.bool(true), from: .boolean, to: .double) == "ERROR: cannot cast type boolean to double precision")
    }

    @Test func numerics() {
        #expect(cast(.double(0.1 + 0.2), from: .double, to: .numeric(precision: nil, scale: nil)) == "0.3")
        #expect(cast(.double(1e20), from: .double, to: .numeric(precision: nil, scale: nil)) == "100000000000000000000")
        #expect(cast(.double(123456789.123456789), from: .double, to: .numeric(precision: nil, scale: nil)) == "123456789.123457")
        #expect(cast(.double(Double(Float(1.23456789))), from: .real, to: .numeric(precision: nil, scale: nil)) == "1.23457")
        #expect(cast(.double(1.5), from: .double, to: .numeric(precision: 3, scale: 1)) == "1.5")
        #expect(cast(numeric("12.345"), to: .numeric(precision: 4, scale: 2)) == "12.35")
        #expect(cast(numeric("999.994"), to: .numeric(precision: 5, scale: 2)) == "999.99")
        #expect(cast(numeric("12"), to: .numeric(precision: 5, scale: 2)) == "12.00")
        #expect(cast(numeric("0.001"), to: .numeric(precision: 3, scale: 2)) == "0.00")
        #expect(cast(numeric("123"), to: .numeric(precision: 3, scale: -1)) == "120")
        #expect(cast(numeric("0.00012345"), to: .numeric(precision: 2, scale: 5)) == "0.00012")
        #expect(cast(numeric("0"), to: .numeric(precision: 2, scale: 5)) == "0.00000")
        #expect(cast(numeric("0.5"), to: .numeric(precision: 1, scale: 1)) == "0.5")
        #expect(cast(numeric("1234.567"), to: .numeric(precision: 5, scale: 2)) == "ERROR: numeric field overflow")
        #expect(cast(numeric("999.995"), to: .numeric(precision: 5, scale: 2)) == "ERROR: numeric field overflow")
        #expect(cast(numeric("99.5"), to: .numeric(precision: 2, scale: 0)) == "ERROR: numeric field overflow")
        #expect(cast(numeric("0.012345"), to: .numeric(precision: 2, scale: 5)) == "ERROR: numeric field overflow")
        #expect(cast(numeric("0.95"), to: .numeric(precision: 1, scale: 1)) == "ERROR: numeric field overflow")
        #expect(cast(numeric("1"), to: .numeric(precision: 2, scale: 5)) == "ERROR: numeric field overflow")
        #expect(text("abc", to: .numeric(precision: 5, scale: 2)) == #"ERROR: invalid input syntax for type numeric: "abc""#)
        #expect(text(" nan ", to: .numeric(precision: nil, scale: nil)) == "NaN")
        #expect(text("NaN", to: .numeric(precision: 3, scale: 1)) == "NaN")
        #expect(text("-inf", to: .numeric(precision: 3, scale: 1)) == "ERROR: numeric field overflow")
        #expect(text("nanx", to: .numeric(precision: nil, scale: nil)) == #"ERROR: invalid input syntax for type numeric: "nanx""#)
        #expect(cast(.double(.nan), from: .double, to: .numeric(precision: nil, scale: nil)) == "NaN")
        #expect(cast(.double(-.infinity), from: .real, to: .numeric(precision: nil, scale: nil)) == "-Infinity")
        #expect(cast(.numeric(.infinity), to: .double) == "Infinity")
        #expect(cast(.numeric(.nan), to: .real) == "NaN")
        #expect(cast(.numeric(.nan), to: .integer) == "ERROR: cannot convert NaN to integer")
        #expect(cast(.numeric(.negativeInfinity), to: .smallint) == "ERROR: cannot convert infinity to smallint")
        #expect(cast(.numeric(.infinity), to: .text) == "Infinity")
        #expect(cast(.bool(true), from: .boolean, to: .numeric(precision: nil, scale: nil)) == "ERROR: cannot cast type boolean to numeric")
    }

    @Test func booleans() {
        for word in ["t", "true", "TRUE", "tr", "y", "yes", "ye", " on ", "ON", "1"] {
            #expect(text(word, to: .boolean) == "true", "\(word)")
        }
        for word in ["f", "false", "n", "no", "of", "off", "0", "  False\t"] {
            #expect(text(word, to: .boolean) == "false", "\(word)")
        }
        for word in ["x", "o", "10", "", "truex", "yess"] {
            #expect(text(word, to: .boolean) == "ERROR: invalid input syntax for type boolean: \"\(word)\"")
        }
        #expect(cast(.int(0), from: .integer, to: .boolean) == "false")
        #expect(cast(.int(-3), from: .integer, to: .boolean) == "true")
        #expect(cast(.int(1), from: .bigint, to: .boolean) == "ERROR: cannot cast type bigint to boolean")
        #expect(cast(.double(1.5), from: .double, to: .boolean) == "ERROR: cannot cast type double precision to boolean")
    }

    @Test func characterTypes() {
        // Explicit casts truncate; assignments refuse unless only spaces would be cut.
        #expect(text("abc", to: .varchar(2)) == "ab")
        #expect(text("abc", to: .char(2)) == "ab")
        #expect(text("abcd", to: .varchar(3), explicit: false) == "ERROR: value too long for type character varying(3)")
        #expect(text("abc   ", to: .varchar(3), explicit: false) == "abc")
        #expect(text("abcd", to: .char(3), explicit: false) == "ERROR: value too long for type character(3)")
        #expect(text("ab", to: .char(3), explicit: false) == "ab ")
        #expect(text("x", to: .char(nil)) == "x")
        #expect(text("xyz", to: .char(nil)) == "x")
        #expect(text("héllo", to: .varchar(2)) == "hé")
        #expect(text("日本語", to: .varchar(3), explicit: false) == "日本語")
        // char(n) → text drops the padding; char(3) → varchar(2) truncates.
        #expect(cast(.text("ab "), from: .char(3), to: .text) == "ab")
        #expect(cast(.text("abc"), from: .char(3), to: .varchar(2)) == "ab")
        #expect(cast(.text("a"), to: .varchar(nil)) == "a")
    }

    @Test func valuesToText() {
        #expect(cast(.int(1), from: .integer, to: .text) == "1")
        #expect(cast(.double(1.5), from: .double, to: .text) == "1.5")
        #expect(cast(.double(Double(Float(0.1))), from: .real, to: .text) == "0.1")
        #expect(cast(numeric("12.00"), to: .text) == "12.00")
        #expect(cast(.bool(true), from: .boolean, to: .text) == "true")
        #expect(cast(.bytes([0x61, 0x62, 0x63]), from: .bytea, to: .text) == "\\x616263")
        #expect(cast(.json(.string("x")), from: .jsonb, to: .text) == "\"x\"")
        #expect(cast(.json(.int(1)), from: .jsonb, to: .text) == "1")
        // A schemaless field's string is its text, as ->> gives it.
        #expect(cast(.json(.string("x")), to: .text) == "x")
    }

    @Test func dates() {
        #expect(text("2024-01-31", to: .date) == "2024-01-31")
        #expect(text(" 2024-01-31 ", to: .date) == "2024-01-31")
        #expect(text("2024-01-31 12:34", to: .date) == "2024-01-31")
        #expect(text("0044-03-15 BC", to: .date) == "0044-03-15 BC")
        #expect(text("epoch", to: .date) == "1970-01-01")
        #expect(text("99999-01-01", to: .date) == "99999-01-01")
        #expect(text("2024-1-5", to: .date) == "2024-01-05")
        #expect(text("4714-11-24 BC", to: .date) == "4714-11-24 BC")
        #expect(text("5874897-12-31", to: .date) == "5874897-12-31")
        // A short first field is a month (DateStyle ISO, MDY), two-digit years 1970-2069.
        #expect(text("01-02-03", to: .date) == "2003-01-02")
        #expect(text("1-2-2024", to: .date) == "2024-01-02")
        #expect(text("12-31-99", to: .date) == "1999-12-31")
        #expect(text("12-31-69", to: .date) == "2069-12-31")
        #expect(text("001-02-03", to: .date) == "0001-02-03")
        #expect(text("24-01-01", to: .date) == #"ERROR: date/time field value out of range: "24-01-01""#)
        #expect(text("2024-02-29", to: .date) == "2024-02-29")
        #expect(text("x", to: .date) == #"ERROR: invalid input syntax for type date: "x""#)
        #expect(text("2024-02-30", to: .date) == #"ERROR: date/time field value out of range: "2024-02-30""#)
        #expect(text("2023-02-29", to: .date) == #"ERROR: date/time field value out of range: "2023-02-29""#)
        #expect(text("2024-13-01", to: .date) == #"ERROR: date/time field value out of range: "2024-13-01""#)
        #expect(text("0000-01-01", to: .date) == #"ERROR: date/time field value out of range: "0000-01-01""#)
        #expect(text("4714-11-23 BC", to: .date) == #"ERROR: date out of range: "4714-11-23 BC""#)
        #expect(text("5874898-01-01", to: .date) == #"ERROR: date out of range: "5874898-01-01""#)
    }

    @Test func timestamps() {
        #expect(text("2024-01-31 12:34:56.789", to: .timestamp) == "2024-01-31 12:34:56.789")
        #expect(text("2024-01-31T12:34:56Z", to: .timestamp) == "2024-01-31 12:34:56")
        #expect(text("2024-01-31 12:34:56+02:00", to: .timestamp) == "2024-01-31 12:34:56")
        #expect(text("2024-01-31 24:00:00", to: .timestamp) == "2024-02-01 00:00:00")
        #expect(text("2024-01-31 23:59:60", to: .timestamp) == "2024-02-01 00:00:00")
        #expect(text("2024-01-31 12:34", to: .timestamp) == "2024-01-31 12:34:00")
        #expect(text("2024-01-31", to: .timestamp) == "2024-01-31 00:00:00")
        #expect(text("2024-01-31 1:2:3", to: .timestamp) == "2024-01-31 01:02:03")
        #expect(text("2024-01-31  12:00", to: .timestamp) == "2024-01-31 12:00:00")
        #expect(text("2024-01-31t12:00", to: .timestamp) == "2024-01-31 12:00:00")
        #expect(text("2024-01-31 12:5:7.", to: .timestamp) == "2024-01-31 12:05:07")
        #expect(text("2024-01-31 12:00:00 BC", to: .timestamp) == "2024-01-31 12:00:00 BC")
        #expect(text("epoch", to: .timestamp) == "1970-01-01 00:00:00")
        // Fractions round to microseconds through a double and rint, as PostgreSQL's do.
        #expect(text("2024-01-31 12:34:56.1234567", to: .timestamp) == "2024-01-31 12:34:56.123457")
        #expect(text("2024-01-31 12:34:56.9999995", to: .timestamp) == "2024-01-31 12:34:57")
        #expect(text("2024-01-31 12:34:56.0000005", to: .timestamp) == "2024-01-31 12:34:56")
        #expect(text("2024-01-31 12:34:56.0000015", to: .timestamp) == "2024-01-31 12:34:56.000002")
        #expect(text("x", to: .timestamp) == #"ERROR: invalid input syntax for type timestamp: "x""#)
        #expect(text("2024-01-31T12", to: .timestamp) == #"ERROR: invalid input syntax for type timestamp: "2024-01-31T12""#)
        #expect(text("2024-01-31 12", to: .timestamp) == #"ERROR: invalid input syntax for type timestamp: "2024-01-31 12""#)
        #expect(text("2024-01-31 25:00", to: .timestamp) == #"ERROR: date/time field value out of range: "2024-01-31 25:00""#)
        #expect(text("294277-01-01", to: .timestamp) == #"ERROR: timestamp out of range: "294277-01-01""#)
        // Microseconds from 1970 in an Int64 (its last value is infinity) end 30 years before PostgreSQL's (from 2000) do.
        #expect(text("294247-01-10 04:00:54.775806", to: .timestamp) == "294247-01-10 04:00:54.775806")
        #expect(text("294247-01-10 04:00:54.775807", to: .timestamp) == #"ERROR: timestamp out of range: "294247-01-10 04:00:54.775807""#)
        #expect(text(" Infinity ", to: .timestamp) == "infinity")
        #expect(text("-infinity", to: .timestamptz) == "-infinity")
        #expect(text("+infinity", to: .date) == "infinity")
        #expect(text("infinity", to: .time) == #"ERROR: invalid input syntax for type time: "infinity""#)
        #expect(text("infinityx", to: .date) == #"ERROR: invalid input syntax for type date: "infinityx""#)
        #expect(cast(.timestamp(Int64.min), from: .timestamp, to: .date) == "-infinity")
        #expect(cast(.date(Int32.max), from: .date, to: .timestamptz) == "infinity")
        #expect(cast(.timestamp(Int64.max), from: .timestamp, to: .time) == "")
        #expect(text("4714-11-24 00:00 BC", to: .timestamp) == "4714-11-24 00:00:00 BC")
        #expect(text("4714-11-23 23:59:59 BC", to: .timestamp) == #"ERROR: timestamp out of range: "4714-11-23 23:59:59 BC""#)
    }

    @Test func timestampsWithZone() {
        #expect(text("2024-01-31 12:34:56+02:00", to: .timestamptz) == "2024-01-31 10:34:56+00")
        #expect(text("2024-01-31T12:34:56Z", to: .timestamptz) == "2024-01-31 12:34:56+00")
        #expect(text("2024-01-31 12:34:56-0530", to: .timestamptz) == "2024-01-31 18:04:56+00")
        #expect(text("2024-01-31 12:34:56+2", to: .timestamptz) == "2024-01-31 10:34:56+00")
        #expect(text("2024-01-31 12:34:56 +02", to: .timestamptz) == "2024-01-31 10:34:56+00")
        #expect(text("2024-01-31 12:34:56.5 UTC", to: .timestamptz) == "2024-01-31 12:34:56.5+00")
        #expect(text("2024-01-31 12:00:00 z", to: .timestamptz) == "2024-01-31 12:00:00+00")
        #expect(text("2024-01-31 12:00:00 GMT", to: .timestamptz) == "2024-01-31 12:00:00+00")
        #expect(text("2024-01-31 12:00:00.5 +02:30", to: .timestamptz) == "2024-01-31 09:30:00.5+00")
        #expect(text("2024-01-31 12:00:00-02:30:15", to: .timestamptz) == "2024-01-31 14:30:15+00")
        #expect(text("2024-01-31 12:00+15:59", to: .timestamptz) == "2024-01-30 20:01:00+00")
        #expect(text("2024-01-31", to: .timestamptz) == "2024-01-31 00:00:00+00")
        #expect(text("0044-03-15 12:00 BC", to: .timestamptz) == "0044-03-15 12:00:00+00 BC")
        #expect(text("x", to: .timestamptz) == #"ERROR: invalid input syntax for type timestamp with time zone: "x""#)
        #expect(text("2024-01-31 12:00+16", to: .timestamptz) == #"ERROR: time zone displacement out of range: "2024-01-31 12:00+16""#)
    }

    @Test func times() {
        #expect(text("12:34:56", to: .time) == "12:34:56")
        #expect(text("12:34", to: .time) == "12:34:00")
        #expect(text("24:00", to: .time) == "24:00:00")
        #expect(text("12:34:56.789+02", to: .time) == "12:34:56.789")
        #expect(text("2024-01-31 12:34:56", to: .time) == "12:34:56")
        #expect(text(" 1:2:3 ", to: .time) == "01:02:03")
        #expect(text("12:00:00Z", to: .time) == "12:00:00")
        #expect(text("allballs", to: .time) == "00:00:00")
        #expect(text("12:00 AM", to: .time) == "00:00:00")
        #expect(text("12:30 PM", to: .time) == "12:30:00")
        #expect(text("12:30 am", to: .time) == "00:30:00")
        #expect(text("01:02:03.5 PM", to: .time) == "13:02:03.5")
        #expect(text("2024-01-01 11:00 pm", to: .timestamp) == "2024-01-01 23:00:00")
        #expect(text("13:00 PM", to: .time) == #"ERROR: date/time field value out of range: "13:00 PM""#)
        #expect(text("x", to: .time) == #"ERROR: invalid input syntax for type time: "x""#)
        #expect(text("2024-01-31", to: .time) == #"ERROR: invalid input syntax for type time: "2024-01-31""#)
        #expect(text("25:00", to: .time) == #"ERROR: date/time field value out of range: "25:00""#)
        #expect(text("12:60", to: .time) == #"ERROR: date/time field value out of range: "12:60""#)
    }

    @Test func betweenDateTimeTypes() {
        let noon = try! SQLDateTime.parseTimestamp("2024-01-31 12:00")
        #expect(cast(.timestamp(noon), from: .timestamp, to: .date) == "2024-01-31")
        #expect(cast(.timestamptz(noon), from: .timestamptz, to: .time) == "12:00:00")
        #expect(cast(.date(19753), from: .date, to: .timestamptz) == "2024-01-31 00:00:00+00")
        #expect(cast(.timestamp(noon), from: .timestamp, to: .timestamptz) == "2024-01-31 12:00:00+00")
        #expect(cast(.timestamp(-1), from: .timestamp, to: .date) == "1969-12-31")
        #expect(cast(.date(Int32(SQLDateTime.maxDay)), from: .date, to: .timestamp) == "ERROR: date out of range for timestamp")
        #expect(cast(.int(1), from: .integer, to: .date) == "ERROR: cannot cast type integer to date")
    }

    @Test func uuids() {
        let canonical = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
        #expect(text(canonical, to: .uuid) == canonical)
        #expect(text("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", to: .uuid) == canonical)
        #expect(text("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", to: .uuid) == canonical)
        #expect(text("a0eebc999c0b4ef8bb6d6bb9bd380a11", to: .uuid) == canonical)
        #expect(text("a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", to: .uuid) == canonical)
        #expect(text("{A0EEBC999C0B4EF8BB6D6BB9BD380A11}", to: .uuid) == canonical)
        for bad in ["x", " \(canonical)", "\(canonical) ", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-",
                    "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc9-99c0b-4ef8-bb6d-6bb9bd380a11", "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"] {
            #expect(text(bad, to: .uuid) == "ERROR: invalid input syntax for type uuid: \"\(bad)\"")
        }
        #expect(cast(.int(1), from: .integer, to: .uuid) == "ERROR: cannot cast type integer to uuid")
    }

    @Test func bytea() {
        #expect(text("\\x0102", to: .bytea) == "\\x0102")
        #expect(text("\\x01 02", to: .bytea) == "\\x0102")
        #expect(text("\\x 01", to: .bytea) == "\\x01")
        #expect(text("\\xDEADbeef", to: .bytea) == "\\xdeadbeef")
        #expect(text("\\x", to: .bytea) == "\\x")
        #expect(text("ab\\\\c", to: .bytea) == "\\x61625c63")
        #expect(text("a\\101", to: .bytea) == "\\x6141")
        #expect(text("a\\141\\\\", to: .bytea) == "\\x61615c")
        #expect(text("\\xzz", to: .bytea) == #"ERROR: invalid hexadecimal digit: "z""#)
        #expect(text("\\x123", to: .bytea) == "ERROR: invalid hexadecimal data: odd number of digits")
        #expect(text("a\\9", to: .bytea) == "ERROR: invalid input syntax for type bytea")
        #expect(text("ab\\", to: .bytea) == "ERROR: invalid input syntax for type bytea")
        #expect(text("ab\\400", to: .bytea) == "ERROR: invalid input syntax for type bytea")
        #expect(cast(.int(1), from: .integer, to: .bytea) == "ERROR: cannot cast type integer to bytea")
        #expect(cast(.uuid(SQLUUID(high: 1, low: 2)), from: .uuid, to: .bytea) == "ERROR: cannot cast type uuid to bytea")
    }

    @Test func json() {
        #expect(text(#"{"b":1,"a":[1,2.5]}"#, to: .jsonb) == #"{"a": [1, 2.5], "b": 1}"#)
        #expect(text(#"{"b":1,  "a":2}"#, to: .json) == #"{"b":1,"a":2}"#)
        #expect(text("x", to: .jsonb) == "ERROR: invalid input syntax for type json")
        #expect(text("x", to: .json) == "ERROR: invalid input syntax for type json")
        #expect(cast(.int(1), from: .integer, to: .jsonb) == "ERROR: cannot cast type integer to jsonb")
        // jsonb's own casts: by kind, with its messages.
        #expect(cast(.json(.double(1.5)), from: .jsonb, to: .integer) == "2")
        #expect(cast(.json(.double(2.5)), from: .jsonb, to: .integer) == "3")
        #expect(cast(.json(.double(100)), from: .jsonb, to: .double) == "100")
        #expect(cast(.json(.bool(true)), from: .jsonb, to: .boolean) == "true")
        #expect(cast(.json(.string("x")), from: .jsonb, to: .integer) == "ERROR: cannot cast jsonb string to type integer")
        #expect(cast(.json(.object([:])), from: .jsonb, to: .integer) == "ERROR: cannot cast jsonb object to type integer")
        #expect(cast(.json(.array([])), from: .jsonb, to: .numeric(precision: nil, scale: nil)) == "ERROR: cannot cast jsonb array to type numeric")
        #expect(cast(.json(.null), from: .jsonb, to: .integer) == "ERROR: cannot cast jsonb null to type integer")
        #expect(cast(.json(.string("t")), from: .jsonb, to: .boolean) == "ERROR: cannot cast jsonb string to type boolean")
        #expect(cast(.json(.int(1)), from: .jsonb, to: .boolean) == "ERROR: cannot cast jsonb numeric to type boolean")
        #expect(cast(.json(.bool(true)), from: .jsonb, to: .integer) == "ERROR: cannot cast jsonb boolean to type integer")
        #expect(cast(.json(.string("2024-01-01")), from: .jsonb, to: .date) == "ERROR: cannot cast type jsonb to date")
        #expect(cast(.json(.array([.int(1)])), from: .jsonb, to: .array(.integer)) == "ERROR: cannot cast type jsonb to integer[]")
        #expect(cast(.json(.string("a")), from: .json, to: .integer) == "ERROR: cannot cast type json to integer")
    }

    /// Fields of schemaless documents convert by the SQL value they hold.
    @Test func schemalessFields() throws {
        #expect(cast(.json(.string("42")), to: .integer) == "42")
        #expect(cast(.json(.string("2024-01-31")), to: .date) == "2024-01-31")
        #expect(cast(.json(.string("abc")), to: .integer) == #"ERROR: invalid input syntax for type integer: "abc""#)
        #expect(cast(.json(.double(0.1)), to: .numeric(precision: nil, scale: nil)) == "0.1")
        #expect(cast(.json(.double(2.5)), to: .integer) == "3")
        #expect(cast(.json(.int(7)), to: .double) == "7")
        #expect(cast(.json(.bool(false)), to: .boolean) == "false")
        #expect(try SQLCast.cast(.json(.null), to: .integer) == .null)
        #expect(cast(.json(.array([.int(1), .string("2")])), to: .array(.integer)) == "{1,2}")
        #expect(cast(.json(.object(["a": .int(1)])), to: .integer) == "ERROR: cannot cast jsonb object to type integer")
        #expect(try SQLCast.cast(.json(.int(1)), to: .dynamic) == .json(.int(1)))
        #expect(try SQLCast.cast(.text("x"), to: .unknown) == .text("x"))
        #expect(try SQLCast.cast(.null, to: .integer) == .null)
    }

    @Test func arrays() {
        #expect(text("{1,2,3}", to: .array(.integer)) == "{1,2,3}")
        #expect(text("{1, 2 ,3}", to: .array(.integer)) == "{1,2,3}")
        #expect(text(#"{"a b", c\\,d, NULL, "NULL"}"#, to: .array(.text)) == #"{"a b","c\\",d,NULL,"NULL"}"#)
        #expect(text(#"{ "a" , b }"#, to: .array(.text)) == "{a,b}")
        #expect(text(#"{""}"#, to: .array(.text)) == #"{""}"#)
        #expect(text(#"{NULL, null, "null"}"#, to: .array(.text)) == #"{NULL,NULL,"null"}"#)
        #expect(text("{{1,2},{3,4}}", to: .array(.integer)) == "{{1,2},{3,4}}")
        #expect(text("{}", to: .array(.integer)) == "{}")
        #expect(text("{{{{{{1}}}}}}", to: .array(.integer)) == "{{{{{{1}}}}}}")
        #expect(text("{1,x}", to: .array(.integer)) == #"ERROR: invalid input syntax for type integer: "x""#)
        #expect(text("[1:2]={1,2}", to: .array(.integer)) == "{1,2}")
        #expect(text("[1:2][1:1]={{1},{2}}", to: .array(.integer)) == "{{1},{2}}")
        for bad in ["{1,2", "{}}", "{,}", "{1,,2}", "{{1},{2,3}}", "{1,{2}}", "1,2", "{\"a}", "{a\"b}", "{{}}", "{{},{}}", "{{1},{}}",
                    "[1:3]={1,2}", "[0:1]={1,2}", "[1:2]{1,2}"] {
            #expect(text(bad, to: .array(.integer)) == "ERROR: malformed array literal: \"\(bad)\"", "\(bad)")
        }
        #expect(text("{{{{{{{1}}}}}}}", to: .array(.integer)) == "ERROR: number of array dimensions (7) exceeds the maximum allowed (6)")
        #expect(cast(.array([.text("a b"), .text("c")]), from: .array(.text), to: .array(.varchar(1))) == "{a,c}")
        #expect(cast(.array([.text("a")]), from: .array(.text), to: .array(.char(3))) == #"{"a  "}"#)
        #expect(cast(.array([.int(1), .null]), from: .array(.integer), to: .array(.text)) == "{1,NULL}")
        #expect(cast(.array([.array([.double(1.5)]), .array([.double(2.5)])]), from: .array(.double), to: .array(.integer)) == "{{2},{2}}")
        #expect(cast(.int(1), from: .integer, to: .array(.integer)) == "ERROR: cannot cast type integer to integer[]")
    }
}
