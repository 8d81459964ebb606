// The binder, the planning rules and the operators, driven through
// SQLEngine on a bare keyspace (no command layer): which physical plan each
// query shape gets, and exact typed results of the operators' edge cases.

import MemFluxCore
import MemFluxSQL
import MemFluxStorage
import Testing

@Suite struct PlannerTests {
    let keyspace = Keyspace()
    let engine = SQLEngine()
    let session = SQLSession()

    init() throws {
        try run("CREATE TABLE t (id INTEGER PRIMARY KEY, grp INTEGER, val DOUBLE PRECISION, name TEXT)")
        try run("CREATE TABLE u (id INTEGER PRIMARY KEY, tid INTEGER)")
        try run("INSERT INTO t VALUES (1, 1, 0.5, 'a'), (2, 1, 1.5, 'b'), (3, 2, NULL, 'c'), (4, NULL, 2.5, NULL)")
        try run("INSERT INTO u VALUES (10, 1), (11, 1), (12, 3), (13, NULL)")
    }

    @discardableResult
    func run(_ text: String, _ parameters: [SQLValue] = []) throws -> SQLResult {
        try engine.execute(Bytes(text), parameters: parameters, session: session, keyspace: keyspace, transaction: nil)
    }

    func rows(_ text: String, _ parameters: [SQLValue] = []) throws -> [[SQLValue]] {
        guard case .rows(_, let rows) = try run(text, parameters) else { return [] }
        return rows
    }

    func plan(_ text: String) throws -> [String] {
        guard case .plan(let lines) = try run("EXPLAIN " + text) else { return [] }
        return lines
    }

    @Test func keyEqualityIsALookupAnythingElseAScan() throws {
        #expect(try plan("SELECT name FROM t WHERE id = $1") == ["Project (1 columns)", "  -> KeyLookup on t"])
        #expect(try plan("SELECT name FROM t WHERE id = 1 AND val > 0") == ["Project (1 columns)", "  -> KeyLookup on t"])
        #expect(try plan("SELECT name FROM t WHERE id > 1") == ["Project (1 columns)", "  -> TableScan on t (filtered)"])
        #expect(try plan("SELECT name FROM t WHERE id = 1 OR id = 2") == ["Project (1 columns)", "  -> TableScan on t (filtered)"])
        #expect(try rows("SELECT name FROM t WHERE id = $1", [.text("2")]) == [[.text("b")]])
        #expect(try rows("SELECT name FROM t WHERE id = 99") == [])
    }

    @Test func joinsPushConditionsDownAndPickTheirAlgorithm() throws {
        #expect(try plan("SELECT t.name FROM u JOIN t ON t.id = u.tid WHERE u.id > 10") == [
            "Project (1 columns)", "  -> LookupJoin (inner) on t", "    -> TableScan on u (filtered)",
        ])
        #expect(try plan("SELECT 1 FROM t a JOIN t b ON a.grp = b.grp") == [
            "Project (1 columns)", "  -> HashJoin (inner, 1 keys)", "    -> TableScan on t", "    -> TableScan on t",
        ])
        #expect(try plan("SELECT 1 FROM t a JOIN t b ON a.val < b.val") == [
            "Project (1 columns)", "  -> NestedLoopJoin (inner)", "    -> TableScan on t", "    -> TableScan on t",
        ])
        // NULL keys never match; LEFT JOIN pads them.
        #expect(try rows("SELECT u.id, t.name FROM u LEFT JOIN t ON t.id = u.tid ORDER BY u.id") == [
            [.int(10), .text("a")], [.int(11), .text("a")], [.int(12), .text("c")], [.int(13), .null],
        ])
        #expect(try rows("SELECT count(*) FROM t a JOIN t b ON a.grp = b.grp") == [[.int(5)]])
    }

    @Test func orderByWithLimitIsATopN() throws {
        #expect(try plan("SELECT id FROM t ORDER BY val DESC LIMIT 2") == ["Project (2 columns)", "  -> TopN", "    -> TableScan on t"])
        // A select list that computes something is projected before the sort.
        #expect(try plan("SELECT id + 1 FROM t ORDER BY val DESC LIMIT 2") == ["TopN", "  -> Project (2 columns)", "    -> TableScan on t"])
        #expect(try rows("SELECT id + 1 FROM t ORDER BY val DESC LIMIT 2") == [[.int(4)], [.int(5)]])
        // DESC puts NULLs first, as PostgreSQL does.
        #expect(try rows("SELECT id FROM t ORDER BY val DESC LIMIT 2") == [[.int(3)], [.int(4)]])
        #expect(try rows("SELECT id FROM t ORDER BY val DESC NULLS LAST LIMIT 2 OFFSET 1") == [[.int(2)], [.int(1)]])
        #expect(try rows("SELECT id FROM t ORDER BY id LIMIT 0") == [])
    }

    @Test func threeValuedLogicInFilters() throws {
        #expect(try rows("SELECT id FROM t WHERE NOT (grp = 1) ORDER BY id") == [[.int(3)]])
        #expect(try rows("SELECT id FROM t WHERE grp = 1 OR val > 2 ORDER BY id") == [[.int(1)], [.int(2)], [.int(4)]])
        #expect(try rows("SELECT id FROM t WHERE grp NOT IN (2, NULL)") == [])
        #expect(try rows("SELECT id FROM t WHERE grp IS DISTINCT FROM 1 ORDER BY id") == [[.int(3)], [.int(4)]])
    }

    @Test func aggregatesOverNothingAndOverGroups() throws {
        #expect(try rows("SELECT count(*), sum(val), max(name) FROM t WHERE id > 100") == [[.int(0), .null, .null]])
        #expect(try rows("SELECT grp, count(*), count(val) FROM t GROUP BY grp ORDER BY grp NULLS FIRST") == [
            [.null, .int(1), .int(1)], [.int(1), .int(2), .int(2)], [.int(2), .int(1), .int(0)],
        ])
        #expect(try rows("SELECT count(DISTINCT grp) FROM t") == [[.int(2)]])
        #expect(try rows("SELECT grp FROM t GROUP BY grp HAVING count(*) > 1") == [[.int(1)]])
    }

    @Test func setOperationsCountDuplicates() throws {
        #expect(try rows("SELECT grp FROM t INTERSECT ALL SELECT tid FROM u ORDER BY 1") == [[.int(1)], [.int(1)], [.null]])
        #expect(try rows("SELECT grp FROM t EXCEPT SELECT tid FROM u") == [[.int(2)]])
        #expect(try rows("SELECT 1 UNION SELECT 1 UNION ALL SELECT 1") == [[.int(1)], [.int(1)]])
    }

    @Test func cachedPlansFollowDDL() throws {
        #expect(try rows("SELECT * FROM u WHERE id = 10") == [[.int(10), .int(1)]])
        try run("ALTER TABLE u ADD COLUMN note TEXT DEFAULT 'n'")
        #expect(try rows("SELECT * FROM u WHERE id = 10") == [[.int(10), .int(1), .text("n")]])
    }
}
