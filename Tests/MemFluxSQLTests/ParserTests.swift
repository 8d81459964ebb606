// Tests for the SQL parser (Sources/MemFluxSQL/Parser/): exact trees for the
// node shapes and positions, the printer's fully parenthesized text for the
// rest (it shows how every operator was grouped), PostgreSQL's error texts
// with their positions, and hostile input.

import MemFluxCore
import Testing
@testable import MemFluxSQL

/// The statement, printed back (every operator parenthesized).
private func sql(_ text: String) throws(MemFluxError) -> String {
    SQLPrinter.statement(try SQLParser.parse(text).statement)
}

/// The expression in `SELECT <text>`, printed back.
private func expr(_ text: String) throws(MemFluxError) -> String {
    let statement = try SQLParser.parse("SELECT " + text).statement
    guard case .query(let query) = statement, case .select(let select) = query.body, select.items.count == 1,
        case .expression(let e, nil) = select.items[0]
    else { return "not one expression: \(SQLPrinter.statement(statement))" }
    return SQLPrinter.expression(e)
}

/// The expression tree in `SELECT <text>` (positions count from the start of `text`).
private func tree(_ text: String) throws(MemFluxError) -> Expression? {
    let statement = try SQLParser.parse(text).statement
    guard case .query(let query) = statement, case .select(let select) = query.body, select.items.count == 1,
        case .expression(let e, _) = select.items[0]
    else { return nil }
    return e
}

/// The error parsing `text` throws, or nil.
private func failure(_ text: String) -> MemFluxError? {
    do {
        _ = try SQLParser.parse(text)
        return nil
    } catch {
        return error
    }
}

private func syntax(_ message: String, _ position: Int) -> MemFluxError { MemFluxError(.syntax, message, position: position) }

/// Parses, prints, parses the print and prints again: both prints must agree.
private func stable(_ text: String) throws(MemFluxError) -> Bool {
    let once = try sql(text)
    return try sql(once) == once
}

@Suite("SQL parser: expressions")
struct ExpressionTests {
    @Test func literals() throws {
        #expect(try tree("SELECT 42") == Expression(.literal(.int(42)), at: 7))
        #expect(try tree("SELECT 9223372036854775807") == Expression(.literal(.int(Int64.max)), at: 7))
        #expect(try tree("SELECT -9223372036854775808") == Expression(.literal(.int(Int64.min)), at: 7))
        #expect(
            try tree("SELECT 9223372036854775808")
                == Expression(.literal(.numeric(SQLNumeric(isNegative: false, limbs: [854_775_808, 223_372_036, 9], scale: 0))), at: 7))
        #expect(try tree("SELECT 1.5") == Expression(.literal(.numeric(SQLNumeric(isNegative: false, limbs: [15], scale: 1))), at: 7))
        #expect(try tree("SELECT .5") == Expression(.literal(.numeric(SQLNumeric(isNegative: false, limbs: [5], scale: 1))), at: 7))
        #expect(try tree("SELECT 1e3") == Expression(.literal(.numeric(SQLNumeric(isNegative: false, limbs: [1000], scale: 0))), at: 7))
        #expect(try tree("SELECT 1.5e-3") == Expression(.literal(.numeric(SQLNumeric(isNegative: false, limbs: [15], scale: 4))), at: 7))
        #expect(try tree("SELECT 1.50") == Expression(.literal(.numeric(SQLNumeric(isNegative: false, limbs: [150], scale: 2))), at: 7))
        #expect(try tree("SELECT 0.000") == Expression(.literal(.numeric(SQLNumeric(isNegative: false, limbs: [], scale: 3))), at: 7))
        #expect(try tree("SELECT -0.0") == Expression(.literal(.numeric(SQLNumeric(isNegative: false, limbs: [], scale: 1))), at: 7))
        #expect(try tree("SELECT -2.5") == Expression(.literal(.numeric(SQLNumeric(isNegative: true, limbs: [25], scale: 1))), at: 7))
        #expect(
            try tree("SELECT 1234567890123456789.5")
                == Expression(.literal(.numeric(SQLNumeric(isNegative: false, limbs: [234_567_895, 345_678_901, 12], scale: 1))), at: 7))
        #expect(try tree("SELECT 1e9") == Expression(.literal(.numeric(SQLNumeric(isNegative: false, limbs: [0, 1], scale: 0))), at: 7))
        #expect(try tree("SELECT 000123") == Expression(.literal(.int(123)), at: 7))
        #expect(try tree("SELECT 1_000_000") == Expression(.literal(.int(1_000_000)), at: 7))
        #expect(try tree("SELECT 1.e3") == Expression(.literal(.numeric(SQLNumeric(isNegative: false, limbs: [1000], scale: 0))), at: 7))
        #expect(try tree("SELECT 0e999999") == Expression(.literal(.numeric(SQLNumeric(isNegative: false, limbs: [], scale: 0))), at: 7))
        #expect(try tree("SELECT TRUE") == Expression(.literal(.bool(true)), at: 7))
        #expect(try tree("SELECT false") == Expression(.literal(.bool(false)), at: 7))
        #expect(try tree("SELECT NULL") == Expression(.literal(.null), at: 7))
        #expect(try tree("SELECT 'it''s'") == Expression(.string("it's"), at: 7))
        #expect(try tree("SELECT $1") == Expression(.parameter(1), at: 7))
    }

    @Test func numericLimits() throws {
        // 131072 digits before the point and 16383 after, as PostgreSQL's NUMERIC.
        guard case .literal(.numeric(let big))? = try tree("SELECT 1e131071")?.kind else { Issue.record("not numeric"); return }
        #expect(big.limbs.count == 14_564 && big.limbs.last == 10_000 && big.scale == 0)
        guard case .literal(.numeric(let small))? = try tree("SELECT 1e-16383")?.kind else { Issue.record("not numeric"); return }
        #expect(small.limbs == [1] && small.scale == 16_383)
        let overflow = MemFluxError(.err, "value overflows numeric format at line 1, column 8", position: 7)
        #expect(failure("SELECT 1e131072") == overflow)
        #expect(failure("SELECT 1e-16384") == overflow)
        #expect(failure("SELECT 1e99999999999999999999") == overflow)
        #expect(failure("SELECT 0e-20000") == overflow)
    }

    @Test func strings() throws {
        #expect(try tree("SELECT E'a\\nb\\t\\'\\\\'") == Expression(.string("a\nb\t'\\"), at: 7))
        #expect(try tree("SELECT e'\\x41\\101\\u00e9\\U0001F600'") == Expression(.string("AAé😀"), at: 7))
        #expect(try tree("SELECT E'\\uD83D\\uDE00'") == Expression(.string("😀"), at: 7))
        #expect(try tree("SELECT E'\\q'") == Expression(.string("q"), at: 7))
        #expect(try tree("SELECT 'a\\nb'") == Expression(.string("a\\nb"), at: 7))
        #expect(try tree("SELECT $$it's $x$ \\n$$") == Expression(.string("it's $x$ \\n"), at: 7))
        #expect(try tree("SELECT $tag$a$$b$tag$") == Expression(.string("a$$b"), at: 7))
        #expect(try tree("SELECT 'ab'\n  'cd'") == Expression(.string("abcd"), at: 7))
        #expect(try tree("SELECT 'ab' -- c\n -- d\n'cd'") == Expression(.string("abcd"), at: 7))
        #expect(try tree("SELECT 'ab' -- c 'cd'") == Expression(.string("ab"), at: 7))
        #expect(try tree("SELECT 'é''ü'") == Expression(.string("é'ü"), at: 7))
        #expect(try tree("SELECT ''") == Expression(.string(""), at: 7))
    }

    @Test func columnsAndParameters() throws {
        #expect(try tree("SELECT a") == Expression(.column(["a"]), at: 7))
        #expect(try tree("SELECT T.\"Mixed\".C") == Expression(.column(["t", "Mixed", "c"]), at: 7))
        #expect(try tree("SELECT \"a\"\"b\"") == Expression(.column(["a\"b"]), at: 7))
        #expect(try tree("SELECT profile.city") == Expression(.column(["profile", "city"]), at: 7))
        #expect(try tree("SELECT ÉTÉ") == Expression(.column(["ÉtÉ"]), at: 7))  // ASCII-only folding, as PostgreSQL in UTF-8
        #expect(try tree("SELECT t.select") == Expression(.column(["t", "select"]), at: 7))
        #expect(try SQLParser.parse("SELECT $2, $1, $2").parameterCount == 2)
        #expect(try SQLParser.parse("SELECT ?, ?, ?").parameterCount == 3)
        #expect(try tree("SELECT ?") == Expression(.parameter(1), at: 7))
        #expect(try SQLParser.parse("SELECT 1").parameterCount == 0)
        #expect(try expr("?+?") == "($1 + $2)")
    }

    @Test func precedence() throws {
        #expect(try expr("1 + 2 * 3") == "(1 + (2 * 3))")
        #expect(try expr("1 - 2 - 3") == "((1 - 2) - 3)")
        #expect(try expr("2 ^ 3 ^ 2") == "((2 ^ 3) ^ 2)")
        #expect(try expr("- 2 ^ 2") == "(-2 ^ 2)")
        #expect(try expr("-a ^ 2") == "((- a) ^ 2)")
        #expect(try expr("-a::int") == "(- CAST(a AS integer))")
        #expect(try expr("-1::int") == "(- CAST(1 AS integer))")
        #expect(try expr("- -1") == "1")
        #expect(try expr("-(1)") == "-1")
        #expect(try expr("+1") == "(+ 1)")
        #expect(try expr("a * b % c / d") == "(((a * b) % c) / d)")
        #expect(try expr("a || b + c") == "(a || (b + c))")
        #expect(try expr("a || b -> 'x' ->> 'y'") == "(((a || b) -> 'x') ->> 'y')")
        #expect(try expr("a #> b #>> c @> d <@ e") == "((((a #> b) #>> c) @> d) <@ e)")
        #expect(try expr("a ~ b ~* c !~ d !~* e") == "((((a ~ b) ~* c) !~ d) !~* e)")
        #expect(try expr("a = b || c") == "(a = (b || c))")
        #expect(try expr("a < b AND c >= d OR e <> f AND g != h") == "(((a < b) AND (c >= d)) OR ((e <> f) AND (g <> h)))")
        #expect(try expr("a <= b") == "(a <= b)")
        #expect(try expr("a > b") == "(a > b)")
        #expect(try expr("NOT a = b") == "(NOT (a = b))")
        #expect(try expr("NOT a AND b") == "((NOT a) AND b)")
        #expect(try expr("a = NOT b AND c") == "((a = (NOT b)) AND c)")
        #expect(try expr("NOT NOT a") == "(NOT (NOT a))")
        #expect(try expr("a AND b OR c AND d") == "((a AND b) OR (c AND d))")
        #expect(try expr("a OR b OR c") == "((a OR b) OR c)")
        #expect(try expr("a = b IS NULL") == "((a = b) IS NULL)")
        #expect(try expr("a IS NULL = b") == "((a IS NULL) = b)")
        #expect(try expr("a LIKE b = c") == "((a LIKE b) = c)")
        #expect(try expr("a = b LIKE c") == "(a = (b LIKE c))")
        #expect(try expr("a || b LIKE c") == "((a || b) LIKE c)")
        #expect(try expr("a + b BETWEEN c AND d + e") == "((a + b) BETWEEN c AND (d + e))")
        #expect(try expr("1 IN (1) IN (true)") == "((1 IN (1)) IN (TRUE))")
        #expect(try expr("a IS NULL IS NULL") == "((a IS NULL) IS NULL)")
        #expect(try expr("a::int::text") == "CAST(CAST(a AS integer) AS text)")
        #expect(try expr("a[1][2]") == "((a)[1])[2]")
        #expect(try expr("a[1]::int") == "CAST((a)[1] AS integer)")
        #expect(try expr("(a + b) * c") == "((a + b) * c)")
        #expect(try expr("a - -1") == "(a - -1)")
        #expect(try expr("a=-1") == "(a = -1)")
        #expect(try expr("a<>-1") == "(a <> -1)")
        #expect(try expr("a*-b") == "(a * (- b))")
        #expect(failure("SELECT a @>-1") == syntax("syntax error at or near \"@>-\" at line 1, column 10", 9))
    }

    @Test func exactTrees() throws {
        let a = Expression(.column(["a"]), at: 7)
        #expect(
            try tree("SELECT a + 1 * $1")
                == Expression(
                    .binary(.add, a, Expression(.binary(.multiply, Expression(.literal(.int(1)), at: 11), Expression(.parameter(1), at: 15)), at: 11)),
                    at: 7))
        #expect(try tree("SELECT NOT a") == Expression(.unary(.not, Expression(.column(["a"]), at: 11)), at: 7))
        #expect(try tree("SELECT -a") == Expression(.unary(.negate, Expression(.column(["a"]), at: 8)), at: 7))
        #expect(try tree("SELECT a::int") == Expression(.cast(a, .integer), at: 7))
        #expect(try tree("SELECT a IS NOT NULL") == Expression(.isNull(a, negated: true), at: 7))
        #expect(try tree("SELECT a NOTNULL") == Expression(.isNull(a, negated: true), at: 7))
        #expect(try tree("SELECT a ISNULL") == Expression(.isNull(a, negated: false), at: 7))
        #expect(try tree("SELECT a IS TRUE") == Expression(.isTruth(a, true, negated: false), at: 7))
        #expect(try tree("SELECT a IS NOT FALSE") == Expression(.isTruth(a, false, negated: true), at: 7))
        #expect(try tree("SELECT a IS UNKNOWN") == Expression(.isTruth(a, nil, negated: false), at: 7))
        let one = Expression(.literal(.int(1)), at: 29)
        #expect(try tree("SELECT a IS NOT DISTINCT FROM 1") == Expression(.isDistinctFrom(a, Expression(.literal(.int(1)), at: 30), negated: true), at: 7))
        #expect(try tree("SELECT a IS DISTINCT FROM 1") == Expression(.isDistinctFrom(a, Expression(.literal(.int(1)), at: 26), negated: false), at: 7))
        _ = one
        #expect(
            try tree("SELECT a NOT BETWEEN SYMMETRIC 1 AND 2")
                == Expression(
                    .between(a, low: Expression(.literal(.int(1)), at: 31), high: Expression(.literal(.int(2)), at: 37), negated: true, symmetric: true),
                    at: 7))
        #expect(
            try tree("SELECT a ILIKE 'x%' ESCAPE '!'")
                == Expression(
                    .like(a, pattern: Expression(.string("x%"), at: 15), escape: Expression(.string("!"), at: 27), caseInsensitive: true, negated: false),
                    at: 7))
        #expect(
            try tree("SELECT a NOT IN (1, 2)")
                == Expression(.inList(a, [Expression(.literal(.int(1)), at: 17), Expression(.literal(.int(2)), at: 20)], negated: true), at: 7))
        #expect(
            try tree("SELECT (1, 'x')")
                == Expression(.row([Expression(.literal(.int(1)), at: 8), Expression(.string("x"), at: 11)]), at: 7))
        #expect(try tree("SELECT ROW()") == Expression(.row([]), at: 7))
        #expect(try tree("SELECT ROW(1)") == Expression(.row([Expression(.literal(.int(1)), at: 11)]), at: 7))
        #expect(try tree("SELECT CURRENT_DATE") == Expression(.specialFunction(.currentDate), at: 7))
        #expect(try tree("SELECT current_timestamp") == Expression(.specialFunction(.currentTimestamp), at: 7))
        #expect(try tree("SELECT LOCALTIMESTAMP") == Expression(.specialFunction(.localTimestamp), at: 7))
        #expect(try tree("SELECT CURRENT_TIME") == Expression(.specialFunction(.currentTime), at: 7))
        #expect(try tree("SELECT LOCALTIME") == Expression(.specialFunction(.localTime), at: 7))
        #expect(try tree("SELECT DATE '2024-01-01'") == Expression(.typedString(.date, "2024-01-01"), at: 7))
        #expect(try tree("SELECT TIMESTAMP '2024-01-01 00:00'") == Expression(.typedString(.timestamp, "2024-01-01 00:00"), at: 7))
        #expect(try tree("SELECT timestamp with time zone 'x'") == Expression(.typedString(.timestamptz, "x"), at: 7))
        #expect(try tree("SELECT TIME 'x'") == Expression(.typedString(.time, "x"), at: 7))
        #expect(try tree("SELECT int 'x'") == Expression(.typedString(.integer, "x"), at: 7))
        #expect(try tree("SELECT numeric(10, 2) '1.5'") == Expression(.typedString(.numeric(precision: 10, scale: 2), "1.5"), at: 7))
        #expect(try tree("SELECT uuid 'x'") == Expression(.typedString(.uuid, "x"), at: 7))
        #expect(try tree("SELECT jsonb '{}'") == Expression(.typedString(.jsonb, "{}"), at: 7))
        #expect(try tree("SELECT text 'x'") == Expression(.typedString(.text, "x"), at: 7))
        #expect(try tree("SELECT BOOLEAN 't'") == Expression(.typedString(.boolean, "t"), at: 7))
        #expect(try tree("SELECT pg_catalog.int8 '1'") == Expression(.typedString(.bigint, "1"), at: 7))
        #expect(try tree("SELECT ARRAY[]") == Expression(.array([]), at: 7))
        #expect(try tree("SELECT a[1]") == Expression(.element(a, Expression(.literal(.int(1)), at: 9)), at: 7))
        #expect(
            try tree("SELECT count(*)")
                == Expression(.function(FunctionCall(name: ["count"], arguments: [], isStar: true)), at: 7))
        #expect(
            try tree("SELECT pg_catalog.lower(a)")
                == Expression(.function(FunctionCall(name: ["pg_catalog", "lower"], arguments: [Expression(.column(["a"]), at: 24)])), at: 7))
    }

    @Test func specialForms() throws {
        #expect(try expr("CAST(a AS bigint)") == "CAST(a AS bigint)")
        #expect(try expr("CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END") == "CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END")
        #expect(try expr("CASE a WHEN 1 THEN 'x' END") == "CASE a WHEN 1 THEN 'x' END")
        #expect(try expr("EXISTS (SELECT 1)") == "EXISTS (SELECT 1)")
        #expect(try expr("NOT EXISTS (SELECT 1 FROM t)") == "(NOT EXISTS (SELECT 1 FROM t))")
        #expect(try expr("(SELECT max(a) FROM t)") == "(SELECT max(a) FROM t)")
        #expect(try expr("a IN (SELECT b FROM t)") == "(a IN (SELECT b FROM t))")
        #expect(try expr("a NOT IN ((SELECT 1) UNION (SELECT 2))") == "(a NOT IN ((SELECT 1) UNION (SELECT 2)))")
        #expect(try expr("a IN ((SELECT 1), 2)") == "(a IN ((SELECT 1), 2))")
        #expect(try expr("((SELECT 1) + 1)") == "((SELECT 1) + 1)")
        #expect(try expr("((SELECT 1))") == "(SELECT 1)")
        #expect(try expr("((SELECT 1) ORDER BY 1 LIMIT 1)") == "(SELECT 1 ORDER BY 1 LIMIT 1)")
        #expect(try expr("a = ANY (ARRAY[1, 2])") == "(a = ANY (ARRAY[1, 2]))")
        #expect(try expr("a = SOME ($1)") == "(a = ANY ($1))")
        #expect(try expr("a <> ALL (SELECT b FROM t)") == "(a <> ALL (SELECT b FROM t))")
        #expect(try expr("a > ALL ((SELECT 1))") == "(a > ALL (SELECT 1))")
        #expect(try expr("ARRAY[1, 2]") == "ARRAY[1, 2]")
        #expect(try expr("ARRAY[[1, 2], [3]]") == "ARRAY[ARRAY[1, 2], ARRAY[3]]")
        #expect(try expr("ARRAY(SELECT a FROM t)") == "ARRAY(SELECT a FROM t)")
        #expect(try expr("ROW(1, 2)") == "ROW(1, 2)")
        #expect(try expr("(1, 2) = (a, b)") == "(ROW(1, 2) = ROW(a, b))")
        #expect(try expr("count(DISTINCT a)") == "count(DISTINCT a)")
        #expect(try expr("count(ALL a)") == "count(a)")
        #expect(try expr("f()") == "f()")
        #expect(try expr("string_agg(x, ',' ORDER BY y DESC NULLS LAST)") == "string_agg(x, ',' ORDER BY y DESC NULLS LAST)")
        #expect(try expr("count(*) FILTER (WHERE a > 1)") == "count(*) FILTER (WHERE (a > 1))")
        #expect(try expr("sum(a) OVER w") == "sum(a) OVER w")
        #expect(try expr("sum(a) OVER ()") == "sum(a) OVER ()")
        #expect(try expr("sum(a) OVER (w ORDER BY b)") == "sum(a) OVER (\"w\" ORDER BY b)")
        #expect(
            try expr("row_number() OVER (PARTITION BY a, b ORDER BY c ASC NULLS FIRST)")
                == "row_number() OVER (PARTITION BY a, b ORDER BY c NULLS FIRST)")
        #expect(
            try expr("sum(a) OVER (ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)")
                == "sum(a) OVER (ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)")
        #expect(try expr("sum(a) OVER (RANGE BETWEEN 1 PRECEDING AND 2 FOLLOWING EXCLUDE TIES)") == "sum(a) OVER (RANGE BETWEEN 1 PRECEDING AND 2 FOLLOWING EXCLUDE TIES)")
        #expect(try expr("sum(a) OVER (GROUPS 2 PRECEDING EXCLUDE CURRENT ROW)") == "sum(a) OVER (GROUPS 2 PRECEDING EXCLUDE CURRENT ROW)")
        #expect(try expr("sum(a) OVER (ROWS UNBOUNDED PRECEDING EXCLUDE GROUP)") == "sum(a) OVER (ROWS UNBOUNDED PRECEDING EXCLUDE GROUP)")
        #expect(try expr("sum(a) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE NO OTHERS)") == "sum(a) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)")
        #expect(try expr("EXTRACT(YEAR FROM d)") == "\"extract\"('year', d)")
        #expect(try expr("extract(epoch FROM now())") == "\"extract\"('epoch', now())")
        #expect(try expr("EXTRACT('Day' FROM d)") == "\"extract\"('Day', d)")
        #expect(try expr("POSITION('b' IN s)") == "\"position\"(s, 'b')")
        #expect(try expr("SUBSTRING(s FROM 2 FOR 3)") == "\"substring\"(s, 2, 3)")
        #expect(try expr("SUBSTRING(s FROM 2)") == "\"substring\"(s, 2)")
        #expect(try expr("SUBSTRING(s FOR 3)") == "\"substring\"(s, 1, 3)")
        #expect(try expr("SUBSTRING(s FOR 3 FROM 2)") == "\"substring\"(s, 2, 3)")
        #expect(try expr("substring(s, 2, 3)") == "\"substring\"(s, 2, 3)")
        #expect(try expr("TRIM(s)") == "btrim(s)")
        #expect(try expr("TRIM(BOTH 'x' FROM s)") == "btrim(s, 'x')")
        #expect(try expr("TRIM(LEADING FROM s)") == "ltrim(s)")
        #expect(try expr("TRIM(TRAILING 'xy' FROM s)") == "rtrim(s, 'xy')")
        #expect(try expr("TRIM('x' FROM s)") == "btrim(s, 'x')")
        #expect(try expr("trim(s, 'x')") == "btrim(s, 'x')")
        #expect(try expr("COALESCE(a, b, 0)") == "coalesce(a, b, 0)")
        #expect(try expr("NULLIF(a, '')") == "nullif(a, '')")
        #expect(try expr("GREATEST(a, b)") == "greatest(a, b)")
        #expect(try expr("LEAST(a, b)") == "least(a, b)")
        #expect(try expr("NOW()") == "now()")
        #expect(try expr("left('abc', 2)") == "\"left\"('abc', 2)")
        #expect(try expr("a SIMILAR TO 'x%'") == "(a ~ similar_to_escape('x%'))")
        #expect(try expr("a NOT SIMILAR TO 'x' ESCAPE '#'") == "(a !~ similar_to_escape('x', '#'))")
        #expect(try expr("a NOT LIKE 'x'") == "(a NOT LIKE 'x')")
        #expect(try expr("a BETWEEN 1 AND 2") == "(a BETWEEN 1 AND 2)")
        #expect(try expr("a BETWEEN ASYMMETRIC 1 AND 2") == "(a BETWEEN 1 AND 2)")
        #expect(try expr("position") == "\"position\"")
        #expect(try expr("coalesce") == "\"coalesce\"")
        #expect(try expr("exists") == "\"exists\"")
    }

    @Test func types() throws {
        let cases: [(String, SQLType)] = [
            ("smallint", .smallint), ("int2", .smallint), ("integer", .integer), ("int", .integer), ("int4", .integer),
            ("bigint", .bigint), ("int8", .bigint), ("real", .real), ("float4", .real), ("double precision", .double),
            ("float8", .double), ("float", .double), ("float(24)", .real), ("float(25)", .double), ("float(1)", .real),
            ("numeric", .numeric(precision: nil, scale: nil)), ("decimal(10, 2)", .numeric(precision: 10, scale: 2)),
            ("numeric(5)", .numeric(precision: 5, scale: 0)), ("dec(3,-1)", .numeric(precision: 3, scale: -1)),
            ("text", .text), ("varchar", .varchar(nil)), ("varchar(10)", .varchar(10)),
            ("character varying(5)", .varchar(5)), ("char varying", .varchar(nil)), ("char(3)", .char(3)),
            ("character", .char(1)), ("char", .char(1)), ("bpchar", .char(nil)), ("bpchar(4)", .char(4)),
            ("national character varying(2)", .varchar(2)),
            ("boolean", .boolean), ("bool", .boolean), ("timestamp", .timestamp), ("timestamp(3)", .timestamp),
            ("timestamp without time zone", .timestamp), ("timestamptz", .timestamptz),
            ("timestamp with time zone", .timestamptz), ("timestamp(6) with time zone", .timestamptz), ("date", .date),
            ("time", .time), ("time without time zone", .time), ("bytea", .bytea), ("json", .json), ("jsonb", .jsonb),
            ("uuid", .uuid), ("int[]", .array(.integer)), ("int[3]", .array(.integer)), ("text[][]", .array(.array(.text))),
            ("int ARRAY", .array(.integer)), ("int ARRAY[4]", .array(.integer)), ("pg_catalog.int4", .integer),
            ("\"int4\"", .integer), ("varchar(2)[]", .array(.varchar(2))),
        ]
        for (text, type) in cases {
            #expect(try tree("SELECT CAST(a AS \(text))") == Expression(.cast(Expression(.column(["a"]), at: 12), type), at: 7), "\(text)")
        }
        #expect(failure("SELECT a::serial") == MemFluxError(.err, "type \"serial\" does not exist at line 1, column 11", position: 10))
        #expect(failure("SELECT a::foo") == MemFluxError(.err, "type \"foo\" does not exist at line 1, column 11", position: 10))
        #expect(failure("SELECT a::s.foo") == MemFluxError(.err, "type \"s.foo\" does not exist at line 1, column 11", position: 10))
        #expect(failure("SELECT a::interval") == MemFluxError(.err, "type \"interval\" does not exist at line 1, column 11", position: 10))
        #expect(failure("SELECT a::\"INT4\"") == MemFluxError(.err, "type \"INT4\" does not exist at line 1, column 11", position: 10))
        #expect(failure("SELECT a::time with time zone") == MemFluxError(.err, "type \"time with time zone\" does not exist at line 1, column 11", position: 10))
        #expect(failure("SELECT a::float(54)") == MemFluxError(.err, "precision for type float must be less than 54 bits at line 1, column 17", position: 16))
        #expect(failure("SELECT a::float(0)") == MemFluxError(.err, "precision for type float must be at least 1 bit at line 1, column 17", position: 16))
        #expect(failure("SELECT a::numeric(1001)") == MemFluxError(.err, "NUMERIC precision 1001 must be between 1 and 1000 at line 1, column 11", position: 10))
        #expect(failure("SELECT a::numeric(0)") == MemFluxError(.err, "NUMERIC precision 0 must be between 1 and 1000 at line 1, column 11", position: 10))
        #expect(failure("SELECT a::numeric(10, 1001)") == MemFluxError(.err, "NUMERIC scale 1001 must be between -1000 and 1000 at line 1, column 11", position: 10))
        #expect(failure("SELECT a::varchar(0)") == MemFluxError(.err, "length for type varchar must be at least 1 at line 1, column 11", position: 10))
        #expect(failure("SELECT a::char(10485761)") == MemFluxError(.err, "length for type char cannot exceed 10485760 at line 1, column 11", position: 10))
        #expect(failure("SELECT a::int4(3)") == syntax("type modifier is not allowed for type \"int4\" at line 1, column 11", 10))
        #expect(failure("SELECT a::varchar(x)") == syntax("syntax error at or near \"x\" at line 1, column 19", 18))
    }
}

@Suite("SQL parser: queries")
struct QueryTests {
    @Test func select() throws {
        #expect(try sql("SELECT * FROM t") == "SELECT * FROM t")
        #expect(try sql("select t.*, s.t.*, a AS x, b y, c \"Z\", d AS from FROM s.t") == "SELECT t.*, s.t.*, a AS x, b AS y, c AS \"Z\", d AS \"from\" FROM s.t")
        #expect(try sql("SELECT 1 desc") == "SELECT 1 AS \"desc\"")
        #expect(try sql("SELECT DISTINCT a FROM t") == "SELECT DISTINCT a FROM t")
        #expect(try sql("SELECT ALL a FROM t") == "SELECT a FROM t")
        #expect(try sql("SELECT DISTINCT ON (a, b) a, c FROM t") == "SELECT DISTINCT ON (a, b) a, c FROM t")
        #expect(try sql("SELECT FROM t") == "SELECT FROM t")
        #expect(try sql("SELECT") == "SELECT")
        #expect(
            try sql("SELECT a, count(*) FROM t WHERE b > 1 GROUP BY a HAVING count(*) > 2 WINDOW w AS (PARTITION BY a), v AS (\"w\" ORDER BY b)")
                == "SELECT a, count(*) FROM t WHERE (b > 1) GROUP BY a HAVING (count(*) > 2) WINDOW w AS (PARTITION BY a), v AS (\"w\" ORDER BY b)")
        #expect(try sql("SELECT a FROM t ORDER BY a DESC, b ASC NULLS FIRST LIMIT 10 OFFSET 5") == "SELECT a FROM t ORDER BY a DESC, b NULLS FIRST LIMIT 10 OFFSET 5")
        #expect(try sql("SELECT a FROM t OFFSET 5 ROWS LIMIT ALL") == "SELECT a FROM t OFFSET 5")
        #expect(try sql("SELECT a FROM t OFFSET 1 ROW FETCH FIRST 3 ROWS ONLY") == "SELECT a FROM t LIMIT 3 OFFSET 1")
        #expect(try sql("SELECT a FROM t FETCH NEXT ROW ONLY") == "SELECT a FROM t LIMIT 1")
        #expect(try sql("SELECT a FROM t LIMIT $1 OFFSET $2") == "SELECT a FROM t LIMIT $1 OFFSET $2")
        #expect(try sql("VALUES (1, 'a'), (2, 'b')") == "VALUES (1, 'a'), (2, 'b')")
        #expect(try sql("VALUES (1) ORDER BY 1") == "VALUES (1) ORDER BY 1")
        #expect(try sql("(SELECT 1)") == "SELECT 1")
        #expect(try sql("((SELECT 1 ORDER BY 1))") == "SELECT 1 ORDER BY 1")
    }

    @Test func exactSelect() throws {
        let statement = try SQLParser.parse("SELECT a FROM t AS x (c) WHERE a = $1").statement
        let select = Select(
            items: [.expression(Expression(.column(["a"]), at: 7), alias: nil)],
            from: [.table(name: ["t"], alias: TableAlias(name: "x", columns: ["c"]), position: 14)],
            whereClause: Expression(.binary(.equal, Expression(.column(["a"]), at: 31), Expression(.parameter(1), at: 35)), at: 31))
        #expect(statement == .query(Query(body: .select(select), at: 0)))
    }

    @Test func setOperations() throws {
        #expect(try sql("SELECT 1 UNION SELECT 2 UNION ALL SELECT 3") == "((SELECT 1) UNION (SELECT 2)) UNION ALL (SELECT 3)")
        #expect(try sql("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3") == "(SELECT 1) UNION ((SELECT 2) INTERSECT (SELECT 3))")
        #expect(try sql("SELECT 1 INTERSECT SELECT 2 EXCEPT DISTINCT SELECT 3") == "((SELECT 1) INTERSECT (SELECT 2)) EXCEPT (SELECT 3)")
        #expect(try sql("(SELECT 1 UNION SELECT 2) INTERSECT ALL SELECT 3") == "((SELECT 1) UNION (SELECT 2)) INTERSECT ALL (SELECT 3)")
        #expect(try sql("SELECT 1 UNION SELECT 2 ORDER BY 1 LIMIT 1") == "(SELECT 1) UNION (SELECT 2) ORDER BY 1 LIMIT 1")
        #expect(try sql("(SELECT 1 ORDER BY 1 LIMIT 1) UNION (SELECT 2)") == "((SELECT 1 ORDER BY 1 LIMIT 1)) UNION (SELECT 2)")
        #expect(try sql("VALUES (1) EXCEPT VALUES (2)") == "(VALUES (1)) EXCEPT (VALUES (2))")
        #expect(try stable("(SELECT 1 ORDER BY 1 LIMIT 1) UNION (SELECT 2) ORDER BY 1"))
    }

    @Test func with() throws {
        #expect(
            try sql("WITH a AS (SELECT 1), b (x, y) AS NOT MATERIALIZED (SELECT 2, 3) SELECT * FROM a, b")
                == "WITH a AS (SELECT 1), b(x, y) AS (SELECT 2, 3) SELECT * FROM a, b")
        #expect(
            try sql("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT n FROM r")
                == "WITH RECURSIVE r(n) AS ((SELECT 1) UNION ALL (SELECT (n + 1) FROM r WHERE (n < 10))) SELECT n FROM r")
        #expect(try sql("WITH a AS MATERIALIZED (SELECT 1) SELECT * FROM a") == "WITH a AS (SELECT 1) SELECT * FROM a")
        #expect(try sql("(WITH a AS (SELECT 1) SELECT * FROM a) UNION SELECT 2") == "((WITH a AS (SELECT 1) SELECT * FROM a)) UNION (SELECT 2)")
    }

    @Test func from() throws {
        #expect(try sql("SELECT * FROM s.t AS x, u y, v AS w(a, b)") == "SELECT * FROM s.t AS x, u AS y, v AS w(a, b)")
        #expect(try sql("SELECT * FROM (SELECT 1) AS s") == "SELECT * FROM (SELECT 1) AS s")
        #expect(try sql("SELECT * FROM (SELECT 1) s(a)") == "SELECT * FROM (SELECT 1) AS s(a)")
        #expect(try sql("SELECT * FROM (SELECT 1)") == "SELECT * FROM (SELECT 1)")
        #expect(try sql("SELECT * FROM ((SELECT 1) UNION (SELECT 2)) u") == "SELECT * FROM ((SELECT 1) UNION (SELECT 2)) AS u")
        #expect(try sql("SELECT * FROM t, LATERAL (SELECT t.a) l") == "SELECT * FROM t, LATERAL (SELECT t.a) AS l")
        #expect(try sql("SELECT * FROM generate_series(1, 3) AS g(n)") == "SELECT * FROM generate_series(1, 3) AS g(n)")
        #expect(try sql("SELECT * FROM graph_match('(a)-[r]->(b)') g") == "SELECT * FROM graph_match('(a)-[r]->(b)') AS g")
        #expect(try sql("SELECT * FROM t, LATERAL unnest(t.a) u") == "SELECT * FROM t, unnest(t.a) AS u")
        #expect(try sql("SELECT * FROM a JOIN b ON a.x = b.x") == "SELECT * FROM (a JOIN b ON (a.x = b.x))")
        #expect(try sql("SELECT * FROM a INNER JOIN b USING (x, y)") == "SELECT * FROM (a JOIN b USING (x, y))")
        #expect(try sql("SELECT * FROM a LEFT OUTER JOIN b ON TRUE RIGHT JOIN c ON FALSE") == "SELECT * FROM ((a LEFT JOIN b ON TRUE) RIGHT JOIN c ON FALSE)")
        #expect(try sql("SELECT * FROM a FULL JOIN b ON TRUE") == "SELECT * FROM (a FULL JOIN b ON TRUE)")
        #expect(try sql("SELECT * FROM a CROSS JOIN b JOIN c ON TRUE") == "SELECT * FROM ((a CROSS JOIN b) JOIN c ON TRUE)")
        #expect(try sql("SELECT * FROM a NATURAL JOIN b NATURAL LEFT JOIN c") == "SELECT * FROM ((a NATURAL JOIN b) NATURAL LEFT JOIN c)")
        #expect(try sql("SELECT * FROM a JOIN b JOIN c ON x ON y") == "SELECT * FROM (a JOIN (b JOIN c ON x) ON y)")
        #expect(try sql("SELECT * FROM (a JOIN b ON x) JOIN c ON y") == "SELECT * FROM ((a JOIN b ON x) JOIN c ON y)")
        #expect(try sql("SELECT * FROM a, (b CROSS JOIN c)") == "SELECT * FROM a, (b CROSS JOIN c)")
        #expect(try sql("SELECT * FROM t AS \"Select\"") == "SELECT * FROM t AS \"Select\"")
        let statement = try SQLParser.parse("SELECT * FROM a LEFT JOIN b ON TRUE").statement
        guard case .query(let q) = statement, case .select(let s) = q.body else { Issue.record("not a select"); return }
        #expect(
            s.from == [
                .join(
                    .left, .table(name: ["a"], alias: nil, position: 14), .table(name: ["b"], alias: nil, position: 26),
                    .on(Expression(.literal(.bool(true)), at: 31)), position: 16)
            ])
    }
}

@Suite("SQL parser: statements")
struct StatementTests {
    @Test func insert() throws {
        #expect(try sql("INSERT INTO t VALUES (1, DEFAULT), (2, 'x')") == "INSERT INTO t VALUES (1, DEFAULT), (2, 'x')")
        #expect(try sql("INSERT INTO s.t AS x (a, b) VALUES ($1, $2) RETURNING *, a + 1 AS b") == "INSERT INTO s.t AS x (a, b) VALUES ($1, $2) RETURNING *, (a + 1) AS b")
        #expect(try sql("INSERT INTO t (a) SELECT b FROM u") == "INSERT INTO t (a) SELECT b FROM u")
        #expect(try sql("INSERT INTO t (SELECT b FROM u)") == "INSERT INTO t SELECT b FROM u")
        #expect(try sql("INSERT INTO t VALUES (1) ORDER BY 1") == "INSERT INTO t VALUES (1) ORDER BY 1")
        #expect(try sql("INSERT INTO t DEFAULT VALUES") == "INSERT INTO t DEFAULT VALUES")
        #expect(try sql("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING") == "INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING")
        #expect(
            try sql("INSERT INTO t VALUES (1, 2) ON CONFLICT (a) DO UPDATE SET b = excluded.b, (c, d) = (1, DEFAULT), e = DEFAULT WHERE t.b < 3 RETURNING a")
                == "INSERT INTO t VALUES (1, 2) ON CONFLICT (a) DO UPDATE SET b = excluded.b, c = 1, d = DEFAULT, e = DEFAULT WHERE (t.b < 3) RETURNING a")
        #expect(try sql("INSERT INTO t VALUES (1) ON CONFLICT (a, b) DO UPDATE SET (x) = ROW(2)") == "INSERT INTO t VALUES (1) ON CONFLICT (a, b) DO UPDATE SET x = 2")
        let statement = try SQLParser.parse("INSERT INTO t (a) VALUES (DEFAULT)").statement
        #expect(statement == .insert(Insert(table: ["t"], columns: ["a"], source: .values([[Expression(.defaultValue, at: 26)]]), at: 0)))
    }

    @Test func updateAndDelete() throws {
        #expect(try sql("UPDATE t SET a = 1, b.c = b.c + 1 WHERE id = $1") == "UPDATE t SET a = 1, b.c = (b.c + 1) WHERE (id = $1)")
        #expect(try sql("UPDATE t x SET a = DEFAULT FROM u WHERE x.id = u.id RETURNING x.*") == "UPDATE t AS x SET a = DEFAULT FROM u WHERE (x.id = u.id) RETURNING x.*")
        #expect(try sql("UPDATE t AS set SET (a, b) = (1, 2)") == "UPDATE t AS set SET a = 1, b = 2")
        #expect(try sql("DELETE FROM t") == "DELETE FROM t")
        #expect(try sql("DELETE FROM s.t AS x USING u, v WHERE x.a = u.a RETURNING *") == "DELETE FROM s.t AS x USING u, v WHERE (x.a = u.a) RETURNING *")
        #expect(try sql("DELETE FROM t y WHERE y.a") == "DELETE FROM t AS y WHERE y.a")
        let statement = try SQLParser.parse("UPDATE t SET (a, b) = (1, 2)").statement
        #expect(
            statement
                == .update(
                    Update(
                        table: ["t"], alias: nil,
                        assignments: [
                            Assignment(column: ["a"], value: Expression(.literal(.int(1)), at: 23), at: 13),
                            Assignment(column: ["b"], value: Expression(.literal(.int(2)), at: 26), at: 13),
                        ], whereClause: nil, at: 0)))
    }

    @Test func createTable() throws {
        #expect(
            try sql(
                """
                CREATE TABLE IF NOT EXISTS s.t (
                    id bigserial PRIMARY KEY,
                    name varchar(20) NOT NULL UNIQUE,
                    n int NULL DEFAULT 0 CHECK (n >= 0),
                    p int CONSTRAINT fk REFERENCES parent (id) ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,
                    q int REFERENCES other ON DELETE SET DEFAULT ON UPDATE RESTRICT NOT DEFERRABLE INITIALLY IMMEDIATE,
                    r serial, s smallserial, d numeric(10, 2) DEFAULT 1.5 NOT NULL,
                    CONSTRAINT pk PRIMARY KEY (id, name),
                    UNIQUE (name),
                    CHECK (n < 100),
                    FOREIGN KEY (p, q) REFERENCES parent (a, b) ON DELETE NO ACTION
                )
                """)
                == "CREATE TABLE IF NOT EXISTS s.t (id bigint PRIMARY KEY, name varchar(20) NOT NULL UNIQUE, n integer NULL DEFAULT 0 CHECK ((n >= 0)), p integer CONSTRAINT fk REFERENCES parent (id) ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED, q integer REFERENCES other ON DELETE SET DEFAULT ON UPDATE RESTRICT, r integer, s smallint, d numeric(10, 2) DEFAULT 1.5 NOT NULL, CONSTRAINT pk PRIMARY KEY (id, name), UNIQUE (name), CHECK ((n < 100)), FOREIGN KEY (p, q) REFERENCES parent (a, b))"
        )
        #expect(try sql("CREATE TABLE t ()") == "CREATE TABLE t ()")
        #expect(try sql("CREATE TABLE t (a int REFERENCES p INITIALLY DEFERRED)") == "CREATE TABLE t (a integer REFERENCES p DEFERRABLE INITIALLY DEFERRED)")
        let statement = try SQLParser.parse("CREATE TABLE t (a int DEFAULT 1)").statement
        #expect(
            statement
                == .createTable(
                    CreateTable(
                        name: ["t"], ifNotExists: false,
                        columns: [ColumnDefinition(name: "a", type: .integer, constraints: [ColumnConstraint(kind: .defaultValue(Expression(.literal(.int(1)), at: 30)))], at: 16)],
                        constraints: [], at: 0)))
    }

    @Test func otherDDL() throws {
        #expect(try sql("DROP TABLE IF EXISTS a, s.b CASCADE") == "DROP TABLE IF EXISTS a, s.b CASCADE")
        #expect(try sql("DROP TABLE a RESTRICT") == "DROP TABLE a")
        #expect(try sql("TRUNCATE TABLE a, b") == "TRUNCATE a, b")
        #expect(try sql("TRUNCATE a") == "TRUNCATE a")
        #expect(try sql("ALTER TABLE IF EXISTS t ADD COLUMN IF NOT EXISTS c int NOT NULL DEFAULT 1") == "ALTER TABLE IF EXISTS t ADD COLUMN IF NOT EXISTS c integer NOT NULL DEFAULT 1")
        #expect(try sql("ALTER TABLE t ADD c text") == "ALTER TABLE t ADD COLUMN c text")
        #expect(try sql("ALTER TABLE t DROP COLUMN IF EXISTS c") == "ALTER TABLE t DROP COLUMN IF EXISTS c")
        #expect(try sql("ALTER TABLE t DROP c") == "ALTER TABLE t DROP COLUMN c")
        #expect(try sql("ALTER TABLE t RENAME COLUMN a TO b") == "ALTER TABLE t RENAME COLUMN a TO b")
        #expect(try sql("ALTER TABLE t RENAME a TO b") == "ALTER TABLE t RENAME COLUMN a TO b")
        #expect(try sql("ALTER TABLE t RENAME TO u") == "ALTER TABLE t RENAME TO u")
        #expect(try sql("ALTER TABLE t ADD CONSTRAINT u UNIQUE (a)") == "ALTER TABLE t ADD CONSTRAINT u UNIQUE (a)")
        #expect(try sql("ALTER TABLE t ADD PRIMARY KEY (a)") == "ALTER TABLE t ADD PRIMARY KEY (a)")
        #expect(try sql("ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u") == "ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u")
        #expect(try sql("ALTER TABLE t DROP CONSTRAINT IF EXISTS u") == "ALTER TABLE t DROP CONSTRAINT IF EXISTS u")
        #expect(try sql("ALTER TABLE t ALTER COLUMN a SET DEFAULT 5") == "ALTER TABLE t ALTER COLUMN a SET DEFAULT 5")
        #expect(try sql("ALTER TABLE t ALTER a DROP DEFAULT") == "ALTER TABLE t ALTER COLUMN a DROP DEFAULT")
        #expect(try sql("ALTER TABLE t ALTER a SET NOT NULL") == "ALTER TABLE t ALTER COLUMN a SET NOT NULL")
        #expect(try sql("ALTER TABLE t ALTER a DROP NOT NULL") == "ALTER TABLE t ALTER COLUMN a DROP NOT NULL")
        #expect(try sql("ALTER TABLE t ALTER a SET DATA TYPE bigint") == "ALTER TABLE t ALTER COLUMN a TYPE bigint")
        #expect(try sql("ALTER TABLE t ALTER COLUMN a TYPE text USING a::text") == "ALTER TABLE t ALTER COLUMN a TYPE text USING CAST(a AS text)")
        #expect(try sql("CREATE UNIQUE INDEX IF NOT EXISTS i ON s.t USING hash (a, (lower(b)), c::text)") == "CREATE UNIQUE INDEX IF NOT EXISTS i ON s.t USING hash ((a), (lower(b)), (CAST(c AS text)))")
        #expect(try sql("CREATE INDEX ON t (a)") == "CREATE INDEX ON t ((a))")
        #expect(try sql("CREATE INDEX i ON t USING btree (a ASC)") == "CREATE INDEX i ON t USING btree ((a))")
        #expect(try sql("DROP INDEX IF EXISTS i, s.j") == "DROP INDEX IF EXISTS i, s.j")
        #expect(try sql("CREATE OR REPLACE VIEW v (a, b) AS SELECT 1, 2") == "CREATE OR REPLACE VIEW v (a, b) AS SELECT 1, 2")
        #expect(try sql("CREATE VIEW s.v AS VALUES (1)") == "CREATE VIEW s.v AS VALUES (1)")
        #expect(try sql("DROP VIEW IF EXISTS v, w") == "DROP VIEW IF EXISTS v, w")
        #expect(try sql("CREATE SCHEMA IF NOT EXISTS s") == "CREATE SCHEMA IF NOT EXISTS s")
        #expect(try sql("DROP SCHEMA IF EXISTS s, t CASCADE") == "DROP SCHEMA IF EXISTS s, t CASCADE")
        #expect(failure("CREATE INDEX i ON t USING gin (a)") == MemFluxError(.err, "access method \"gin\" does not exist at line 1, column 27", position: 26))
    }

    @Test func transactions() throws {
        let cases: [(String, Statement)] = [
            ("BEGIN", .begin(nil)), ("begin work", .begin(nil)), ("BEGIN TRANSACTION", .begin(nil)),
            ("BEGIN ISOLATION LEVEL SERIALIZABLE", .begin(.serializable)),
            ("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ", .begin(.snapshot)),
            ("START TRANSACTION ISOLATION LEVEL READ COMMITTED", .begin(.snapshot)),
            ("START TRANSACTION ISOLATION LEVEL READ UNCOMMITTED, READ WRITE", .begin(.snapshot)),
            ("BEGIN ISOLATION LEVEL SNAPSHOT", .begin(.snapshot)), ("START TRANSACTION", .begin(nil)),
            ("BEGIN READ WRITE ISOLATION LEVEL SERIALIZABLE", .begin(.serializable)),
            ("COMMIT", .commit), ("COMMIT WORK", .commit), ("END", .commit), ("END TRANSACTION", .commit),
            ("ROLLBACK", .rollback), ("ROLLBACK TRANSACTION", .rollback), ("ABORT", .rollback), ("ABORT WORK", .rollback),
            ("SAVEPOINT s1", .savepoint("s1")), ("ROLLBACK TO s1", .rollbackToSavepoint("s1")),
            ("ROLLBACK WORK TO SAVEPOINT \"S\"", .rollbackToSavepoint("S")), ("RELEASE s1", .releaseSavepoint("s1")),
            ("RELEASE SAVEPOINT s1", .releaseSavepoint("s1")),
        ]
        for (text, statement) in cases {
            #expect(try SQLParser.parse(text).statement == statement, "\(text)")
        }
    }

    @Test func explain() throws {
        #expect(try sql("EXPLAIN SELECT 1") == "EXPLAIN SELECT 1")
        #expect(try sql("EXPLAIN ANALYZE DELETE FROM t") == "EXPLAIN ANALYZE DELETE FROM t")
        #expect(try sql("explain analyse select 1") == "EXPLAIN ANALYZE SELECT 1")
    }

    @Test func statementBoundaries() throws {
        #expect(try sql("SELECT 1;") == "SELECT 1")
        #expect(try sql("  SELECT 1 ; ; -- done\n /* c */ ") == "SELECT 1")
        #expect(try sql("/* a /* nested */ comment */ SELECT 1") == "SELECT 1")
        #expect(failure("SELECT 1; SELECT 2") == syntax("syntax error at or near \";\" at line 1, column 9", 8))
        #expect(failure("SELECT 1;;x") == syntax("syntax error at or near \";\" at line 1, column 9", 8))
        // NULLS is a keyword only before FIRST or LAST, as in PostgreSQL's lexer.
        #expect(failure("SELECT a FROM t ORDER BY a DESC NULLS") == syntax("syntax error at or near \"NULLS\" at line 1, column 33", 32))
        #expect(failure("SELECT a FROM t ORDER BY a NULLS x") == syntax("syntax error at or near \"NULLS\" at line 1, column 28", 27))
        #expect(failure("") == syntax("syntax error at end of input at line 1, column 1", 0))
        #expect(failure(" -- nothing") == syntax("syntax error at end of input at line 1, column 12", 11))
        #expect(failure(";") == syntax("syntax error at or near \";\" at line 1, column 1", 0))
    }
}

@Suite("SQL parser: errors")
struct ErrorTests {
    @Test func syntaxErrors() throws {
        #expect(failure("SELECT * FORM t") == syntax("syntax error at or near \"FORM\" at line 1, column 10", 9))
        #expect(failure("SELECT (1") == syntax("syntax error at end of input at line 1, column 10", 9))
        #expect(failure("SELECT (1   ") == syntax("syntax error at end of input at line 1, column 13", 12))
        #expect(failure("SELECT 1 +") == syntax("syntax error at end of input at line 1, column 11", 10))
        #expect(failure("SELECT 1\nFROM t\n  WHER x") == syntax("syntax error at or near \"x\" at line 3, column 8", 23))
        #expect(failure("SELECT 'é' AS x FORM t") == syntax("syntax error at or near \"FORM\" at line 1, column 17", 17))
        #expect(failure("SELECT 'é' FORM t") == syntax("syntax error at or near \"t\" at line 1, column 17", 17))
        #expect(failure("SELECT 'ab' 'cd'") == syntax("syntax error at or near \"'cd'\" at line 1, column 13", 12))
        #expect(failure("SELECT 1 < 2 < 3") == syntax("syntax error at or near \"<\" at line 1, column 14", 13))
        #expect(failure("SELECT 1 = 2 = 3") == syntax("syntax error at or near \"=\" at line 1, column 14", 13))
        #expect(failure("SELECT 1 BETWEEN 0 AND 2 BETWEEN 0 AND 1") == syntax("syntax error at or near \"BETWEEN\" at line 1, column 26", 25))
        #expect(failure("SELECT 1 LIKE 'a' NOT LIKE 'b'") == syntax("syntax error at or near \"NOT\" at line 1, column 19", 18))
        #expect(failure("SELECT 1 FROM t AS select") == syntax("syntax error at or near \"select\" at line 1, column 20", 19))
        #expect(failure("SELECT x FROM t AS left") == syntax("syntax error at or near \"left\" at line 1, column 20", 19))
        #expect(failure("SELECT left FROM t") == syntax("syntax error at or near \"left\" at line 1, column 8", 7))
        #expect(failure("SELECT 1 from") == syntax("syntax error at end of input at line 1, column 14", 13))
        #expect(failure("SELECT a && b") == syntax("syntax error at or near \"&&\" at line 1, column 10", 9))
        #expect(failure("SELECT 1..2") == syntax("syntax error at or near \"..\" at line 1, column 9", 8))
        #expect(failure("SELECT $1$2") == syntax("syntax error at or near \"$2\" at line 1, column 10", 9))
        #expect(failure("SELECT $ FROM t") == syntax("syntax error at or near \"$\" at line 1, column 8", 7))
        #expect(failure("SELECT a FROM t WHERE $abc") == syntax("syntax error at or near \"$\" at line 1, column 23", 22))
        #expect(failure("SELEC 'abc") == syntax("syntax error at or near \"SELEC\" at line 1, column 1", 0))
        #expect(failure("SELECT 1 \\ 2") == syntax("syntax error at or near \"\\\" at line 1, column 10", 9))
        #expect(failure("SELECT DEFAULT") == syntax("DEFAULT is not allowed in this context at line 1, column 8", 7))
        #expect(failure("SELECT 1 LIMIT 1, 2") == syntax("LIMIT #,# syntax is not supported at line 1, column 10", 9))
        #expect(failure("VALUES (1), (1, 2)") == syntax("VALUES lists must all be the same length at line 1, column 14", 13))
        #expect(failure("INSERT INTO t VALUES (1) ON CONFLICT DO UPDATE SET a = 1") == syntax("ON CONFLICT DO UPDATE requires inference specification or constraint name at line 1, column 26", 25))
        let multiple = "source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression"
        #expect(failure("UPDATE t SET (a, b) = (1)") == MemFluxError(.err, multiple + " at line 1, column 24", position: 23))
        #expect(failure("UPDATE t SET (a) = (1)") == MemFluxError(.err, multiple + " at line 1, column 21", position: 20))
        #expect(failure("UPDATE t SET (a, b) = 1") == MemFluxError(.err, multiple + " at line 1, column 23", position: 22))
        #expect(failure("UPDATE t SET (a, b) = (SELECT 1, 2)") == MemFluxError(.err, multiple + " at line 1, column 23", position: 22))
        #expect(failure("UPDATE t SET (a, b) = (1, 2, 3)") == syntax("number of columns does not match number of values at line 1, column 23", 22))
        #expect(failure("UPDATE t SET (a, b) = ROW(1)") == syntax("number of columns does not match number of values at line 1, column 23", 22))
        #expect(try sql("UPDATE t SET (a) = ROW(1)") == "UPDATE t SET a = 1")
        #expect(failure("INSERT INTO t VALUES (DEFAULT + 1)") == syntax("DEFAULT is not allowed in this context at line 1, column 23", 22))
        #expect(failure("UPDATE t SET a = DEFAULT IS NULL") == syntax("DEFAULT is not allowed in this context at line 1, column 18", 17))
        #expect(failure("SELECT * FROM a.b.c.d") == syntax("improper qualified name (too many dotted names): a.b.c.d at line 1, column 15", 14))
        #expect(failure("CREATE TABLE t (a int REFERENCES p NOT DEFERRABLE INITIALLY DEFERRED)") == syntax("constraint declared INITIALLY DEFERRED must be DEFERRABLE at line 1, column 51", 50))
        #expect(failure("BEGIN ISOLATION LEVEL foo") == syntax("syntax error at or near \"foo\" at line 1, column 23", 22))
        #expect(failure("SELECT a FROM t JOIN u") == syntax("syntax error at end of input at line 1, column 23", 22))
        #expect(failure("SELECT a = ANY (1, 2)") == syntax("syntax error at or near \",\" at line 1, column 18", 17))
        #expect(failure("SELECT f(") == syntax("syntax error at end of input at line 1, column 10", 9))
        #expect(failure("SELECT x IN ()") == syntax("syntax error at or near \")\" at line 1, column 14", 13))
    }

    @Test func windowFrameErrors() {
        // The position is the offending bound's, as PostgreSQL reports it.
        func frame(_ text: String) -> MemFluxError? { failure("SELECT f() OVER (\(text))") }
        func windowing(_ message: String, _ offset: Int) -> MemFluxError {
            MemFluxError(.err, message + " at line 1, column \(18 + offset)", position: 17 + offset)
        }
        #expect(frame("ROWS UNBOUNDED FOLLOWING") == windowing("frame start cannot be UNBOUNDED FOLLOWING", 5))
        #expect(frame("ROWS 1 FOLLOWING") == windowing("frame starting from following row cannot end with current row", 5))
        #expect(frame("ROWS BETWEEN CURRENT ROW AND UNBOUNDED PRECEDING") == windowing("frame end cannot be UNBOUNDED PRECEDING", 29))
        #expect(frame("ROWS BETWEEN CURRENT ROW AND 1 PRECEDING") == windowing("frame starting from current row cannot have preceding rows", 29))
        #expect(frame("ROWS BETWEEN 1 FOLLOWING AND CURRENT ROW") == windowing("frame starting from following row cannot have preceding rows", 29))
        #expect(frame("ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW") == windowing("frame start cannot be UNBOUNDED FOLLOWING", 13))
    }

    @Test func lexicalErrors() {
        #expect(failure("SELECT 'abc") == syntax("unterminated quoted string at or near \"'abc\" at line 1, column 8", 7))
        #expect(failure("SELECT E'abc") == syntax("unterminated quoted string at or near \"E'abc\" at line 1, column 8", 7))
        #expect(failure("SELECT E'abc\\'") == syntax("unterminated quoted string at or near \"E'abc\\'\" at line 1, column 8", 7))
        #expect(failure("SELECT /* abc") == syntax("unterminated /* comment at or near \"/* abc\" at line 1, column 8", 7))
        #expect(failure("SELECT /* a /* b */ c") == syntax("unterminated /* comment at or near \"/* a /* b */ c\" at line 1, column 8", 7))
        #expect(failure("SELECT \"\"") == syntax("zero-length delimited identifier at or near \"\"\"\" at line 1, column 8", 7))
        #expect(failure("SELECT \"abc") == syntax("unterminated quoted identifier at or near \"\"abc\" at line 1, column 8", 7))
        #expect(failure("SELECT 1a") == syntax("trailing junk after numeric literal at or near \"1a\" at line 1, column 8", 7))
        #expect(failure("SELECT 1abc") == syntax("trailing junk after numeric literal at or near \"1abc\" at line 1, column 8", 7))
        #expect(failure("SELECT 1.5e") == syntax("trailing junk after numeric literal at or near \"1.5e\" at line 1, column 8", 7))
        #expect(failure("SELECT .5ex") == syntax("trailing junk after numeric literal at or near \".5ex\" at line 1, column 8", 7))
        #expect(failure("SELECT 1_") == syntax("trailing junk after numeric literal at or near \"1_\" at line 1, column 8", 7))
        #expect(failure("SELECT 1__0") == syntax("trailing junk after numeric literal at or near \"1__0\" at line 1, column 8", 7))
        #expect(failure("SELECT $1a") == syntax("trailing junk after parameter at or near \"$1a\" at line 1, column 8", 7))
        #expect(failure("SELECT $$abc") == syntax("unterminated dollar-quoted string at or near \"$$abc\" at line 1, column 8", 7))
        #expect(failure("SELECT $x$abc$y$") == syntax("unterminated dollar-quoted string at or near \"$x$abc$y$\" at line 1, column 8", 7))
        #expect(failure("SELECT $0") == MemFluxError(.err, "there is no parameter $0 at line 1, column 8", position: 7))
        #expect(failure("SELECT $65536") == syntax("parameter number too large at or near \"$65536\" at line 1, column 8", 7))
        #expect(failure("SELECT $1, ?") == syntax("syntax error at or near \"?\" at line 1, column 12", 11))
        #expect(failure("SELECT ?, $1") == syntax("syntax error at or near \"$1\" at line 1, column 11", 10))
        #expect(failure("SELECT E'\\xff'") == MemFluxError(.err, "invalid byte sequence for encoding \"UTF8\": 0xff at line 1, column 8", position: 7))
        #expect(failure("SELECT E'\\000'") == MemFluxError(.err, "invalid byte sequence for encoding \"UTF8\": 0x0 at line 1, column 8", position: 7))
        #expect(failure("SELECT E'\\xc3\\x28'") == MemFluxError(.err, "invalid byte sequence for encoding \"UTF8\": 0xc3 0x28 at line 1, column 8", position: 7))
        #expect(failure("SELECT E'\\u0000'") == syntax("invalid Unicode escape value at or near \"\\u0000\" at line 1, column 10", 9))
        #expect(failure("SELECT E'\\u12'") == MemFluxError(.err, "invalid Unicode escape at line 1, column 10", position: 9))
        #expect(failure("SELECT E'\\uD800'") == syntax("invalid Unicode surrogate pair at or near \"'\" at line 1, column 16", 15))
        #expect(failure("SELECT E'\\uDC00'") == syntax("invalid Unicode surrogate pair at or near \"\\uDC00\" at line 1, column 10", 9))
        #expect(failure("SELECT E'\\U00110000'") == syntax("invalid Unicode escape value at or near \"\\U00110000\" at line 1, column 10", 9))
        // A syntax error before the lexical error wins, as in PostgreSQL.
        #expect(failure("SELECT 1 2 'abc") == syntax("syntax error at or near \"2\" at line 1, column 10", 9))
    }

    @Test func depthLimits() {
        let depth = MemFluxError(.err, "stack depth limit exceeded")
        func stackDepth(_ text: String) -> Bool {
            guard let error = failure(text) else { return false }
            return error.code == depth.code && error.message == depth.message
        }
        #expect(try! expr(String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300)) == "1")
        #expect(try! expr(String(repeating: "(", count: 990) + "1" + String(repeating: ")", count: 990)) == "1")
        // Deep enough to leave the caller's stack for a thread of its own (in any build), yet within the limit.
        let calls = String(repeating: "f(", count: 900) + "1" + String(repeating: ")", count: 900)
        #expect(try! expr(calls).hasPrefix("f(f(f("))
        let subqueries = String(repeating: "(SELECT ", count: 300) + "1" + String(repeating: ")", count: 300)
        #expect(try! expr(subqueries).hasPrefix("(SELECT (SELECT "))
        #expect(try! expr(String(repeating: "NOT ", count: 990) + "TRUE").hasPrefix("(NOT (NOT "))
        #expect(stackDepth("SELECT " + String(repeating: "(", count: 1001) + "1" + String(repeating: ")", count: 1001)))
        #expect(stackDepth("SELECT " + String(repeating: "(", count: 100_000)))
        #expect(stackDepth("SELECT " + String(repeating: "NOT ", count: 5000) + "TRUE"))
        #expect(stackDepth("SELECT " + String(repeating: "- ", count: 5000) + "a"))
        #expect(stackDepth("SELECT " + Array(repeating: "1", count: 5000).joined(separator: " + ")))
        #expect(stackDepth("SELECT " + Array(repeating: "a", count: 5000).joined(separator: " OR ")))
        #expect(stackDepth("SELECT a" + String(repeating: "::int", count: 5000)))
        #expect(stackDepth("SELECT a" + String(repeating: "[1]", count: 5000)))
        #expect(stackDepth(Array(repeating: "SELECT 1", count: 5000).joined(separator: " UNION ")))
        #expect(stackDepth("SELECT * FROM a" + String(repeating: " JOIN a ON TRUE", count: 5000)))
        #expect(stackDepth("SELECT * FROM a" + String(repeating: " CROSS JOIN a", count: 5000)))
        #expect(stackDepth("SELECT " + String(repeating: "ARRAY[", count: 5000)))
        #expect(stackDepth("SELECT " + String(repeating: "f(", count: 5000)))
        #expect(stackDepth("SELECT " + String(repeating: "(SELECT ", count: 5000)))
        #expect(stackDepth("SELECT * FROM " + String(repeating: "(", count: 5000) + "a"))
        #expect(stackDepth(String(repeating: "EXPLAIN ", count: 5000) + "SELECT 1"))
        #expect(stackDepth("SELECT " + String(repeating: "CASE WHEN ", count: 5000)))
        #expect(stackDepth("SELECT " + String(repeating: "f(1) + ", count: 1) + Array(repeating: "f(1 + 1 + 1)", count: 2000).joined(separator: " * ")))
        // A tall tree hidden inside a call still counts.
        let chain = Array(repeating: "1", count: 600).joined(separator: " + ")
        #expect(stackDepth("SELECT f(\(chain)) + " + chain))
        #expect(failure("SELECT " + Array(repeating: "1", count: 900).joined(separator: " + ")) == nil)
    }
}
