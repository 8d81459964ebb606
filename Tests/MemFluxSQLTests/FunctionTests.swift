// Tests for Sources/MemFluxSQL/Functions: each scalar function's results and
// error texts, checked against PostgreSQL 15 (every expected text is what
// psql printed for the same call, with the arguments typed the same way).

import Testing
@testable import MemFluxCore
@testable import MemFluxSQL

private let noon = (try? SQLDateTime.parseTimestamp("2024-01-31 12:34:56.789")) ?? 0

/// Resolves `name` for the arguments' types (given, or those their values
/// stand for), evaluates as the executor would (NULL for a strict function
/// with a NULL argument), and prints the result as its type prints.
private func call(_ name: String, _ arguments: [SQLValue], types: [SQLType]? = nil) -> String {
    guard let function = ScalarFunctions.lookup(name) else { return "no function \(name)" }
    let argumentTypes = types ?? arguments.map(\.typeForMessages)
    do {
        let resultType = try function.resolve(argumentTypes)
        if function.isStrict && arguments.contains(where: \.isNull) { return "NULL" }
        let value = try function.call(arguments, context: EvaluationContext(transactionTime: noon, argumentTypes: argumentTypes))
        return value.isNull ? "NULL" : value.text(type: resultType)
    } catch {
        return "ERROR: \(error.message)"
    }
}

private func resultType(_ name: String, _ types: [SQLType]) -> String {
    do {
        return try ScalarFunctions.lookup(name)?.resolve(types).postgresName ?? "no function"
    } catch {
        return "ERROR: \(error.message)"
    }
}

private func t(_ text: String) -> SQLValue { .text(text) }
private func i(_ n: Int64) -> SQLValue { .int(n) }
private func numeric(_ text: String) -> SQLValue { .numeric((try? SQLNumeric.parse(Substring(text))) ?? .zero) }
private func jsonb(_ text: String) -> SQLValue { .json((try? JSONValue.parse(text)) ?? .null) }
private func timestamp(_ text: String) -> SQLValue { .timestamp((try? SQLDateTime.parseTimestamp(Substring(text))) ?? 0) }
private let numericType = SQLType.numeric(precision: nil, scale: nil)

@Suite("SQL scalar functions")
struct FunctionTests {
    @Test func lookupAndResolution() {
        #expect(ScalarFunctions.lookup("LOWER")?.name == "lower")
        #expect(ScalarFunctions.lookup("no_such_function") == nil)
        #expect(resultType("lower", [.integer]) == "ERROR: function lower(integer) does not exist")
        #expect(resultType("lower", []) == "ERROR: function lower() does not exist")
        #expect(resultType("length", [.integer]) == "ERROR: function length(integer) does not exist")
        #expect(resultType("round", [.double, .integer]) == "ERROR: function round(double precision, integer) does not exist")
        #expect(resultType("mod", [.double, .integer]) == "ERROR: function mod(double precision, integer) does not exist")
        #expect(resultType("log", [.double, .integer]) == "ERROR: function log(double precision, integer) does not exist")
        #expect(resultType("concat", []) == "ERROR: function concat() does not exist")
        #expect(resultType("concat_ws", [.unknown]) == "ERROR: function concat_ws(unknown) does not exist")
        #expect(resultType("lower", [.varchar(3)]) == "text")
        #expect(ScalarFunctions.lookup("now")?.isDeterministic == false)
        #expect(ScalarFunctions.lookup("random")?.isDeterministic == false)
        #expect(ScalarFunctions.lookup("gen_random_uuid")?.isDeterministic == false)
        #expect(ScalarFunctions.lookup("lower")?.isDeterministic == true)
        #expect(ScalarFunctions.lookup("coalesce")?.isStrict == false)
        #expect(ScalarFunctions.lookup("upper")?.isStrict == true)
    }

    @Test func caseAndLength() {
        #expect(call("lower", [t("ÀÉÎ")]) == "àéî")
        #expect(call("upper", [t("straße")]) == "STRAßE")
        #expect(call("initcap", [t("hello wORLD foo_bar 1st")]) == "Hello World Foo_Bar 1st")
        #expect(call("length", [t("héllo")]) == "5")
        #expect(call("char_length", [t("日本語")]) == "3")
        #expect(call("length", [t("ab  ")], types: [.char(4)]) == "2")
        #expect(call("length", [.bytes([1, 2])]) == "2")
        #expect(call("octet_length", [t("é")]) == "2")
        #expect(call("reverse", [t("héllo")]) == "olléh")
        #expect(call("lower", [.json(.string("ABC"))], types: [.dynamic]) == "abc")
        #expect(call("upper", [.null]) == "NULL")
    }

    @Test func substrings() {
        #expect(call("substring", [t("hello"), i(0), i(3)]) == "he")
        #expect(call("substring", [t("hello"), i(-1), i(3)]) == "h")
        #expect(call("substring", [t("hello"), i(2)]) == "ello")
        #expect(call("substring", [t("hello"), i(10)]) == "")
        #expect(call("substr", [t("hello"), i(2), i(2)]) == "el")
        #expect(call("substring", [t("hello"), i(3), i(0)]) == "")
        #expect(call("substring", [t("héllo"), i(2), i(2)]) == "él")
        #expect(call("substring", [t("hello"), i(1), i(-1)]) == "ERROR: negative substring length not allowed")
        #expect(call("substring", [t("hello"), i(Int64.max), i(Int64.max)]) == "")
        #expect(call("substring", [.bytes([1, 2, 3]), i(2)]) == "\\x0203")
        #expect(call("left", [t("abcde"), i(-2)]) == "abc")
        #expect(call("right", [t("abcde"), i(-2)]) == "cde")
        #expect(call("left", [t("abc"), i(10)]) == "abc")
        #expect(call("right", [t("abc"), i(2)]) == "bc")
        #expect(call("left", [t("abc"), i(Int64.min)]) == "")
    }

    @Test func padTrimRepeat() {
        #expect(call("lpad", [t("hi"), i(5)]) == "   hi")
        #expect(call("lpad", [t("hi"), i(5), t("xy")]) == "xyxhi")
        #expect(call("rpad", [t("hello"), i(3)]) == "hel")
        #expect(call("rpad", [t("hi"), i(5), t("ab")]) == "hiaba")
        #expect(call("lpad", [t("hi"), i(5), t("")]) == "hi")
        #expect(call("rpad", [t("hi"), i(-1), t("x")]) == "")
        #expect(call("lpad", [t("hi"), i(0)]) == "")
        #expect(call("lpad", [t("hi"), i(Int64.max)]) == "ERROR: requested length too large")
        #expect(call("btrim", [t("xxhixx"), t("x")]) == "hi")
        #expect(call("ltrim", [t("  hi  ")]) == "hi  ")
        #expect(call("rtrim", [t("hi  ")]) == "hi")
        #expect(call("btrim", [t("  hi  ")]) == "hi")
        #expect(call("btrim", [t("abcba"), t("ab")]) == "c")
        #expect(call("repeat", [t("ab"), i(3)]) == "ababab")
        #expect(call("repeat", [t("x"), i(-1)]) == "")
        #expect(call("repeat", [t("x"), i(1 << 40)]) == "ERROR: requested length too large")
    }

    @Test func searchAndSplit() {
        #expect(call("replace", [t("aaa"), t("a"), t("bb")]) == "bbbbbb")
        #expect(call("replace", [t("abc"), t(""), t("x")]) == "abc")
        #expect(call("replace", [t("héllo héllo"), t("é"), t("e")]) == "hello hello")
        #expect(call("strpos", [t("hello"), t("l")]) == "3")
        #expect(call("strpos", [t("hello"), t("")]) == "1")
        #expect(call("strpos", [t("hello"), t("z")]) == "0")
        #expect(call("strpos", [t("héllo"), t("l")]) == "3")
        // The function behind POSITION(needle IN haystack) takes the haystack first, as PostgreSQL's does.
        #expect(call("position", [t("hello"), t("lo")]) == "4")
        #expect(call("split_part", [t("a,b,c"), t(","), i(2)]) == "b")
        #expect(call("split_part", [t("a,b,c"), t(","), i(-1)]) == "c")
        #expect(call("split_part", [t("a,b,c"), t(","), i(5)]) == "")
        #expect(call("split_part", [t("abc"), t(""), i(1)]) == "abc")
        #expect(call("split_part", [t("abc"), t(""), i(2)]) == "")
        #expect(call("split_part", [t("a,b"), t(","), i(0)]) == "ERROR: field position must not be zero")
        #expect(call("md5", [t("abc")]) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(call("md5", [t("")]) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(call("md5", [t(String(repeating: "a", count: 100))]) == "36a92cc94a9e0fa21f625f8bfb007adf")
    }

    @Test func concatenation() {
        // concat prints each argument with its output function (booleans t/f, reals as Float).
        #expect(call("concat", [i(1), .null, t("a"), .bool(true), .double(Double(Float(1.5))), .array([i(1), i(2)])],
                     types: [.integer, .integer, .text, .boolean, .real, .array(.integer)]) == "1at1.5{1,2}")
        #expect(call("concat", [.null]) == "")
        #expect(call("concat_ws", [t(","), i(1), .null, t("b")]) == "1,b")
        #expect(call("concat_ws", [.null, i(1), i(2)]) == "NULL")
    }

    @Test func rounding() {
        #expect(resultType("round", [.integer]) == "double precision")
        #expect(call("round", [i(5)]) == "5")
        #expect(call("round", [.double(2.5)]) == "2")
        #expect(call("round", [numeric("-2.5")]) == "-3")
        #expect(call("round", [numeric("2.567"), i(2)]) == "2.57")
        #expect(call("round", [i(5), i(1)]) == "5.0")
        #expect(call("round", [numeric("1234.5"), i(-2)]) == "1200")
        #expect(resultType("round", [.real]) == "double precision")
        #expect(call("trunc", [.double(2.7)]) == "2")
        #expect(call("trunc", [numeric("-2.7")]) == "-2")
        #expect(call("trunc", [numeric("1.2345"), i(2)]) == "1.23")
        #expect(resultType("ceil", [.integer]) == "double precision")
        #expect(call("ceil", [.double(1.2)]) == "2")
        #expect(call("ceiling", [numeric("-1.2")]) == "-1")
        #expect(call("floor", [.double(-1.2)]) == "-2")
        #expect(call("floor", [numeric("-1.5")]) == "-2")
    }

    @Test func boundArgumentTypesReachTheBody() throws {
        // The binder binds a call to its argument types; the body reads them when the context has none.
        let abs = try #require(ScalarFunctions.lookup("abs"))
        let context = EvaluationContext(transactionTime: noon)
        #expect(try abs.call([i(Int64(Int32.min))], context: context) == i(2_147_483_648))
        #expect(throws: MemFluxError(.err, "integer out of range")) {
            try abs.resolved(for: [.integer]).call([i(Int64(Int32.min))], context: context)
        }
        let length = try #require(ScalarFunctions.lookup("length")).resolved(for: [.char(4)])
        #expect(try length.call([t("ab  ")], context: context) == i(2))
        #expect(resultType("extract", [.unknown, .unknown]) == "ERROR: function pg_catalog.extract(unknown, unknown) is not unique")
        #expect(resultType("date_part", [.text, .unknown]) == "ERROR: function date_part(text, unknown) is not unique")
        #expect(call("round", [t("2.5")], types: [.unknown]) == "2")
        #expect(call("round", [t("abc")], types: [.unknown]) == #"ERROR: invalid input syntax for type double precision: "abc""#)
        #expect(call("lpad", [t("x"), t("y")], types: [.text, .unknown]) == #"ERROR: invalid input syntax for type integer: "y""#)
        #expect(call("sign", [numeric("NaN")]) == "NaN")
    }

    @Test func arithmeticFunctions() {
        #expect(call("abs", [i(-5)], types: [.smallint]) == "5")
        #expect(resultType("abs", [.smallint]) == "smallint")
        #expect(resultType("abs", [.real]) == "real")
        #expect(call("abs", [numeric("-1.50")]) == "1.50")
        #expect(call("abs", [.double(-2.5)]) == "2.5")
        #expect(call("abs", [i(-2_147_483_648)], types: [.integer]) == "ERROR: integer out of range")
        #expect(call("abs", [i(Int64.min)], types: [.bigint]) == "ERROR: bigint out of range")
        #expect(call("mod", [i(7), i(-3)]) == "1")
        #expect(call("mod", [numeric("-7.5"), i(2)]) == "-1.5")
        #expect(call("mod", [i(7), numeric("2.5")]) == "2.0")
        #expect(resultType("mod", [.smallint, .smallint]) == "smallint")
        #expect(call("mod", [i(5), i(0)]) == "ERROR: division by zero")
        #expect(call("power", [i(2), i(10)]) == "1024")
        #expect(resultType("power", [.integer, .integer]) == "double precision")
        #expect(call("power", [numeric("2.0"), i(3)]) == "8.0000000000000000")
        #expect(call("pow", [i(2), numeric("0.5")]) == "1.4142135623730950")
        #expect(call("sign", [i(-3)]) == "-1")
        #expect(resultType("sign", [.integer]) == "double precision")
        #expect(call("sign", [numeric("-2.5")]) == "-1")
        #expect(call("sign", [.double(0)]) == "0")
        #expect(call("pi", []) == "3.141592653589793")
        if let random = ScalarFunctions.lookup("random"), case .double(let x) = try? random.evaluate([]) {
            #expect(x >= 0 && x < 1)
        } else {
            Issue.record("random() is not a double")
        }
    }

    @Test func rootsAndLogarithms() {
        #expect(call("sqrt", [i(2)]) == "1.4142135623730951")
        #expect(call("sqrt", [numeric("2")]) == "1.414213562373095")
        #expect(call("sqrt", [numeric("16")]) == "4.000000000000000")
        #expect(call("sqrt", [numeric("1e-10")]) == "0.000010000000000000000")
        #expect(call("sqrt", [numeric("123456789")]) == "11111.11106055556")
        #expect(call("sqrt", [i(-1)]) == "ERROR: cannot take square root of a negative number")
        #expect(call("sqrt", [numeric("-1")]) == "ERROR: cannot take square root of a negative number")
        #expect(call("exp", [i(1)]) == "2.718281828459045")
        #expect(call("exp", [numeric("10")]) == "22026.465794806717")
        #expect(call("exp", [numeric("0")]) == "1.0000000000000000")
        #expect(call("exp", [i(1000)]) == "ERROR: value out of range: overflow")
        #expect(call("exp", [i(-1000)]) == "ERROR: value out of range: underflow")
        #expect(call("exp", [numeric("100000")]) == "ERROR: value overflows numeric format")
        #expect(call("ln", [i(2)]) == "0.6931471805599453")
        #expect(call("ln", [numeric("2")]) == "0.6931471805599453")
        #expect(call("ln", [numeric("1e100")]) == "230.25850929940457")
        #expect(call("log", [i(100)]) == "2")
        #expect(call("log", [numeric("100")]) == "2.0000000000000000")
        #expect(call("log", [numeric("1000")]) == "3.0000000000000000")
        #expect(call("log", [i(2), i(8)]) == "3.0000000000000000")
        #expect(call("log", [numeric("2.0"), i(8)]) == "3.0000000000000000")
        #expect(resultType("log", [.integer, .integer]) == "numeric")
        #expect(call("log10", [i(1000)]) == "3")
        // Exact decimal exp/ln at PostgreSQL's scales, so every digit agrees.
        let exactCases: [(String, String, String)] = [
            ("exp", "1.0", "2.7182818284590452"), ("exp", "-1.0", "0.3678794411714423"), ("exp", "0.5", "1.6487212707001281"),
            ("ln", "1.05", "0.048790164169432003"), ("ln", "0.001", "-6.9077552789821371"), ("ln", "123456789.123", "18.631401767164318"),
            ("ln", "1.0000000001", "0.00000000009999999999500000"), ("log", "0.5", "-0.3010299956639812"), ("ln", "10", "2.3025850929940457"),
        ]
        for (function, argument, expected) in exactCases {
            #expect(call(function, [numeric(argument)]) == expected, "\(function)(\(argument))")
        }
        let lnTiny = call("ln", [numeric("1e-300")])
        #expect(lnTiny.hasPrefix("-690.775527898213705205397436405309262280330446588631892809998370290271782903205744070799161526879489502590"))
        #expect(lnTiny.hasSuffix("9465966023963100242321272982309546514680294481817443885821320066631531"))
        let tinyExp = call("exp", [numeric("-1000.0")])
        #expect(tinyExp == "0." + String(repeating: "0", count: 434) + "5075958897549457")
        #expect(call("exp", [numeric("5000.0")]).utf8.count == 2174)
        #expect(call("exp", [numeric("6000.0")]) == "ERROR: value overflows numeric format")
        #expect(call("log", [numeric("3"), numeric("81.0")]) == "4.0000000000000000")
        #expect(call("log", [numeric("1"), numeric("10.0")]) == "ERROR: division by zero")
        #expect(call("ln", [i(0)]) == "ERROR: cannot take logarithm of zero")
        #expect(call("ln", [i(-1)]) == "ERROR: cannot take logarithm of a negative number")
        #expect(call("ln", [numeric("0")]) == "ERROR: cannot take logarithm of zero")
        #expect(call("log", [i(-1)]) == "ERROR: cannot take logarithm of a negative number")
    }

    @Test func conditionals() {
        #expect(call("coalesce", [.null, i(1), i(2)]) == "1")
        #expect(call("coalesce", [.null, .null], types: [.unknown, .unknown]) == "NULL")
        #expect(resultType("coalesce", [.unknown, .unknown]) == "text")
        #expect(resultType("coalesce", [.integer, .real]) == "real")
        #expect(resultType("coalesce", [.date, .timestamptz]) == "timestamp with time zone")
        #expect(call("coalesce", [i(1), numeric("1.5")]) == "1")
        #expect(resultType("coalesce", [.text, .integer]) == "ERROR: COALESCE types text and integer cannot be matched")
        #expect(resultType("greatest", [.integer, .text]) == "ERROR: GREATEST types integer and text cannot be matched")
        #expect(resultType("least", [.timestamptz, .integer]) == "ERROR: LEAST types timestamp with time zone and integer cannot be matched")
        #expect(call("greatest", [i(1), .null, i(3)]) == "3")
        #expect(call("greatest", [i(1), numeric("2.5")]) == "2.5")
        #expect(resultType("greatest", [.integer, numericType]) == "numeric")
        #expect(call("least", [t("b"), t("a")]) == "a")
        #expect(call("least", [.null, .null], types: [.integer, .integer]) == "NULL")
        #expect(call("nullif", [i(1), i(1)]) == "NULL")
        #expect(call("nullif", [i(1), numeric("1.0")]) == "NULL")
        #expect(call("nullif", [t("a"), t("b")]) == "a")
        #expect(call("nullif", [i(1), .null]) == "1")
        #expect(call("nullif", [.null, i(1)]) == "NULL")
        #expect(resultType("nullif", [.text, .integer]) == "ERROR: operator does not exist: text = integer")
    }

    @Test func clock() {
        #expect(call("now", []) == "2024-01-31 12:34:56.789+00")
        #expect(call("current_timestamp", []) == "2024-01-31 12:34:56.789+00")
        #expect(call("current_date", []) == "2024-01-31")
        #expect(call("localtimestamp", []) == "2024-01-31 12:34:56.789")
        #expect(call("localtime", []) == "12:34:56.789")
        // Without a context, now() is the wall clock: after 2024.
        if let now = ScalarFunctions.lookup("now"), case .timestamptz(let micros) = try? now.evaluate([]) {
            #expect(micros > noon)
        } else {
            Issue.record("now() is not a timestamptz")
        }
        let uuid = ScalarFunctions.lookup("gen_random_uuid").flatMap { try? $0.evaluate([]) }
        if case .uuid(let value) = uuid {
            let text = value.description
            #expect(Array(text)[14] == "4")
            #expect("89ab".contains(Array(text)[19]))
        } else {
            Issue.record("gen_random_uuid() is not a uuid")
        }
    }

    @Test func extractAndDatePart() {
        let ts = timestamp("2024-01-31 12:34:56.789")
        let expected: [(String, String, String)] = [
            ("year", "2024", "2024"), ("month", "1", "1"), ("day", "31", "31"), ("hour", "12", "12"), ("minute", "34", "34"),
            ("second", "56.789", "56.789000"), ("milliseconds", "56789", "56789.000"), ("microsecond", "56789000", "56789000"),
            ("dow", "3", "3"), ("isodow", "3", "3"), ("doy", "31", "31"), ("epoch", "1706704496.789", "1706704496.789000"),
            ("quarter", "1", "1"), ("week", "5", "5"), ("isoyear", "2024", "2024"), ("decade", "202", "202"),
            ("century", "21", "21"), ("millennium", "3", "3"), ("julian", "2460341.524268391", "2460341.52426839120370370370"),
            ("YEAR", "2024", "2024"), ("mon", "1", "1"),
        ]
        for (unit, part, extracted) in expected {
            #expect(call("date_part", [t(unit), ts]) == part, "\(unit)")
            #expect(call("extract", [t(unit), ts]) == extracted, "\(unit)")
        }
        #expect(resultType("date_part", [.text, .timestamp]) == "double precision")
        #expect(resultType("extract", [.text, .timestamp]) == "numeric")
        #expect(call("extract", [t("epoch"), .date(19753)]) == "1706659200")
        #expect(call("extract", [t("year"), .date(19753)]) == "2024")
        #expect(call("extract", [t("hour"), .time(45_296_500_000)]) == "12")
        #expect(call("extract", [t("second"), .time(45_296_500_000)]) == "56.500000")
        #expect(call("extract", [t("epoch"), .time(45_296_500_000)]) == "45296.500000")
        #expect(call("extract", [t("hour"), .date(19753)]) == #"ERROR: unit "hour" not supported for type date"#)
        #expect(call("extract", [t("year"), .time(1)]) == #"ERROR: unit "year" not supported for type time without time zone"#)
        #expect(call("extract", [t("foo"), ts]) == #"ERROR: unit "foo" not recognized for type timestamp without time zone"#)
        #expect(call("date_part", [t("foo"), ts]) == #"ERROR: unit "foo" not recognized for type timestamp without time zone"#)
        #expect(call("extract", [t("timezone"), ts]) == #"ERROR: unit "timezone" not supported for type timestamp without time zone"#)
        #expect(call("extract", [t("timezone"), .timestamptz(0)]) == "0")
        let bc = SQLValue.date(Int32(SQLDateTime.daysFromCivil(year: -43, month: 3, day: 15)))
        #expect(call("date_part", [t("year"), bc]) == "-44")
        #expect(call("date_part", [t("century"), bc]) == "-1")
        #expect(call("date_part", [t("decade"), bc]) == "-5")
        #expect(call("date_part", [t("millennium"), .date(Int32(SQLDateTime.daysFromCivil(year: 2000, month: 1, day: 1)))]) == "2")
        #expect(call("date_part", [t("century"), .date(Int32(SQLDateTime.daysFromCivil(year: 2000, month: 12, day: 31)))]) == "20")
        #expect(call("date_part", [t("century"), .date(Int32(SQLDateTime.daysFromCivil(year: 2001, month: 1, day: 1)))]) == "21")
        #expect(call("date_part", [t("week"), .date(Int32(SQLDateTime.daysFromCivil(year: 2021, month: 1, day: 3)))]) == "53")
        #expect(call("date_part", [t("isoyear"), .date(Int32(SQLDateTime.daysFromCivil(year: 2021, month: 1, day: 3)))]) == "2020")
        #expect(call("date_part", [t("epoch"), timestamp("1969-12-31 23:59:59.5")]) == "-0.5")
        // A schemaless field holding a timestamp's text.
        #expect(call("date_part", [t("year"), .json(.string("2024-01-31 12:00"))], types: [.text, .dynamic]) == "2024")
    }

    @Test func dateTrunc() {
        #expect(call("date_trunc", [t("day"), timestamp("2024-01-31 12:34")]) == "2024-01-31 00:00:00")
        #expect(call("date_trunc", [t("week"), timestamp("2024-01-31 12:34")]) == "2024-01-29 00:00:00")
        #expect(call("date_trunc", [t("quarter"), timestamp("2024-05-31")]) == "2024-04-01 00:00:00")
        #expect(call("date_trunc", [t("decade"), timestamp("2024-05-31")]) == "2020-01-01 00:00:00")
        #expect(call("date_trunc", [t("century"), timestamp("2024-05-31")]) == "2001-01-01 00:00:00")
        #expect(call("date_trunc", [t("millennium"), timestamp("2024-05-31")]) == "2001-01-01 00:00:00")
        #expect(call("date_trunc", [t("milliseconds"), timestamp("2024-01-31 12:34:56.789123")]) == "2024-01-31 12:34:56.789")
        #expect(call("date_trunc", [t("day"), .date(19753)]) == "2024-01-31 00:00:00+00")
        #expect(call("date_trunc", [t("hour"), .timestamptz(noon)]) == "2024-01-31 12:00:00+00")
        #expect(call("date_trunc", [t("YEAR"), timestamp("2024-05-31")]) == "2024-01-01 00:00:00")
        #expect(call("date_trunc", [t("century"), timestamp("0044-03-15 BC")]) == "0100-01-01 00:00:00 BC")
        #expect(call("date_trunc", [t("decade"), timestamp("0044-03-15 BC")]) == "0051-01-01 00:00:00 BC")
        #expect(call("date_trunc", [t("epoch"), timestamp("2024-05-31")]) == #"ERROR: unit "epoch" not recognized for type timestamp without time zone"#)
        #expect(call("date_trunc", [t("foo"), timestamp("2024-05-31")]) == #"ERROR: unit "foo" not recognized for type timestamp without time zone"#)
    }

    @Test func jsonAccess() {
        #expect(call("->", [jsonb(#"{"a":1}"#), t("a")], types: [.jsonb, .text]) == "1")
        #expect(call("->", [jsonb("[1,2,3]"), i(-1)], types: [.jsonb, .integer]) == "3")
        #expect(call("->", [jsonb("[1,2,3]"), i(5)], types: [.jsonb, .integer]) == "NULL")
        #expect(call("->>", [jsonb(#"{"a":"x"}"#), t("a")], types: [.jsonb, .text]) == "x")
        #expect(call("->>", [jsonb(#"{"a":null}"#), t("a")], types: [.jsonb, .text]) == "NULL")
        #expect(call("->>", [jsonb(#"{"a":[1]}"#), t("a")], types: [.jsonb, .text]) == "[1]")
        #expect(call("#>", [jsonb(#"{"a":{"b":1}}"#), t("{a,b}")], types: [.jsonb, .unknown]) == "1")
        #expect(call("#>>", [jsonb(#"{"a":{"b":"q"}}"#), t("{a,b}")], types: [.jsonb, .unknown]) == "q")
        #expect(call("#>", [jsonb("[1,2,3]"), t("{-1}")], types: [.jsonb, .unknown]) == "3")
        #expect(call("#>", [jsonb(#"{"a":1}"#), t("{}")], types: [.jsonb, .unknown]) == #"{"a": 1}"#)
        #expect(call("->", [jsonb("[1,2]"), t("a")], types: [.jsonb, .text]) == "NULL")
        #expect(call("->", [jsonb(#"{"a":1}"#), i(0)], types: [.jsonb, .integer]) == "NULL")
        #expect(call("->", [jsonb(#""x""#), i(0)], types: [.jsonb, .integer]) == #""x""#)
        #expect(call("->", [jsonb(#""x""#), i(-1)], types: [.jsonb, .integer]) == #""x""#)
        #expect(call("->", [jsonb(#""x""#), i(1)], types: [.jsonb, .integer]) == "NULL")
        #expect(call("jsonb_extract_path", [jsonb(#"{"a":{"b":[1,2,3]}}"#), t("a"), t("b"), t("1")], types: [.jsonb, .text, .text, .text]) == "2")
        #expect(call("jsonb_extract_path", [jsonb("[1,2,3]"), t("-1")], types: [.jsonb, .text]) == "3")
        #expect(call("jsonb_extract_path_text", [jsonb(#"{"a":"x"}"#), t("a")], types: [.jsonb, .text]) == "x")
        #expect(call("jsonb_extract_path", [jsonb(#"{"a":1}"#), t("b")], types: [.jsonb, .text]) == "NULL")
        #expect(call("jsonb_extract_path", [jsonb("[1,2]"), t("x")], types: [.jsonb, .text]) == "NULL")
        #expect(resultType("jsonb_extract_path", [.unknown]) == "ERROR: function jsonb_extract_path(unknown) does not exist")
        // A schemaless document's field, and text given where jsonb is expected.
        #expect(call("->>", [jsonb(#"{"city":"Oslo"}"#), t("city")], types: [.dynamic, .unknown]) == "Oslo")
        #expect(call("->", [t(#"{"a":[1, 2]}"#), t("a")], types: [.unknown, .unknown]) == "[1, 2]")
    }

    @Test func jsonContainment() {
        func contains(_ a: String, _ b: String) -> String { call("@>", [jsonb(a), jsonb(b)], types: [.jsonb, .jsonb]) }
        #expect(contains(#"{"a":1, "b":[1,2,{"c":3}]}"#, #"{"b":[{"c":3}]}"#) == "true")
        #expect(contains("[1,2,3]", "[3,1]") == "true")
        #expect(contains("[1,2]", "1") == "true")
        #expect(contains("1", "[1]") == "false")
        #expect(contains(#"{"a":[1,2]}"#, #"{"a":1}"#) == "false")
        #expect(contains("[[1,2]]", "[1]") == "false")
        #expect(contains("[1,[2]]", "[[2]]") == "true")
        #expect(contains(#""a""#, #""a""#) == "true")
        #expect(contains("[1,1]", "[1,1,1]") == "true")
        #expect(contains("{}", "{}") == "true")
        #expect(contains("[]", "{}") == "false")
        #expect(contains("[1.0]", "[1]") == "true")
        #expect(call("<@", [jsonb(#"{"a":1}"#), jsonb(#"{"a":1,"b":2}"#)], types: [.jsonb, .jsonb]) == "true")
        #expect(call("@>", [.array([i(1), i(2), i(3)]), .array([i(3), i(1)])], types: [.array(.integer), .array(.integer)]) == "true")
        #expect(call("<@", [.array([i(1), i(2)]), .array([i(1)])], types: [.array(.integer), .array(.integer)]) == "false")
        #expect(call("@>", [.array([i(1), .null]), .array([.null])], types: [.array(.integer), .array(.integer)]) == "false")
        #expect(call("@>", [.array([]), .array([])], types: [.array(.integer), .array(.integer)]) == "true")
        #expect(resultType("@>", [.integer, .integer]) == "ERROR: operator does not exist: integer @> integer")
    }

    @Test func jsonConstruction() {
        #expect(call("jsonb_build_object", [t("a"), i(1), t("a"), i(2), t("b"), .bool(true)]) == #"{"a": 2, "b": true}"#)
        #expect(call("json_build_object", [t("a"), i(1), t("c"), .null, t("e"), .array([i(1), i(2)])]) == #"{"a":1,"c":null,"e":[1,2]}"#)
        #expect(call("json_build_object", [i(1), i(2)]) == #"{"1":2}"#)
        #expect(call("json_build_object", []) == "{}")
        #expect(call("json_build_object", [t("a")]) == "ERROR: argument list must have even number of elements")
        #expect(call("json_build_object", [.null, i(1)], types: [.unknown, .integer]) == "ERROR: argument 1 cannot be null")
        #expect(call("jsonb_build_object", [.null, i(1)], types: [.unknown, .integer]) == "ERROR: argument 1: key must not be null")
        #expect(call("jsonb_build_array", [i(1), t("a"), .null, numeric("2.5")]) == #"[1, "a", null, 2.5]"#)
        #expect(call("jsonb_build_array", []) == "[]")
        #expect(call("to_json", [t("x")]) == #""x""#)
        #expect(call("to_jsonb", [t(#"{"a":1}"#)]) == #""{\"a\":1}""#)
        #expect(call("to_json", [.array([t("a")])]) == #"["a"]"#)
        #expect(call("to_json", [.date(19753)]) == #""2024-01-31""#)
        #expect(call("to_jsonb", [.bool(true)]) == "true")
        #expect(call("to_json", [.null]) == "NULL")
    }

    @Test func jsonInspection() {
        #expect(call("jsonb_array_length", [jsonb("[1,2,[3]]")]) == "3")
        #expect(call("json_array_length", [jsonb("[]")], types: [.json]) == "0")
        #expect(call("jsonb_array_length", [jsonb("{}")]) == "ERROR: cannot get array length of a non-array")
        #expect(call("jsonb_array_length", [jsonb("1")]) == "ERROR: cannot get array length of a scalar")
        for (document, kind) in [("{}", "object"), ("[]", "array"), (#""x""#, "string"), ("1.5", "number"), ("true", "boolean"), ("null", "null")] {
            #expect(call("jsonb_typeof", [jsonb(document)]) == kind)
        }
        #expect(resultType("jsonb_typeof", [.integer]) == "ERROR: function jsonb_typeof(integer) does not exist")
    }

    @Test func arrays() {
        let matrix = SQLValue.array([.array([i(1), i(2)]), .array([i(3), i(4)]), .array([i(5), i(6)])])
        #expect(call("array_length", [.array([i(1), i(2), i(3)]), i(1)], types: [.array(.integer), .integer]) == "3")
        #expect(call("array_length", [matrix, i(2)], types: [.array(.integer), .integer]) == "2")
        #expect(call("array_length", [.array([]), i(1)], types: [.array(.integer), .integer]) == "NULL")
        #expect(call("array_length", [.array([i(1)]), i(2)], types: [.array(.integer), .integer]) == "NULL")
        #expect(call("cardinality", [.array([.array([i(1), i(2)]), .array([i(3), i(4)])])], types: [.array(.integer)]) == "4")
        #expect(call("cardinality", [.array([])], types: [.array(.integer)]) == "0")
        let letters = SQLValue.array([t("a"), t("b"), t("a")])
        #expect(call("array_position", [letters, t("a")], types: [.array(.text), .text]) == "1")
        #expect(call("array_position", [letters, t("a"), i(2)], types: [.array(.text), .text, .integer]) == "3")
        #expect(call("array_position", [.array([i(1), .null]), .null], types: [.array(.integer), .integer]) == "2")
        #expect(call("array_position", [.array([i(1)]), i(5)], types: [.array(.integer), .integer]) == "NULL")
        let withNull = SQLValue.array([i(1), .null, i(3)])
        #expect(call("array_to_string", [withNull, t(",")], types: [.array(.integer), .text]) == "1,3")
        #expect(call("array_to_string", [withNull, t(","), t("*")], types: [.array(.integer), .text, .text]) == "1,*,3")
        #expect(call("array_to_string", [.array([.array([i(1), i(2)]), .array([i(3), i(4)])]), t("-")], types: [.array(.integer), .text]) == "1-2-3-4")
        #expect(call("array_to_string", [.array([.bool(true), .bool(false)]), t(",")], types: [.array(.boolean), .text]) == "t,f")
        #expect(call("string_to_array", [t("a,b,,c"), t(",")]) == #"{a,b,"",c}"#)
        #expect(call("string_to_array", [t("abc"), .null], types: [.text, .text]) == "{a,b,c}")
        #expect(call("string_to_array", [t("abc"), t("")]) == "{abc}")
        #expect(call("string_to_array", [t(""), t(",")]) == "{}")
        #expect(call("string_to_array", [t("a,*,c"), t(","), t("*")]) == "{a,NULL,c}")
        #expect(call("array_append", [.array([i(1), i(2)]), i(3)], types: [.array(.integer), .integer]) == "{1,2,3}")
        #expect(call("array_prepend", [i(0), .array([i(1)])], types: [.integer, .array(.integer)]) == "{0,1}")
        #expect(call("array_cat", [.array([i(1)]), .array([i(2), i(3)])], types: [.array(.integer), .array(.integer)]) == "{1,2,3}")
        #expect(call("array_append", [.null, i(1)], types: [.array(.integer), .integer]) == "{1}")
    }
}
