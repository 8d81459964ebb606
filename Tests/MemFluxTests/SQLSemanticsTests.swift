// SQL value semantics end to end, as PostgreSQL 15 answers (tests/sql's
// types.sql, case_cast.sql, operators.sql, nulls.sql and the other corpus
// files compare the same with the differential harness): NUMERIC's special
// values, character(n), output column names, how untyped literals take their
// context's type, operator type errors, constant folding that PostgreSQL
// would not do, and infinite dates.

import Testing
@testable import MemFlux
import MemFluxCore

@Suite struct SQLSemanticsTests: HarnessSuite {
    let h: Harness

    init() throws { h = try Harness() }

    /// The error text without its position, as PostgreSQL's first line reads.
    func failure(_ text: String) -> String? {
        if case .error(let error) = sql(text) { return error.message }
        return nil
    }

    @Test func numericSpecialValues() {
        #expect(sql("CREATE TABLE n (id INTEGER PRIMARY KEY, v NUMERIC)") == .ok)
        #expect(sql("INSERT INTO n VALUES (1, 'NaN'), (2, '-Infinity'), (3, 1.5), (4, 'inf')") == .integer(4))
        #expect(sql("SELECT id, v FROM n ORDER BY v") == rows(
            #"{"id":2,"v":"-Infinity"}"#, #"{"id":3,"v":1.5}"#, #"{"id":4,"v":"Infinity"}"#, #"{"id":1,"v":"NaN"}"#))
        #expect(sql("SELECT id FROM n WHERE v = 'NaN'::numeric") == rows(#"{"id":1}"#))
        #expect(sql("SELECT count(DISTINCT v) AS c FROM n WHERE id = 1 OR v = 'NaN'") == rows(#"{"c":1}"#))
        #expect(sql("SELECT 'NaN'::numeric + 1 AS a, 'Infinity'::numeric - 'Infinity'::numeric AS b, 5 / 'Infinity'::numeric AS c")
            == rows(#"{"a":"NaN","b":"NaN","c":0}"#))
        #expect(sql("SELECT 'NaN'::float8::numeric AS a, '-Infinity'::numeric::float8 AS b") == rows(#"{"a":"NaN","b":"-Infinity"}"#))
        #expect(failure("SELECT 'NaN'::numeric::int") == "cannot convert NaN to integer")
        #expect(failure("SELECT 'Infinity'::numeric(5,2)") == "numeric field overflow")
        // Stored typed rows keep the special values through JSON.GET too.
        #expect(run("JSON.GET", "n:2") == bulk(#"{"id":2,"v":"-Infinity"}"#))
    }

    @Test func outputNames() {
        #expect(sql("SELECT '3.7'::numeric::int, 1.50::text, '{1}'::int[], CASE WHEN true THEN 1 END, ARRAY[1]::text[]") == rows(
            #"{"int4":4,"text":"1.50","int4":[1],"case":1,"array":["1"]}"#))
        #expect(sql("SELECT CASE WHEN true THEN 'x' ELSE id END FROM (VALUES ('y')) AS v(id)") == rows(#"{"id":"x"}"#))
    }

    @Test func characterTypesIgnoreTheirPadding() {
        #expect(sql("CREATE TABLE c (id INTEGER PRIMARY KEY, ch CHAR(4), vc VARCHAR(8))") == .ok)
        #expect(sql("INSERT INTO c VALUES (1, 'ab', 'ab')") == .integer(1))
        #expect(sql("SELECT ch, length(ch) AS len, ch || '|' AS piped, ch::text AS t, ch = vc AS eq, ch LIKE 'ab' AS padded FROM c")
            == rows(#"{"ch":"ab  ","len":2,"piped":"ab|","t":"ab","eq":true,"padded":false}"#))
        #expect(failure("INSERT INTO c (id, vc) VALUES (2, 'nine char')") == "value too long for type character varying(8)")
        #expect(failure("INSERT INTO c (id, ch) VALUES (2, 'fives')") == "value too long for type character(4)")
    }

    @Test func untypedLiteralsTakeTheirContextsType() {
        #expect(failure("SELECT CASE WHEN true THEN 1 ELSE 'x' END") == #"invalid input syntax for type integer: "x""#)
        #expect(failure("SELECT CASE WHEN true THEN 1 ELSE false END") == "CASE types boolean and integer cannot be matched")
        #expect(failure("SELECT greatest(1, 'a')") == #"invalid input syntax for type integer: "a""#)
        #expect(failure("SELECT round(1.5, 'x')") == #"invalid input syntax for type integer: "x""#)
        #expect(failure("SELECT round('abc')") == #"invalid input syntax for type double precision: "abc""#)
        #expect(failure("SELECT 'a' - 'b'") == "operator is not unique: unknown - unknown")
        #expect(failure("SELECT extract(year FROM 'abc')") == "function pg_catalog.extract(unknown, unknown) is not unique")
        #expect(sql("SELECT coalesce(NULL, NULL, 3) AS a, coalesce(1.50, 0) AS b, coalesce(NULL::numeric(5,2), 0) AS c") == rows(
            #"{"a":3,"b":1.50,"c":0}"#))
    }

    @Test func operatorTypeErrors() {
        #expect(failure("SELECT 1 || 2") == "operator does not exist: integer || integer")
        #expect(failure("SELECT true < 1") == "operator does not exist: boolean < integer")
        #expect(failure("SELECT 'x'::text BETWEEN 1 AND 2") == "operator does not exist: text >= integer")
        #expect(failure("SELECT 5 LIKE '5'") == "operator does not exist: integer ~~ unknown")
        #expect(failure("SELECT 5 NOT ILIKE 'x'") == "operator does not exist: integer !~~* unknown")
        #expect(failure("SELECT 'x'::text -> 'y'") == "operator does not exist: text -> unknown")
        #expect(failure("SELECT abs(-2147483647 - 1)") == "integer out of range")
        #expect(failure("SELECT -'1'") == "operator is not unique: - unknown")
        #expect(failure("SELECT -'x'::text") == "operator does not exist: - text")
    }

    @Test func foldingStopsWherePostgreSQLsDoes() {
        #expect(sql("SELECT coalesce(1, 1 / 0) AS a, CASE WHEN true THEN 2 ELSE 1 / 0 END AS b, CASE WHEN false THEN 1 / 0 ELSE 3 END AS c")
            == rows(#"{"a":1,"b":2,"c":3}"#))
        #expect(failure("SELECT coalesce(NULL, 1 / 0)") == "division by zero")
    }

    @Test func infiniteDates() {
        #expect(sql("SELECT 'infinity'::timestamp AS a, '-infinity'::date AS b, 'epoch'::date AS c, '-infinity'::date::timestamp AS d")
            == rows(#"{"a":"infinity","b":"-infinity","c":"1970-01-01","d":"-infinity"}"#))
        #expect(sql("SELECT 'infinity'::date + 1 AS a, 'infinity'::date > '9999-12-31'::date AS b, 'infinity'::timestamp = 'infinity'::date AS c")
            == rows(#"{"a":"infinity","b":true,"c":true}"#))
        #expect(failure("SELECT 'infinity'::date - '2024-01-01'::date") == "cannot subtract infinite dates")
    }

    @Test func namesAndScopes() {
        #expect(sql("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER)") == .ok)
        #expect(sql("INSERT INTO t VALUES (1, 1, 2), (2, NULL, 1)") == .integer(2))
        #expect(sql("SELECT a FROM t UNION SELECT b FROM t ORDER BY 1") == rows(#"{"a":1}"#, #"{"a":2}"#, #"{"a":null}"#))
        #expect(failure("SELECT t.a FROM t x") == #"invalid reference to FROM-clause entry for table "t""#)
        #expect(failure("SELECT u.a FROM t x") == #"missing FROM-clause entry for table "u""#)
        #expect(sql("SELECT position('lo' IN 'hello') AS p, position('helloo' IN 'hello') AS q") == rows(#"{"p":4,"q":0}"#))
    }

    @Test func typeErrorsCarryTheirPosition() {
        guard case .error(let error) = sql("SELECT 1 + 'x'") else {
            Issue.record("no error")
            return
        }
        #expect(error.message == #"invalid input syntax for type integer: "x""#)
        #expect(error.position == 7)
    }
}
