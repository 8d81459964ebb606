// WITH and WITH RECURSIVE end to end: column lists, shadowing, a query read
// twice computed once, WITH inside subqueries; recursive walks down and up a
// tree, a cyclic graph ended by UNION, PostgreSQL's errors for misplaced
// self-references and widened column types, and the bounds on a runaway
// recursion. Also the unknown-relation error the binder gives FROM items.

import Testing
@testable import MemFlux
import MemFluxCore

@Suite struct SQLWithTests: HarnessSuite {
    let h: Harness

    init() throws {
        h = try Harness()
        #expect(sql("CREATE TABLE staff (id INTEGER PRIMARY KEY, name TEXT, boss INTEGER)") == .ok)
        #expect(sql("INSERT INTO staff VALUES (1, 'Ann', NULL), (2, 'Bob', 1), (3, 'Cy', 1), (4, 'Di', 2), (5, 'Ed', 4)") == .integer(5))
        #expect(sql("CREATE TABLE edge (src TEXT, dst TEXT, PRIMARY KEY (src, dst))") == .ok)
        #expect(sql("INSERT INTO edge VALUES ('a', 'b'), ('b', 'c'), ('c', 'a'), ('c', 'd')") == .integer(4))
    }

    @Test func columnListsShadowingAndNesting() {
        #expect(sql("WITH c(x, y) AS (VALUES (1, 2), (3, 4)) SELECT x + y AS s FROM c ORDER BY s") == rows(#"{"s":3}"#, #"{"s":7}"#))
        #expect(sql("WITH staff AS (SELECT 7 AS id) SELECT * FROM staff") == rows(#"{"id":7}"#))
        // Inside its own definition a plain WITH name still means the table.
        #expect(sql("WITH staff AS (SELECT count(*) AS n FROM staff) SELECT n FROM staff") == rows(#"{"n":5}"#))
        #expect(sql("SELECT (WITH q AS (SELECT 3 AS v) SELECT v FROM q) AS w") == rows(#"{"w":3}"#))
        #expect(sql("SELECT v FROM (WITH q AS (SELECT 2 AS v) SELECT v FROM q) s") == rows(#"{"v":2}"#))
        #expect(sql("WITH a AS (SELECT 1 AS n), b AS (SELECT n + 1 AS n FROM a) SELECT a.n, b.n AS m FROM a, b") == rows(#"{"n":1,"m":2}"#))
    }

    @Test func aQueryReadTwiceIsComputedOnce() {
        #expect(sql("WITH q AS (SELECT id FROM staff WHERE id < 3) SELECT a.id, b.id AS other FROM q a JOIN q b ON b.id > a.id") == rows(
            #"{"id":1,"other":2}"#))
        #expect(sql("EXPLAIN WITH q AS (SELECT id FROM staff) SELECT count(*) FROM q, q r") == bulks(
            "Project (1 columns)", "  -> Aggregate", "    -> NestedLoopJoin (cross)",
            "      -> CTEScan on q (materialized)", "        -> Project (1 columns)", "          -> TableScan on staff",
            "      -> CTEScan on q (materialized)", "        -> Project (1 columns)", "          -> TableScan on staff"))
        #expect(sql("EXPLAIN WITH q AS (SELECT id FROM staff) SELECT id FROM q") == bulks(
            "Project (1 columns)", "  -> CTEScan on q", "    -> Project (1 columns)", "      -> TableScan on staff"))
    }

    @Test func withErrors() {
        #expect(failure("WITH a AS (SELECT 1) SELECT * FROM b") == #"relation "b" does not exist"#)
        #expect(failure("WITH a AS (SELECT 1 AS x), a AS (SELECT 2 AS x) SELECT * FROM a") == #"WITH query name "a" specified more than once"#)
        #expect(failure("WITH c(x, y) AS (SELECT 1) SELECT * FROM c") == #"WITH query "c" has 1 columns available but 2 columns specified"#)
        // Without RECURSIVE a query cannot read itself, and an unread query is still checked.
        #expect(failure("WITH r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r) SELECT * FROM r") == #"relation "r" does not exist"#)
        #expect(failure("WITH a AS (SELECT nope FROM staff) SELECT 1") == #"column "nope" does not exist"#)
    }

    @Test func recursiveWalks() {
        #expect(sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) SELECT sum(i), count(*) FROM n") == rows(
            #"{"sum":5050,"count":100}"#))
        #expect(sql("""
            WITH RECURSIVE down AS (SELECT id, name, 0 AS depth FROM staff WHERE id = 2
            UNION ALL SELECT s.id, s.name, d.depth + 1 FROM staff s JOIN down d ON s.boss = d.id)
            SELECT name, depth FROM down ORDER BY depth
            """) == rows(#"{"name":"Bob","depth":0}"#, #"{"name":"Di","depth":1}"#, #"{"name":"Ed","depth":2}"#))
        #expect(sql("""
            WITH RECURSIVE up AS (SELECT id, boss, name::text AS path FROM staff WHERE id = 5
            UNION ALL SELECT s.id, s.boss, u.path || '<' || s.name FROM staff s JOIN up u ON s.id = u.boss)
            SELECT path FROM up WHERE boss IS NULL
            """) == rows(#"{"path":"Ed<Di<Bob<Ann"}"#))
        #expect(sql("WITH RECURSIVE t(n, trail) AS (SELECT 1, ARRAY[1] UNION ALL SELECT n + 1, trail || (n + 1) FROM t WHERE n < 3) SELECT trail FROM t WHERE n = 3") == rows(
            #"{"trail":[1,2,3]}"#))
        #expect(sql("WITH RECURSIVE r(n) AS (SELECT 1 WHERE false UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r") == rows(#"{"count":0}"#))
    }

    @Test func unionEndsACycleAndLimitEndsAnEndlessRecursion() {
        #expect(sql("""
            WITH RECURSIVE reach(node) AS (SELECT 'a'::text UNION SELECT e.dst FROM edge e JOIN reach r ON e.src = r.node)
            SELECT node FROM reach ORDER BY node
            """) == rows(#"{"node":"a"}"#, #"{"node":"b"}"#, #"{"node":"c"}"#, #"{"node":"d"}"#))
        #expect(sql("WITH RECURSIVE t(n) AS (SELECT 1 UNION SELECT 10 - n FROM t) SELECT n FROM t ORDER BY n") == rows(#"{"n":1}"#, #"{"n":9}"#))
        #expect(sql("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT n FROM t LIMIT 3") == rows(
            #"{"n":1}"#, #"{"n":2}"#, #"{"n":3}"#))
    }

    @Test func recursiveQueryReadTwiceAndOtherItemsInAnyOrder() {
        #expect(sql("""
            WITH RECURSIVE pairs AS (SELECT a.i, b.i AS j FROM nums a JOIN nums b ON b.i = a.i + 1),
            nums(i) AS (VALUES (1) UNION ALL SELECT i + 1 FROM nums WHERE i < 3)
            SELECT i, j FROM pairs ORDER BY i
            """) == rows(#"{"i":1,"j":2}"#, #"{"i":2,"j":3}"#))
        #expect(failure("WITH RECURSIVE a AS (SELECT * FROM b), b AS (SELECT * FROM a) SELECT * FROM a") == "mutual recursion between WITH items is not implemented")
    }

    @Test func misplacedSelfReferences() {
        func recursive(_ body: String) -> String { failure("WITH RECURSIVE r(n) AS (\(body)) SELECT * FROM r") }
        #expect(recursive("SELECT n FROM r") ==
            #"recursive query "r" does not have the form non-recursive-term UNION [ALL] recursive-term"#)
        #expect(recursive("SELECT n FROM r UNION ALL SELECT 1") ==
            #"recursive reference to query "r" must not appear within its non-recursive term"#)
        #expect(recursive("SELECT 1 UNION ALL SELECT n + 1 FROM r, r r2") ==
            #"recursive reference to query "r" must not appear more than once"#)
        #expect(recursive("SELECT 1 UNION ALL SELECT 2 WHERE EXISTS (SELECT 1 FROM r)") ==
            #"recursive reference to query "r" must not appear within a subquery"#)
        #expect(recursive("SELECT 1 UNION ALL SELECT r.n FROM staff LEFT JOIN r ON true") ==
            #"recursive reference to query "r" must not appear within an outer join"#)
        #expect(recursive("SELECT 1 UNION ALL (SELECT 2 EXCEPT SELECT n FROM r)") ==
            #"recursive reference to query "r" must not appear within EXCEPT"#)
        #expect(recursive("SELECT 1 UNION ALL SELECT max(n) FROM r") == "aggregate functions are not allowed in a recursive query's recursive term")
        #expect(recursive("SELECT 1 UNION ALL SELECT n FROM r ORDER BY 1") == "ORDER BY in a recursive query is not implemented")
        #expect(recursive("SELECT 1 UNION ALL SELECT n FROM r LIMIT 1") == "LIMIT in a recursive query is not implemented")
    }

    @Test func recursiveColumnTypes() {
        #expect(failure("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n::bigint + 1 FROM r WHERE n < 3) SELECT * FROM r") ==
            #"recursive query "r" column 1 has type integer in non-recursive term but type bigint overall"#)
        #expect(failure("WITH RECURSIVE r(n) AS (SELECT 1::numeric(4,1) UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r") ==
            #"recursive query "r" column 1 has type numeric(4,1) in non-recursive term but type numeric overall"#)
        #expect(failure("WITH RECURSIVE r(n) AS (SELECT 1::int UNION ALL SELECT 'x'::text FROM r) SELECT * FROM r") == "UNION types integer and text cannot be matched")
        // A narrower type in the recursive term is converted to the query's.
        #expect(sql("WITH RECURSIVE r(n) AS (SELECT 1.5 UNION ALL SELECT 2 FROM r WHERE n < 2) SELECT n FROM r") == rows(
            #"{"n":1.5}"#, #"{"n":2}"#))
    }

    @Test func runawayRecursionFailsInsteadOfTakingTheMemory() {
        // Each row shares one 1 MB string, but UNION keeps every row it has seen: the estimate passes 256 MB.
        #expect(failure("""
            WITH RECURSIVE t(n, s) AS (SELECT 1, repeat('x', 1048576) UNION SELECT n + 1, s FROM t) SELECT count(*) FROM t
            """) == #"recursive query "t" needs more than 256 MB for its rows"#)
        // Nothing of the failed statement stays behind: the next one runs.
        #expect(sql("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 2) SELECT count(*) FROM t") == rows(#"{"count":2}"#))
    }

    @Test func unknownRelations() {
        #expect(failure("SELECT * FROM nothing_here") == #"relation "nothing_here" does not exist"#)
        // A schemaless table exists once a key has its prefix.
        #expect(run("JSON.SET", "thing:1", #"{"n":1}"#) == .ok)
        #expect(sql("SELECT id, n FROM thing") == rows(#"{"id":"1","n":1}"#))
    }
}
