// Window functions end to end: ranking, offsets, frames (ROWS, RANGE,
// GROUPS, EXCLUDE), aggregates over windows (running, sliding, NUMERIC
// scales), named windows, grouped queries, parameters, EXPLAIN and
// PostgreSQL's errors. Expected rows are PostgreSQL 15's answers.

import Testing
@testable import MemFlux
import MemFluxCore

@Suite struct SQLWindowTests: HarnessSuite {
    let h: Harness

    init() throws {
        h = try Harness()
        #expect(sql("CREATE TABLE w (id INTEGER PRIMARY KEY, g TEXT, v INTEGER, n NUMERIC)") == .ok)
        #expect(sql("INSERT INTO w VALUES (1, 'a', 10, 1.5), (2, 'a', 20, 2.25), (3, 'a', 20, 1), (4, 'b', NULL, 3.125), (5, 'b', 5, 2)") == .integer(5))
    }

    /// The error reply's text.
    func failure(_ text: String) -> String { sql(text).description }

    @Test func ranking() {
        #expect(sql("SELECT id, row_number() OVER (ORDER BY v DESC, id) AS rn, rank() OVER (ORDER BY v) AS r, dense_rank() OVER (ORDER BY v) AS dr FROM w ORDER BY id") == bulks(
            #"{"id":1,"rn":4,"r":2,"dr":2}"#, #"{"id":2,"rn":2,"r":3,"dr":3}"#, #"{"id":3,"rn":3,"r":3,"dr":3}"#,
            #"{"id":4,"rn":1,"r":5,"dr":4}"#, #"{"id":5,"rn":5,"r":1,"dr":1}"#))
        #expect(sql("SELECT id, percent_rank() OVER (ORDER BY v) AS pr, cume_dist() OVER (ORDER BY v) AS cd, ntile(2) OVER (ORDER BY id) AS t FROM w ORDER BY id") == bulks(
            #"{"id":1,"pr":0.25,"cd":0.4,"t":1}"#, #"{"id":2,"pr":0.5,"cd":0.8,"t":1}"#, #"{"id":3,"pr":0.5,"cd":0.8,"t":1}"#,
            #"{"id":4,"pr":1,"cd":1,"t":2}"#, #"{"id":5,"pr":0,"cd":0.2,"t":2}"#))
        // Ordered by a window function that is not in the select list.
        #expect(sql("SELECT id FROM w ORDER BY row_number() OVER (ORDER BY n DESC)") == bulks(
            #"{"id":4}"#, #"{"id":2}"#, #"{"id":5}"#, #"{"id":1}"#, #"{"id":3}"#))
    }

    @Test func offsets() {
        #expect(sql("SELECT id, lag(v) OVER (ORDER BY id) AS prev, lead(v, 2, -1) OVER (ORDER BY id) AS next2, lag(id, -1) OVER (PARTITION BY g ORDER BY id) AS ahead FROM w ORDER BY id") == bulks(
            #"{"id":1,"prev":null,"next2":20,"ahead":2}"#, #"{"id":2,"prev":10,"next2":null,"ahead":3}"#,
            #"{"id":3,"prev":20,"next2":5,"ahead":null}"#, #"{"id":4,"prev":20,"next2":-1,"ahead":5}"#,
            #"{"id":5,"prev":null,"next2":-1,"ahead":null}"#))
        #expect(sql("SELECT id, first_value(id) OVER f AS first, last_value(id) OVER f AS last, nth_value(id, 2) OVER f AS second FROM w WINDOW f AS (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) ORDER BY id") == bulks(
            #"{"id":1,"first":2,"last":2,"second":null}"#, #"{"id":2,"first":1,"last":3,"second":3}"#,
            #"{"id":3,"first":2,"last":4,"second":4}"#, #"{"id":4,"first":3,"last":5,"second":5}"#,
            #"{"id":5,"first":4,"last":4,"second":null}"#))
    }

    @Test func aggregatesOverFrames() {
        // The default frame takes peers along (ids 2, 3 and 4 end with the same sum); NULLs sort last.
        #expect(sql("SELECT id, sum(v) OVER (ORDER BY v) AS running, count(*) OVER (PARTITION BY g) AS n, sum(v) OVER (ORDER BY id ROWS 1 PRECEDING) AS pair FROM w ORDER BY id") == bulks(
            #"{"id":1,"running":15,"n":3,"pair":10}"#, #"{"id":2,"running":55,"n":3,"pair":30}"#,
            #"{"id":3,"running":55,"n":3,"pair":40}"#, #"{"id":4,"running":55,"n":2,"pair":20}"#,
            #"{"id":5,"running":5,"n":2,"pair":5}"#))
        // RANGE reaches NULL keys from NULL keys only; GROUPS counts peer groups, TIES keeps the current row.
        #expect(sql("SELECT id, count(*) OVER (ORDER BY v RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING) AS near, sum(id) OVER (ORDER BY v GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE TIES) AS g FROM w ORDER BY id") == bulks(
            #"{"id":1,"near":2,"g":6}"#, #"{"id":2,"near":2,"g":3}"#, #"{"id":3,"near":2,"g":4}"#,
            #"{"id":4,"near":1,"g":9}"#, #"{"id":5,"near":2,"g":5}"#))
        #expect(sql("SELECT id, string_agg(g, '') OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS gs, array_agg(v) OVER (PARTITION BY g ORDER BY id DESC) AS vs FROM w ORDER BY id") == bulks(
            #"{"id":1,"gs":"a","vs":[20,20,10]}"#, #"{"id":2,"gs":"aa","vs":[20,20]}"#, #"{"id":3,"gs":"aaa","vs":[20]}"#,
            #"{"id":4,"gs":"aaab","vs":[5,null]}"#, #"{"id":5,"gs":"aaabb","vs":[5]}"#))
        #expect(sql("SELECT id, count(*) FILTER (WHERE v > 10) OVER (ORDER BY id) AS big FROM w ORDER BY id") == bulks(
            #"{"id":1,"big":0}"#, #"{"id":2,"big":1}"#, #"{"id":3,"big":2}"#, #"{"id":4,"big":2}"#, #"{"id":5,"big":2}"#))
    }

    @Test func slidingNumericSumKeepsTheScaleOfTheRowsInTheFrame() {
        // Rows leave the running sum by subtraction; 3.125 leaving takes the sum back to scale 0.
        #expect(sql("SELECT id, sum(n) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s, avg(n) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS a FROM (VALUES (1, 1.5), (2, 2.25), (3, 1), (4, 3.125), (5, 2), (6, 4)) t(id, n) ORDER BY id") == bulks(
            #"{"id":1,"s":1.5,"a":1.50000000000000000000}"#, #"{"id":2,"s":3.75,"a":1.8750000000000000}"#,
            #"{"id":3,"s":3.25,"a":1.6250000000000000}"#, #"{"id":4,"s":4.125,"a":2.0625000000000000}"#,
            #"{"id":5,"s":5.125,"a":2.5625000000000000}"#, #"{"id":6,"s":6,"a":3.0000000000000000}"#))
    }

    @Test func groupedQueriesRankTheirAggregates() {
        #expect(sql("SELECT g, sum(v) AS total, rank() OVER (ORDER BY sum(v) DESC) AS r, sum(count(*)) OVER () AS everyone FROM w GROUP BY g ORDER BY g") == bulks(
            #"{"g":"a","total":50,"r":1,"everyone":5}"#, #"{"g":"b","total":5,"r":2,"everyone":5}"#))
    }

    @Test func frameOffsetsTakeParameters() {
        #expect(run("SQL.EXEC", "SELECT id, sum(v) OVER (ORDER BY id ROWS BETWEEN $1 PRECEDING AND CURRENT ROW) AS s FROM w ORDER BY id", "2") == bulks(
            #"{"id":1,"s":10}"#, #"{"id":2,"s":30}"#, #"{"id":3,"s":50}"#, #"{"id":4,"s":40}"#, #"{"id":5,"s":25}"#))
        #expect(run("SQL.EXEC", "SELECT id, sum(v) OVER (ORDER BY id ROWS BETWEEN $1 PRECEDING AND CURRENT ROW) FROM w", "-1").description
            == "(error) ERR frame starting offset must not be negative")
    }

    @Test func schemalessRows() {
        #expect(run("JSON.SET", "doc:1", "$", #"{"k":"a","x":1}"#) == .ok)
        #expect(run("JSON.SET", "doc:2", "$", #"{"k":"a","x":3}"#) == .ok)
        #expect(run("JSON.SET", "doc:3", "$", #"{"k":"b","x":2}"#) == .ok)
        #expect(sql("SELECT id, row_number() OVER (PARTITION BY k ORDER BY id) AS rn, sum(x) OVER (ORDER BY id ROWS 1 PRECEDING) AS s FROM doc ORDER BY id") == bulks(
            #"{"id":"1","rn":1,"s":1}"#, #"{"id":"2","rn":2,"s":4}"#, #"{"id":"3","rn":1,"s":5}"#))
    }

    @Test func explainShowsOneSortPerWindowOrder() {
        #expect(sql("EXPLAIN SELECT id, rank() OVER (ORDER BY v), sum(v) OVER (ORDER BY v ROWS 1 PRECEDING), lag(v) OVER (PARTITION BY g) FROM w ORDER BY id") == bulks(
            "Project (4 columns)", "  -> Sort", "    -> Window (3 functions, 2 sorts)", "      -> TableScan on w"))
    }

    @Test func errors() {
        #expect(failure("SELECT id FROM w WHERE row_number() OVER (ORDER BY id) = 1") == "(error) ERR window functions are not allowed in WHERE")
        #expect(failure("SELECT g FROM w GROUP BY g HAVING rank() OVER () > 1") == "(error) ERR window functions are not allowed in HAVING")
        #expect(failure("SELECT rank() FROM w") == "(error) ERR window function rank requires an OVER clause")
        #expect(failure("SELECT lag(rank() OVER ()) OVER () FROM w") == "(error) ERR window function calls cannot be nested")
        #expect(failure("SELECT sum(rank() OVER ()) FROM w") == "(error) ERR aggregate function calls cannot contain window function calls")
        #expect(failure("SELECT lower(g) OVER () FROM w") == "(error) ERR OVER specified, but lower is not a window function nor an aggregate function")
        #expect(failure("SELECT count(DISTINCT v) OVER () FROM w") == "(error) ERR DISTINCT is not implemented for window functions")
        #expect(failure("SELECT row_number() OVER w2 FROM w") == #"(error) ERR window "w2" does not exist"#)
        #expect(failure("SELECT sum(v) OVER (w ORDER BY id) FROM w WINDOW w AS (ORDER BY v)") == #"(error) ERR cannot override ORDER BY clause of window "w""#)
        #expect(failure("SELECT sum(v) OVER (ORDER BY g RANGE 1 PRECEDING) FROM w") == "(error) ERR RANGE with offset PRECEDING/FOLLOWING is not supported for column type text")
        #expect(failure("SELECT sum(v) OVER (ORDER BY id, v RANGE 1 PRECEDING) FROM w") == "(error) ERR RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column")
        #expect(failure("SELECT sum(v) OVER (GROUPS 1 PRECEDING) FROM w") == "(error) ERR GROUPS mode requires an ORDER BY clause")
        #expect(failure("SELECT sum(v) OVER (ORDER BY id ROWS BETWEEN id PRECEDING AND CURRENT ROW) FROM w") == "(error) ERR argument of ROWS must not contain variables")
        #expect(failure("SELECT sum(v) OVER (ORDER BY id ROWS BETWEEN -1 PRECEDING AND CURRENT ROW) FROM w") == "(error) ERR frame starting offset must not be negative")
        #expect(failure("SELECT sum(v) OVER (ORDER BY v RANGE -1 PRECEDING) FROM w") == "(error) ERR invalid preceding or following size in window function")
        #expect(failure("SELECT ntile(0) OVER () FROM w") == "(error) ERR argument of ntile must be greater than zero")
    }
}
