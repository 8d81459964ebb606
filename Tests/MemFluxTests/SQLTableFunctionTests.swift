// Functions in FROM end to end: generate_series over integers, numerics and
// timestamps (PostgreSQL's zero-step and overload errors, the edge of the
// integer range), unnest of one array or several zipped, scalar functions as
// one-row tables, column names from aliases, and functions and LATERAL
// subqueries reading earlier FROM items.

import Testing
@testable import MemFlux
import MemFluxCore

@Suite struct SQLTableFunctionTests: HarnessSuite {
    let h: Harness

    init() throws {
        h = try Harness()
        #expect(sql("CREATE TABLE post (id INTEGER PRIMARY KEY, tags TEXT[])") == .ok)
        #expect(sql("INSERT INTO post VALUES (1, ARRAY['x', 'y']), (2, ARRAY['z']), (3, NULL)") == .integer(3))
    }

    @Test func integerSeries() {
        #expect(sql("SELECT * FROM generate_series(1, 3)") == rows(
            #"{"generate_series":1}"#, #"{"generate_series":2}"#, #"{"generate_series":3}"#))
        #expect(sql("SELECT * FROM generate_series(1, 10, 4) AS s") == rows(#"{"s":1}"#, #"{"s":5}"#, #"{"s":9}"#))
        #expect(sql("SELECT n FROM generate_series(5, 1, -2) AS s(n)") == rows(#"{"n":5}"#, #"{"n":3}"#, #"{"n":1}"#))
        #expect(sql("SELECT * FROM generate_series(3, 1)") == rows())
        #expect(sql("SELECT * FROM generate_series(1, NULL)") == rows())
        // The last step would pass the type's end: the series stops instead of overflowing.
        #expect(sql("SELECT * FROM generate_series(9223372036854775806, 9223372036854775807, 5)") == rows(
            #"{"generate_series":9223372036854775806}"#))
        #expect(sql("SELECT count(*), sum(g) FROM generate_series(1, 100000) g") == rows(#"{"count":100000,"sum":5000050000}"#))
        #expect(sql("SELECT * FROM generate_series(1, 1000000000000) LIMIT 2") == rows(#"{"generate_series":1}"#, #"{"generate_series":2}"#))
    }

    @Test func numericAndTimestampSeries() {
        #expect(sql("SELECT * FROM generate_series(1.0, 2, 0.5) g") == rows(#"{"g":1.0}"#, #"{"g":1.5}"#, #"{"g":2.0}"#))
        // Months clamp to the month's last day, as PostgreSQL adds them.
        #expect(sql("SELECT * FROM generate_series('2024-01-31'::timestamp, '2024-04-30'::timestamp, '1 month') d") == rows(
            #"{"d":"2024-01-31T00:00:00"}"#, #"{"d":"2024-02-29T00:00:00"}"#, #"{"d":"2024-03-29T00:00:00"}"#, #"{"d":"2024-04-29T00:00:00"}"#))
        #expect(sql("SELECT * FROM generate_series('2024-01-01 00:00'::timestamp, '2024-01-01 02:00'::timestamp, '1 hour 30 minutes') d") == rows(
            #"{"d":"2024-01-01T00:00:00"}"#, #"{"d":"2024-01-01T01:30:00"}"#))
        #expect(sql("SELECT * FROM generate_series('2024-01-02'::timestamptz, '2024-01-01'::timestamptz, '-1 day') d") == rows(
            #"{"d":"2024-01-02T00:00:00+00:00"}"#, #"{"d":"2024-01-01T00:00:00+00:00"}"#))
        #expect(sql("SELECT * FROM generate_series('2024-01-01'::date, '2024-01-02'::date, '1 day') d") == rows(
            #"{"d":"2024-01-01T00:00:00+00:00"}"#, #"{"d":"2024-01-02T00:00:00+00:00"}"#))
    }

    @Test func seriesErrors() {
        #expect(failure("SELECT * FROM generate_series(1, 3, 0)") == "step size cannot equal zero")
        #expect(failure("SELECT * FROM generate_series(1.0, 3, 0.0)") == "step size cannot equal zero")
        #expect(failure("SELECT * FROM generate_series('2024-01-01'::timestamp, '2024-01-02'::timestamp, '0 days')") == "step size cannot equal zero")
        #expect(failure("SELECT * FROM generate_series('2024-01-01'::timestamp, '2024-01-02'::timestamp, 'soon')") ==
            #"invalid input syntax for type interval: "soon""#)
        #expect(failure("SELECT * FROM generate_series('2024-01-01'::timestamp, '2024-01-02'::timestamp)") == "function generate_series(timestamp without time zone, timestamp without time zone) does not exist")
        #expect(failure("SELECT * FROM generate_series(1.5::float8, 3)") == "function generate_series(double precision, integer) does not exist")
        #expect(failure("SELECT * FROM generate_series(1)") == "function generate_series(integer) does not exist")
    }

    @Test func unnestAndScalarFunctions() {
        #expect(sql("SELECT * FROM unnest(ARRAY[1, 2])") == rows(#"{"unnest":1}"#, #"{"unnest":2}"#))
        #expect(sql("SELECT * FROM unnest(ARRAY[1, 2], ARRAY['a', 'b', 'c']) AS t(n, s)") == rows(
            #"{"n":1,"s":"a"}"#, #"{"n":2,"s":"b"}"#, #"{"n":null,"s":"c"}"#))
        #expect(sql("SELECT * FROM unnest(ARRAY[ARRAY[1, 2], ARRAY[3, 4]]) AS u") == rows(#"{"u":1}"#, #"{"u":2}"#, #"{"u":3}"#, #"{"u":4}"#))
        #expect(sql("SELECT * FROM unnest(NULL::int[])") == rows())
        #expect(failure("SELECT * FROM unnest(5)") == "function unnest(integer) does not exist")
        #expect(failure("SELECT * FROM unnest('{1,2}')") == "function unnest(unknown) is not unique")
        #expect(sql("SELECT * FROM lower('ABC')") == rows(#"{"lower":"abc"}"#))
        #expect(sql("SELECT x FROM upper('b') AS u(x)") == rows(#"{"x":"B"}"#))
        #expect(failure("SELECT * FROM nosuchfunction(1)") == "function nosuchfunction(integer) does not exist")
        #expect(failure("SELECT * FROM count(*)") == "aggregate functions are not allowed in functions in FROM")
        #expect(failure("SELECT * FROM unnest(ARRAY[1]) AS t(a, b)") == "table \"t\" has 1 columns available but 2 columns specified")
        #expect(failure("SELECT * FROM graph_match('(a)') AS g") == "function graph_match in FROM is not supported yet")
    }

    @Test func functionsAndLateralSubqueriesReadEarlierItems() {
        #expect(sql("SELECT id, tag FROM post, unnest(post.tags) AS tag ORDER BY id, tag") == rows(
            #"{"id":1,"tag":"x"}"#, #"{"id":1,"tag":"y"}"#, #"{"id":2,"tag":"z"}"#))
        #expect(sql("SELECT id, tag FROM post LEFT JOIN LATERAL unnest(tags) AS tag ON true ORDER BY id, tag") == rows(
            #"{"id":1,"tag":"x"}"#, #"{"id":1,"tag":"y"}"#, #"{"id":2,"tag":"z"}"#, #"{"id":3,"tag":null}"#))
        #expect(sql("SELECT g, h FROM generate_series(1, 3) g, generate_series(g, 2) h ORDER BY g, h") == rows(
            #"{"g":1,"h":1}"#, #"{"g":1,"h":2}"#, #"{"g":2,"h":2}"#))
        #expect(sql("SELECT id, s.x FROM post, LATERAL (SELECT post.id * 10 AS x) s ORDER BY id") == rows(
            #"{"id":1,"x":10}"#, #"{"id":2,"x":20}"#, #"{"id":3,"x":30}"#))
        // Inside a correlated subquery the function reads the outer row, with a lateral join of its own below it.
        #expect(sql("""
            SELECT id, (SELECT max(x) FROM generate_series(1, p.id) g JOIN LATERAL (SELECT g * p.id AS x) y ON true) AS top
            FROM post p ORDER BY id
            """) == rows(#"{"id":1,"top":1}"#, #"{"id":2,"top":4}"#, #"{"id":3,"top":9}"#))
        #expect(failure("SELECT id FROM post RIGHT JOIN unnest(post.tags) u ON true") == "the combining JOIN type must be INNER or LEFT for a LATERAL reference")
        #expect(sql("EXPLAIN SELECT id, tag FROM post, unnest(post.tags) AS tag") == bulks(
            "Project (2 columns)", "  -> LateralJoin (inner)", "    -> TableScan on post", "    -> FunctionScan on unnest"))
    }

    @Test func correlatedValuesReadTheOuterRow() {
        #expect(sql("SELECT id, (VALUES (p.id + 1)) AS next FROM post p ORDER BY id") == rows(
            #"{"id":1,"next":2}"#, #"{"id":2,"next":3}"#, #"{"id":3,"next":4}"#))
        #expect(sql("SELECT id FROM post WHERE id < 3 UNION SELECT id FROM post WHERE id > 1 ORDER BY id") == rows(
            #"{"id":1}"#, #"{"id":2}"#, #"{"id":3}"#))
    }
}
