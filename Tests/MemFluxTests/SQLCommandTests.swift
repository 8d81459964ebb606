// SQL through the command layer, end to end: exact replies for queries, DML
// and DDL, schemaless tables shared with the JSON commands, parameters,
// errors, statement atomicity inside transactions, and EXPLAIN's plans.

import Testing
@testable import MemFlux
import MemFluxCore

@Suite struct SQLCommandTests: HarnessSuite {
    let h: Harness

    init() throws { h = try Harness() }

    func makeUsers() {
        #expect(sql("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER, city TEXT)") == .ok)
        #expect(sql("INSERT INTO users VALUES (1, 'Ada', 36, 'London'), (2, 'Grace', 45, 'New York'), (3, 'Linus', NULL, 'Portland')") == .integer(3))
    }

    @Test func createInsertAndSelect() {
        makeUsers()
        #expect(sql("SELECT * FROM users WHERE id = 1") == rows(#"{"id":1,"name":"Ada","age":36,"city":"London"}"#))
        #expect(sql("SELECT name, age FROM users ORDER BY age DESC NULLS LAST") == rows(
            #"{"name":"Grace","age":45}"#, #"{"name":"Ada","age":36}"#, #"{"name":"Linus","age":null}"#))
        #expect(sql("SELECT name FROM users WHERE age > 40 OR city LIKE 'Port%' ORDER BY id") == rows(
            #"{"name":"Grace"}"#, #"{"name":"Linus"}"#))
        #expect(sql("SELECT count(*), sum(age), min(name) FROM users") == rows(#"{"count":3,"sum":81,"min":"Ada"}"#))
        #expect(run("SQL", "SELECT", "name", "FROM", "users", "WHERE", "id", "=", "2;") == rows(#"{"name":"Grace"}"#))
    }

    /// Scans run the operators above them with a shard locked when none of
    /// them reads the keyspace: an error there must leave no lock behind, and
    /// a query with a subquery (which reads the keyspace) takes the other path.
    @Test func errorsAndSubqueriesInsideLargeScans() {
        #expect(sql("CREATE TABLE n (id INTEGER PRIMARY KEY, x INTEGER)") == .ok)
        let values = (0..<3000).map { "(\($0), \($0 % 10))" }.joined(separator: ", ")
        #expect(sql("INSERT INTO n VALUES " + values) == .integer(3000))
        #expect(failure("SELECT sum(100 / x) FROM n") == "division by zero")
        #expect(failure("SELECT id FROM n ORDER BY 100 / x LIMIT 3") == "division by zero")
        #expect(sql("INSERT INTO n VALUES (3000, 1)") == .integer(1), "no shard stays locked")
        #expect(sql("SELECT count(*) AS c FROM n WHERE x = 3") == rows(#"{"c":300}"#))
        #expect(sql("SELECT count(*) AS c FROM n WHERE x = (SELECT max(x) FROM n)") == rows(#"{"c":300}"#))
        #expect(sql("SELECT id, x FROM n WHERE id > 2990 ORDER BY id DESC LIMIT 2") == rows(
            #"{"id":3000,"x":1}"#, #"{"id":2999,"x":9}"#))
        #expect(sql("SELECT x FROM n ORDER BY x DESC NULLS LAST LIMIT 2") == rows(#"{"x":9}"#, #"{"x":9}"#))
        #expect(sql("SELECT count(*) AS c FROM (SELECT id FROM n ORDER BY x LIMIT 301) AS lowest") == rows(#"{"c":301}"#))
        #expect(sql("SELECT x, count(*) AS c FROM n WHERE x < 2 GROUP BY x ORDER BY x") == rows(
            #"{"x":0,"c":300}"#, #"{"x":1,"c":301}"#))
    }

    /// Filters a scan decides on the stored row before decoding it: NULLs,
    /// NaN (above every number, as in PostgreSQL), signed zeros, every operator.
    @Test func scanFiltersReadStoredColumns() {
        #expect(sql("CREATE TABLE f (id INTEGER PRIMARY KEY, v DOUBLE PRECISION, i BIGINT)") == .ok)
        #expect(sql("INSERT INTO f VALUES (1, 0.25, 1), (2, 'NaN', 2), (3, NULL, NULL), (4, -0.0, 3), (5, 'Infinity', 4), (6, 0.5, 5)") == .integer(6))
        func ids(_ condition: String) -> Reply {
            sql("SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') AS ids FROM f WHERE " + condition)
        }
        #expect(ids("v > 0.5") == rows(#"{"ids":"2,5"}"#))
        #expect(ids("v >= 0.5") == rows(#"{"ids":"2,5,6"}"#))
        #expect(ids("v < 0.5") == rows(#"{"ids":"1,4"}"#))
        #expect(ids("v <= 0") == rows(#"{"ids":"4"}"#))
        #expect(ids("v = 0") == rows(#"{"ids":"4"}"#))
        #expect(ids("v <> 0.25") == rows(#"{"ids":"2,4,5,6"}"#))
        #expect(ids("v = 'NaN'") == rows(#"{"ids":"2"}"#))
        #expect(ids("i > 2") == rows(#"{"ids":"4,5,6"}"#))
        #expect(ids("i <> 2") == rows(#"{"ids":"1,4,5,6"}"#))
        #expect(ids("i <= 1") == rows(#"{"ids":"1"}"#))
        #expect(ids("v > 0.1 AND i < 5") == rows(#"{"ids":"1,2,5"}"#))
        #expect(ids("v > 0.1 AND id % 2 = 0") == rows(#"{"ids":"2,6"}"#))
        #expect(ids("i > 1 AND v < 1 AND i < 5") == rows(#"{"ids":"4"}"#))
        #expect(sql("SELECT count(*) AS c FROM f WHERE v > 0.1") == rows(#"{"c":4}"#), "decided on the stored row alone")
        #expect(sql("SELECT count(*) AS c FROM f WHERE v > 0.1 AND i IN (SELECT i FROM f WHERE i < 5)") == rows(#"{"c":3}"#))
        #expect(sql("SELECT id FROM f WHERE i > 3 AND v IS NOT NULL ORDER BY id") == rows(#"{"id":5}"#, #"{"id":6}"#))
        // Rows written before a column was added keep the older layout and are decoded the general way.
        #expect(sql("ALTER TABLE f ADD COLUMN w INTEGER") == .ok)
        #expect(sql("INSERT INTO f VALUES (7, 0.75, 6, 1)") == .integer(1))
        #expect(ids("v > 0.5") == rows(#"{"ids":"2,5,7"}"#))
        #expect(ids("i > 4 AND w IS NULL") == rows(#"{"ids":"6"}"#))
    }

    /// COUNT(*) alone over a table scan is counted by the scan itself: rows
    /// the stored-row test decides, rows it leaves to the filter, rows of an
    /// older layout, JSON documents in a typed table, a transaction's own
    /// writes, and an error in the filter all count as a full aggregate would.
    @Test func countStarAloneIsCountedByTheScan() {
        #expect(sql("CREATE TABLE c (id INTEGER PRIMARY KEY, v DOUBLE PRECISION, i BIGINT)") == .ok)
        #expect(sql("SELECT count(*) AS n FROM c WHERE v > 0") == rows(#"{"n":0}"#), "one row even over no rows")
        let values = (0..<2000).map { "(\($0), \($0 % 4 == 0 ? "NULL" : "\(Double($0) / 2000)"), \($0 % 10))" }.joined(separator: ", ")
        #expect(sql("INSERT INTO c VALUES " + values) == .integer(2000))
        #expect(sql("SELECT count(*) AS n FROM c") == rows(#"{"n":2000}"#))
        #expect(sql("SELECT count(*) AS n, count(*) AS m FROM c WHERE v > 0.5") == rows(#"{"n":750,"m":750}"#))
        #expect(sql("SELECT count(*) AS n FROM c WHERE v > 0.5 AND id % 2 = 1") == rows(#"{"n":500}"#), "decoded, then filtered")
        #expect(sql("SELECT count(*) AS n FROM c WHERE i = 3 OR v IS NULL") == rows(#"{"n":700}"#))
        #expect(sql("SELECT count(*) FILTER (WHERE i = 3) AS n FROM c") == rows(#"{"n":200}"#))
        #expect(sql("SELECT count(*) + 1 AS n FROM c WHERE i < 5") == rows(#"{"n":1001}"#))
        #expect(failure("SELECT count(*) FROM c WHERE 10 / i > 1") == "division by zero")
        #expect(sql("ALTER TABLE c ADD COLUMN w INTEGER") == .ok)
        #expect(sql("INSERT INTO c VALUES (2000, 0.9, 1, 5)") == .integer(1))
        #expect(run("JSON.SET", "c:2001", #"{"id":2001,"v":0.95,"i":1}"#) == .ok)
        #expect(run("JSON.SET", "c:2002", #"{"id":2002,"v":0.05,"i":1}"#) == .ok)
        #expect(sql("SELECT count(*) AS n FROM c WHERE v > 0.5") == rows(#"{"n":752}"#), "a newer layout and a JSON document")
        #expect(sql("BEGIN") == .ok)
        #expect(sql("DELETE FROM c WHERE id < 10") == .integer(10))
        #expect(sql("INSERT INTO c VALUES (3000, 0.75, 1, NULL)") == .integer(1))
        #expect(sql("SELECT count(*) AS n FROM c WHERE v > 0.5") == rows(#"{"n":753}"#), "the transaction's own writes")
        #expect(sql("SELECT count(*) AS n FROM c") == rows(#"{"n":1994}"#))
        #expect(sql("ROLLBACK") == .ok)
        #expect(sql("SELECT count(*) AS n FROM c") == rows(#"{"n":2003}"#))
    }

    /// A COUNT(*) over a table large enough to be counted on several threads
    /// at once answers as the single-threaded count does: the filter, an
    /// error raised by it on some thread, and a transaction's own writes.
    @Test func countStarOverATableLargeEnoughForAParallelScan() {
        let n = 70_000
        #expect(sql("CREATE TABLE p (id INTEGER PRIMARY KEY, v DOUBLE PRECISION, i BIGINT)") == .ok)
        #expect(sql("INSERT INTO p SELECT g, CASE WHEN g % 4 = 0 THEN NULL ELSE g / \(n).0 END, g % 10 FROM generate_series(0, \(n - 1)) g") == .integer(Int64(n)))
        #expect(sql("SELECT count(*) AS n FROM p") == rows(#"{"n":70000}"#))
        #expect(sql("SELECT count(*) AS n FROM p WHERE v > 0.5") == rows(#"{"n":26250}"#))
        #expect(sql("SELECT count(*) AS n FROM p WHERE v > 0.5 AND id % 2 = 1") == rows(#"{"n":17500}"#), "decoded, then filtered")
        #expect(failure("SELECT count(*) FROM p WHERE 10 / i > 1") == "division by zero")
        #expect(failure("SELECT count(*) FROM p WHERE id = 69999 AND 1 / (id - 69999) = 0") == "division by zero", "on one row only")
        #expect(sql("BEGIN") == .ok)
        #expect(sql("DELETE FROM p WHERE id < 10") == .integer(10))
        #expect(sql("INSERT INTO p VALUES (\(n), 0.75, 1)") == .integer(1))
        #expect(sql("SELECT count(*) AS n FROM p WHERE v > 0.5") == rows(#"{"n":26251}"#), "the transaction's own writes")
        #expect(sql("SELECT count(*) AS n FROM p") == rows(#"{"n":69991}"#))
        #expect(sql("ROLLBACK") == .ok)
        #expect(sql("SELECT count(*) AS n FROM p") == rows(#"{"n":70000}"#))
    }

    /// ORDER BY one column with a LIMIT drops the rows that cannot enter the
    /// top-N from their stored column: ties, NULLs in both orders, NaN, an
    /// OFFSET, and the same prepared statement run again answer as a full sort does.
    @Test func topNOnOneColumnMatchesAFullSort() {
        #expect(sql("CREATE TABLE r (id INTEGER PRIMARY KEY, v DOUBLE PRECISION, k INTEGER)") == .ok)
        let values = (0..<2000).map { i in
            "(\(i), \(i % 97 == 0 ? "NULL" : i % 89 == 0 ? "'NaN'" : String(Double((i * 37) % 101) / 4)), \(i % 53 == 0 ? "NULL" : String((i * 7) % 31)))"
        }
        #expect(sql("INSERT INTO r VALUES " + values.joined(separator: ", ")) == .integer(2000))
        for order in ["v DESC", "v", "v DESC NULLS LAST", "v NULLS FIRST", "k DESC", "k", "k NULLS FIRST"] {
            for (limit, offset) in [(1, 0), (10, 0), (25, 40), (3, 1995)] {
                let column = order.hasPrefix("v") ? "v" : "k"
                let full = sql("SELECT \(column) FROM (SELECT \(column) FROM r ORDER BY \(order)) AS s LIMIT \(limit) OFFSET \(offset)")
                let topN = "SELECT \(column) FROM r ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)"
                #expect(sql(topN) == full, "\(topN)")
                #expect(sql(topN) == full, "\(topN), again")
            }
        }
        #expect(sql("SELECT id FROM r WHERE k = 30 ORDER BY v DESC, id LIMIT 2") == rows(#"{"id":890}"#, #"{"id":363}"#))
    }

    /// Grouped COUNT / SUM / AVG of bare columns take a fast path: NULLs,
    /// infinities and overflow behave as through the general one.
    @Test func groupedAggregatesOfBareColumns() {
        #expect(sql("CREATE TABLE g (id INTEGER PRIMARY KEY, k INTEGER, v DOUBLE PRECISION)") == .ok)
        #expect(sql("INSERT INTO g VALUES (1, 1, 1.5), (2, 1, NULL), (3, 1, 2.5), (4, 2, NULL), (5, 3, 'Infinity'), (6, 3, 1), (7, NULL, 4)") == .integer(7))
        #expect(sql("SELECT k, count(*) AS n, count(v) AS c, sum(v) AS s, avg(v) AS a FROM g GROUP BY k ORDER BY k") == rows(
            #"{"k":1,"n":3,"c":2,"s":4,"a":2}"#, #"{"k":2,"n":1,"c":0,"s":null,"a":null}"#,
            #"{"k":3,"n":2,"c":2,"s":"Infinity","a":"Infinity"}"#, #"{"k":null,"n":1,"c":1,"s":4,"a":4}"#))
        #expect(sql("INSERT INTO g VALUES (8, 4, 1e308), (9, 4, 1e308)") == .integer(2))
        #expect(failure("SELECT k, sum(v) FROM g WHERE k = 4 GROUP BY k") == "value out of range: overflow")
    }

    /// Integer group keys have a table of their own: many groups, NULL, and
    /// a double equal to an integer already grouped (one group, as in PostgreSQL).
    @Test func integerGroupKeys() {
        #expect(sql("CREATE TABLE ig (id INTEGER PRIMARY KEY, k BIGINT)") == .ok)
        let values = (0..<3000).map { "(\($0), \($0 % 7 == 0 ? "NULL" : String(($0 * 7919) % 1500 - 700)))" }
        #expect(sql("INSERT INTO ig VALUES " + values.joined(separator: ", ")) == .integer(3000))
        var expected: [Int: Int] = [:]
        for i in 0..<3000 where i % 7 != 0 { expected[(i * 7919) % 1500 - 700, default: 0] += 1 }
        let groups = expected.keys.sorted().map { #"{"k":\#($0),"c":\#(expected[$0]!)}"# }
        #expect(sql("SELECT k, count(*) AS c FROM ig WHERE k IS NOT NULL GROUP BY k ORDER BY k") == .array(groups.map { .bulk(Bytes($0)) }))
        #expect(sql("SELECT count(*) AS c FROM (SELECT k FROM ig GROUP BY k) AS g") == rows(#"{"c":\#(expected.count + 1)}"#))
        // Most likely an integer 3 is grouped before the double comes.
        for i in 1...20 { #expect(run("JSON.SET", "jg:\(i)", #"{"k":3}"#) == .ok) }
        #expect(run("JSON.SET", "jg:21", #"{"k":3.0}"#) == .ok)
        #expect(run("JSON.SET", "jg:22", #"{"k":null}"#) == .ok)
        #expect(run("JSON.SET", "jg:23", #"{"k":6}"#) == .ok)
        #expect(sql("SELECT k::float8 AS k, count(*) AS c FROM jg GROUP BY k ORDER BY k") == rows(
            #"{"k":3,"c":21}"#, #"{"k":6,"c":1}"#, #"{"k":null,"c":1}"#))
    }

    /// Statements bounded by a few keys run on the event loop instead of the thread pool.
    @Test func pointStatementsAreShort() {
        makeUsers()
        func short(_ text: String) -> Bool {
            _ = sql(text)
            return db.sql.isShort(Bytes(text), session: s.sqlSession)
        }
        #expect(!db.sql.isShort(Bytes("SELECT name FROM users WHERE id = 2"), session: s.sqlSession), "not prepared yet")
        #expect(short("SELECT name FROM users WHERE id = 2"))
        #expect(short("INSERT INTO users VALUES (7, 'Edsger', 72, 'Austin')"))
        #expect(!short("SELECT name FROM users WHERE age > 40"))
        #expect(!short("SELECT name FROM users WHERE id = (SELECT max(id) FROM users)"))
        #expect(!short("INSERT INTO users SELECT id + 100, name, age, city FROM users"))
        #expect(!short("INSERT INTO users VALUES (8, (SELECT min(name) FROM users), 1, 'x')"))
    }

    @Test func rowsAreReadableAsJSON() {
        makeUsers()
        #expect(run("JSON.GET", "users:2") == bulk(#"{"id":2,"name":"Grace","age":45,"city":"New York"}"#))
        #expect(run("TYPE", "users:1") == .status("ReJSON-RL"))
        #expect(run("DBSIZE") == .integer(3))
    }

    @Test func schemalessTablesReadJSONDocuments() {
        #expect(run("JSON.SET", "item:a", #"{"price":10,"tags":["x"],"profile":{"city":"Paris"}}"#) == .ok)
        #expect(run("JSON.SET", "item:b", #"{"price":2.5,"profile":{"city":"Rome"}}"#) == .ok)
        #expect(sql("SELECT id, price * 2 AS double_price FROM item ORDER BY id") == rows(
            #"{"id":"a","double_price":20}"#, #"{"id":"b","double_price":5}"#))
        #expect(sql("SELECT id FROM item WHERE profile.city = 'Rome'") == rows(#"{"id":"b"}"#))
        #expect(sql("SELECT profile->>'city' AS city FROM item WHERE id = 'a'") == rows(#"{"city":"Paris"}"#))
        #expect(sql("SELECT * FROM item WHERE id = 'a'") == rows(#"{"id":"a","price":10,"tags":["x"],"profile":{"city":"Paris"}}"#))
        #expect(sql("INSERT INTO item (id, price) VALUES ('c', 7)") == .integer(1))
        #expect(run("JSON.GET", "item:c") == bulk(#"{"price":7}"#))
        #expect(sql("UPDATE item SET price = price + 1 WHERE id = 'c'") == .integer(1))
        #expect(run("JSON.GET", "item:c") == bulk(#"{"price":8}"#))
    }

    @Test func updateDeleteAndReturning() {
        makeUsers()
        #expect(sql("UPDATE users SET age = age + 1 WHERE age IS NOT NULL") == .integer(2))
        #expect(sql("UPDATE users SET city = 'Paris' WHERE id = 3 RETURNING id, city") == rows(#"{"id":3,"city":"Paris"}"#))
        #expect(sql("DELETE FROM users WHERE age < 40 RETURNING name") == rows(#"{"name":"Ada"}"#))
        #expect(sql("SELECT id, age FROM users ORDER BY id") == rows(#"{"id":2,"age":46}"#, #"{"id":3,"age":null}"#))
        #expect(sql("DELETE FROM users") == .integer(2))
        #expect(run("DBSIZE") == .integer(0))
    }

    @Test func insertOnConflict() {
        makeUsers()
        #expect(sql("INSERT INTO users VALUES (1, 'Dup', 1, 'X')") == err(#"duplicate key value violates unique constraint "users_pkey""#))
        #expect(sql("INSERT INTO users VALUES (1, 'Dup', 1, 'X') ON CONFLICT (id) DO NOTHING") == .integer(0))
        #expect(sql("INSERT INTO users VALUES (1, 'Ada', 37, 'X') ON CONFLICT (id) DO UPDATE SET age = excluded.age RETURNING age, city") == rows(
            #"{"age":37,"city":"London"}"#))
    }

    @Test func joinsAndGrouping() {
        makeUsers()
        #expect(sql("CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, amount NUMERIC(10,2))") == .ok)
        #expect(sql("INSERT INTO orders VALUES (10, 1, 5.50), (11, 1, 4.50), (12, 2, 20), (13, 9, 1)") == .integer(4))
        #expect(sql("SELECT u.name, sum(o.amount) AS total FROM users u JOIN orders o ON o.user_id = u.id GROUP BY u.name ORDER BY total DESC") == rows(
            #"{"name":"Grace","total":20.00}"#, #"{"name":"Ada","total":10.00}"#))
        #expect(sql("SELECT u.name, o.id FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE o.id IS NULL") == rows(
            #"{"name":"Linus","id":null}"#))
        #expect(sql("SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = o.user_id)") == rows(#"{"count":1}"#))
        #expect(sql("SELECT name FROM users WHERE id IN (SELECT user_id FROM orders WHERE amount > 5) ORDER BY name") == rows(
            #"{"name":"Ada"}"#, #"{"name":"Grace"}"#))
        #expect(sql("SELECT city FROM users UNION SELECT 'London' ORDER BY city") == rows(
            #"{"city":"London"}"#, #"{"city":"New York"}"#, #"{"city":"Portland"}"#))
    }

    @Test func parametersAreBoundNotSpliced() {
        makeUsers()
        #expect(run("SQL.EXEC", "SELECT name FROM users WHERE id = ?", "2") == rows(#"{"name":"Grace"}"#))
        #expect(run("SQL.EXEC", "SELECT name FROM users WHERE name = $1", "x' OR '1'='1") == rows())
        #expect(run("SQL.EXEC", "INSERT INTO users (id, name) VALUES (?, ?)", "4", "Bob') --") == .integer(1))
        #expect(run("SQL.EXEC", "SELECT name FROM users WHERE id = $1", "4") == rows(#"{"name":"Bob') --"}"#))
        #expect(run("SQL.EXEC", "SELECT name FROM users WHERE id = ?") == err(
            #"bind message supplies 0 parameters, but prepared statement "" requires 1"#))
    }

    /// Bare columns of one row by its key are read without running the plan
    /// (PointRead): each shape of stored row, key and select list answers as
    /// the plan would.
    @Test func pointReadsOfBareColumns() {
        makeUsers()
        let byID = "SELECT city, name, id, name FROM users WHERE id = ?"
        #expect(run("SQL.EXEC", byID, "2") == rows(#"{"city":"New York","name":"Grace","id":2,"name":"Grace"}"#))
        #expect(run("SQL.EXEC", byID, " 3 ") == rows(#"{"city":"Portland","name":"Linus","id":3,"name":"Linus"}"#))
        #expect(run("SQL.EXEC", byID, "9") == rows(), "no such row")
        #expect(run("SQL.EXEC", byID, "x") == err(#"invalid input syntax for type integer: "x""#))
        #expect(run("SQL.EXEC", byID, "99999999999") == err(#"value "99999999999" is out of range for type integer"#))
        #expect(run("SQL.EXEC", "SELECT age FROM users WHERE id = $1", "3") == rows(#"{"age":null}"#))
        #expect(sql("SELECT name FROM users WHERE id = 1") == rows(#"{"name":"Ada"}"#), "a constant key")
        #expect(sql("SELECT name FROM users WHERE id = NULL") == rows())
        #expect(run("JSON.SET", "users:7", #"{"id":7,"name":"Edsger","city":"Austin"}"#) == .ok)
        #expect(run("SQL.EXEC", byID, "7") == rows(#"{"city":"Austin","name":"Edsger","id":7,"name":"Edsger"}"#), "a JSON document")
        #expect(run("SET", "users:8", "not a row") == .ok)
        #expect(run("SQL.EXEC", byID, "8") == rows(), "no row")
        #expect(sql("ALTER TABLE users ADD COLUMN zip TEXT") == .ok)
        #expect(run("SQL.EXEC", "SELECT zip, name FROM users WHERE id = ?", "1") == rows(#"{"zip":null,"name":"Ada"}"#), "an older layout")
        #expect(sql("BEGIN") == .ok)
        #expect(sql("UPDATE users SET name = 'Ada L.' WHERE id = 1") == .integer(1))
        #expect(run("SQL.EXEC", "SELECT zip, name FROM users WHERE id = ?", "1") == rows(#"{"zip":null,"name":"Ada L."}"#), "the transaction's own write")
        #expect(sql("ROLLBACK") == .ok)
        #expect(run("SQL.EXEC", "SELECT zip, name FROM users WHERE id = ?", "1") == rows(#"{"zip":null,"name":"Ada"}"#))
    }

    @Test func errors() {
        makeUsers()
        #expect(sql("SELECT * FORM users").description == #"(error) SYNTAX syntax error at or near "FORM" at line 1, column 10"#)
        #expect(sql("SELECT nope FROM users").description == #"(error) ERR column "nope" does not exist"#)
        #expect(sql("INSERT INTO users (id) VALUES (5)") == err(
            #"null value in column "name" of relation "users" violates not-null constraint"#))
        #expect(sql("SELECT 1 / 0") == err("division by zero"))
        #expect(sql("INSERT INTO users (id, name, age) VALUES (6, 'x', 'old')").description == #"(error) ERR invalid input syntax for type integer: "old""#)
        #expect(sql("CREATE TABLE users (id INTEGER)") == err(#"relation "users" already exists"#))
        #expect(sql("DROP TABLE missing") == err(#"table "missing" does not exist"#))
    }

    @Test func failedStatementInTransactionLeavesNothingBehind() {
        makeUsers()
        #expect(run("BEGIN") == .ok)
        #expect(sql("INSERT INTO users VALUES (4, 'Dan', 1, 'X')") == .integer(1))
        // The second row fails: the whole statement is undone, the first statement stays.
        #expect(sql("INSERT INTO users VALUES (5, 'Eve', 1, 'X'), (1, 'Dup', 1, 'X')") == err(
            #"duplicate key value violates unique constraint "users_pkey""#))
        #expect(sql("COMMIT") == .ok)
        #expect(sql("SELECT id FROM users WHERE id >= 4") == rows(#"{"id":4}"#))
    }

    @Test func sqlTransactionControlSharesTheSessionTransaction() {
        makeUsers()
        #expect(sql("BEGIN") == .ok)
        #expect(run("SET", "users:9", "not a row") == .ok)
        #expect(sql("UPDATE users SET age = 1 WHERE id = 1") == .integer(1))
        #expect(sql("ROLLBACK") == .ok)
        #expect(run("EXISTS", "users:9") == .integer(0))
        #expect(sql("SELECT age FROM users WHERE id = 1") == rows(#"{"age":36}"#))
    }

    @Test func explainShowsKeyLookupsAndScans() {
        makeUsers()
        #expect(sql("EXPLAIN SELECT name FROM users WHERE id = 2") == bulks("Project (1 columns)", "  -> KeyLookup on users"))
        #expect(sql("EXPLAIN SELECT name FROM users WHERE age > 2 ORDER BY age LIMIT 1") == bulks(
            "Project (2 columns)", "  -> TopN", "    -> TableScan on users (filtered)"))
    }

    @Test func ddlDropTruncateAlter() {
        makeUsers()
        #expect(sql("ALTER TABLE users ADD COLUMN score INTEGER DEFAULT 7") == .ok)
        #expect(sql("SELECT score FROM users WHERE id = 1") == rows(#"{"score":7}"#))
        #expect(sql("ALTER TABLE users RENAME COLUMN city TO town") == .ok)
        #expect(sql("SELECT town FROM users WHERE id = 2") == rows(#"{"town":"New York"}"#))
        #expect(sql("TRUNCATE users") == .ok)
        #expect(sql("SELECT count(*) FROM users") == rows(#"{"count":0}"#))
        #expect(sql("DROP TABLE users") == .ok)
        // A table with neither a definition nor rows does not exist.
        #expect(sql("SELECT * FROM users").description == #"(error) ERR relation "users" does not exist"#)
        #expect(sql("INSERT INTO users (id, name) VALUES (1, 'schemaless now')") == .integer(1))
        #expect(sql("SELECT * FROM users") == rows(#"{"id":"1","name":"schemaless now"}"#))
    }

    @Test func swiftAPIReturnsTypedRows() throws {
        makeUsers()
        let result = try s.sql("SELECT id, name FROM users WHERE id = ?", [.int(1)])
        guard case .rows(let columns, let rows) = result else {
            Issue.record("expected rows, got \(result)")
            return
        }
        #expect(columns.map(\.name) == ["id", "name"])
        #expect(rows == [[.int(1), .text("Ada")]])
    }

    @Test func joinsOnAWholeKeyLookRowsUp() {
        makeUsers()
        #expect(sql("CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER)") == .ok)
        #expect(sql("INSERT INTO orders VALUES (10, 1), (11, 3), (12, 7)") == .integer(3))
        let plan = "SELECT o.id, u.name FROM orders o JOIN users u ON u.id = o.user_id"
        #expect(sql("EXPLAIN " + plan) == bulks("Project (2 columns)", "  -> LookupJoin (inner) on users", "    -> TableScan on orders"))
        #expect(sql(plan + " ORDER BY o.id") == rows(#"{"id":10,"name":"Ada"}"#, #"{"id":11,"name":"Linus"}"#))
        #expect(sql("SELECT o.id, u.name FROM orders o LEFT JOIN users u ON u.id = o.user_id ORDER BY o.id") == rows(
            #"{"id":10,"name":"Ada"}"#, #"{"id":11,"name":"Linus"}"#, #"{"id":12,"name":null}"#))
        // The looked-up table's own condition, a condition over both sides, and the lookup on the left.
        #expect(sql("INSERT INTO orders VALUES (13, 2)") == .integer(1))
        #expect(sql("SELECT o.id, u.name FROM orders o LEFT JOIN users u ON u.id = o.user_id AND u.age > 40 ORDER BY o.id") == rows(
            #"{"id":10,"name":null}"#, #"{"id":11,"name":null}"#, #"{"id":12,"name":null}"#, #"{"id":13,"name":"Grace"}"#))
        #expect(sql("SELECT o.id, u.name FROM orders o LEFT JOIN users u ON u.id = o.user_id AND u.age > o.id * 3 ORDER BY o.id") == rows(
            #"{"id":10,"name":"Ada"}"#, #"{"id":11,"name":null}"#, #"{"id":12,"name":null}"#, #"{"id":13,"name":"Grace"}"#))
        #expect(sql("SELECT u.name, o.id FROM users u RIGHT JOIN orders o ON u.id = o.user_id ORDER BY o.id") == rows(
            #"{"name":"Ada","id":10}"#, #"{"name":"Linus","id":11}"#, #"{"name":null,"id":12}"#, #"{"name":"Grace","id":13}"#))
        #expect(sql("SELECT u.name, o.id FROM users u JOIN orders o ON u.id = o.user_id AND u.city <> 'London' ORDER BY o.id") == rows(
            #"{"name":"Linus","id":11}"#, #"{"name":"Grace","id":13}"#))
    }

    /// A lookup join reads its partners a batch at a time, between the lock
    /// holds of the scan it streams: more rows than a batch or a lock hold,
    /// missing partners and NULL keys (padded by LEFT JOIN, in the streamed
    /// order), a LIMIT that stops it early, an error while a batch is out, and
    /// a transaction's own writes.
    @Test func lookupJoinsReadPartnersInBatches() {
        #expect(sql("CREATE TABLE p (id INTEGER PRIMARY KEY, grp INTEGER, v DOUBLE PRECISION, name TEXT)") == .ok)
        #expect(sql("CREATE TABLE s (id INTEGER PRIMARY KEY, pid INTEGER)") == .ok)
        let partners = (0..<2000).map { "(\($0), \($0 % 7), \(Double($0) / 4), 'n\($0)')" }.joined(separator: ", ")
        #expect(sql("INSERT INTO p VALUES " + partners) == .integer(2000))
        // pid: every third row misses (>= 2000), every tenth is NULL.
        let streamed = (0..<1500).map { i in "(\(i), \(i % 10 == 0 ? "NULL" : String(i % 3 == 0 ? 5000 + i : (i * 7) % 2000)))" }
        #expect(sql("INSERT INTO s VALUES " + streamed.joined(separator: ", ")) == .integer(1500))
        let matched = (0..<1500).filter { $0 % 10 != 0 && $0 % 3 != 0 }
        let sum = matched.map { Double(($0 * 7) % 2000) / 4 }.reduce(0, +)
        #expect(sql("SELECT count(*) AS c, sum(p.v) AS s FROM s JOIN p ON p.id = s.pid") == rows(#"{"c":\#(matched.count),"s":\#(SQLValue.double(sum).jsonText(type: .double))}"#))
        #expect(sql("SELECT count(*) AS c, count(p.id) AS m, count(s.pid) AS k FROM s LEFT JOIN p ON p.id = s.pid") == rows(
            #"{"c":1500,"m":\#(matched.count),"k":1350}"#))
        #expect(sql("SELECT count(*) AS c FROM s JOIN p ON p.id = s.pid AND p.grp = 3 AND p.v > s.id") == rows(
            #"{"c":\#(matched.filter { ($0 * 7) % 2000 % 7 == 3 && Double(($0 * 7) % 2000) / 4 > Double($0) }.count)}"#))
        #expect(sql("SELECT count(*) AS c FROM (SELECT s.id FROM s JOIN p ON p.id = s.pid LIMIT 100) AS first") == rows(#"{"c":100}"#))
        #expect(sql("SELECT s.id, p.name FROM s LEFT JOIN p ON p.id = s.pid WHERE s.id BETWEEN 9 AND 11 ORDER BY s.id") == rows(
            #"{"id":9,"name":null}"#, #"{"id":10,"name":null}"#, #"{"id":11,"name":"n77"}"#))
        #expect(failure("SELECT sum(1 / (p.grp - 3)) FROM s JOIN p ON p.id = s.pid") == "division by zero")
        #expect(sql("INSERT INTO p VALUES (2000, 0, 0, 'after')") == .integer(1), "no shard stays locked")
        #expect(sql("BEGIN") == .ok)
        #expect(sql("UPDATE p SET v = 1000000 WHERE id = 77") == .integer(1))
        #expect(sql("DELETE FROM p WHERE id = 14") == .integer(1))
        #expect(sql("SELECT s.id, p.v FROM s LEFT JOIN p ON p.id = s.pid WHERE s.id IN (2, 11) ORDER BY s.id") == rows(
            #"{"id":2,"v":null}"#, #"{"id":11,"v":1000000}"#))
        #expect(sql("ROLLBACK") == .ok)
        #expect(sql("SELECT s.id, p.v FROM s LEFT JOIN p ON p.id = s.pid WHERE s.id IN (2, 11) ORDER BY s.id") == rows(
            #"{"id":2,"v":3.5}"#, #"{"id":11,"v":19.25}"#))
    }

    /// An aggregate's DISTINCT keeps the values it has seen in a set of its
    /// own: many texts short and long, numbers equal across types, NULLs, and
    /// JSON scalars equal to the SQL values they read as.
    @Test func distinctAggregateValues() {
        #expect(sql("CREATE TABLE dv (id INTEGER PRIMARY KEY, t TEXT)") == .ok)
        let texts = (0..<3000).map { i in i % 11 == 0 ? "NULL" : i % 3 == 0 ? "'a longer text than sixteen bytes \(i % 917)'" : "'t\(i % 1234)'" }
        #expect(sql("INSERT INTO dv VALUES " + texts.enumerated().map { "(\($0.offset), \($0.element))" }.joined(separator: ", ")) == .integer(3000))
        let distinct = Set(texts.filter { $0 != "NULL" }).count
        #expect(sql("SELECT count(DISTINCT t) AS c, count(t) AS n FROM dv") == rows(#"{"c":\#(distinct),"n":\#(texts.filter { $0 != "NULL" }.count)}"#))
        #expect(sql("SELECT count(DISTINCT x) AS c, sum(DISTINCT x) AS s FROM (VALUES (1), (1.0), (1.00), (2), (NULL), (2.5), (2)) AS v(x)") == rows(#"{"c":3,"s":5.5}"#))
        // Per group, COUNT(DISTINCT) beside aggregates that need each new value, and groups with fewer values than are held back.
        let groups = (0..<3000).map { ($0 % 5, texts[$0]) }
        let perGroup = (0..<5).map { g in Set(groups.filter { $0.0 == g && $0.1 != "NULL" }.map(\.1)).count }
        #expect(sql("SELECT id % 5 AS g, count(DISTINCT t) AS c, count(DISTINCT length(t)) AS l FROM dv GROUP BY id % 5 ORDER BY g") == .array(
            (0..<5).map { g in
                let lengths = Set(groups.filter { $0.0 == g && $0.1 != "NULL" }.map { $0.1.count - 2 }).count
                return .bulk(Bytes(#"{"g":\#(g),"c":\#(perGroup[g]),"l":\#(lengths)}"#))
            }))
        #expect(sql("SELECT count(DISTINCT t) AS c, string_agg(DISTINCT t, ',' ORDER BY t) AS s FROM dv WHERE id < 4") == rows(#"{"c":3,"s":"a longer text than sixteen bytes 3,t1,t2"}"#))
        for (i, k) in [#""a""#, #""a""#, #""b""#, "1", "1.0", "null"].enumerated() { #expect(run("JSON.SET", "dj:\(i)", #"{"k":\#(k)}"#) == .ok) }
        #expect(sql("SELECT count(DISTINCT k) AS c FROM dj") == rows(#"{"c":3}"#))
    }

    @Test func joinUsingShowsOneMergedColumn() {
        #expect(sql("CREATE TABLE l (k INTEGER, v TEXT)") == .ok)
        #expect(sql("CREATE TABLE r (k INTEGER, w TEXT)") == .ok)
        #expect(sql("INSERT INTO l VALUES (1, 'a'), (2, 'b')") == .integer(2))
        #expect(sql("INSERT INTO r VALUES (2, 'x'), (3, 'y')") == .integer(2))
        #expect(sql("SELECT * FROM l FULL JOIN r USING (k) ORDER BY k") == rows(
            #"{"k":1,"v":"a","w":null}"#, #"{"k":2,"v":"b","w":"x"}"#, #"{"k":3,"v":null,"w":"y"}"#))
        #expect(sql("SELECT l.k AS lk, r.k AS rk FROM l JOIN r USING (k)") == rows(#"{"lk":2,"rk":2}"#))
    }

    @Test func setOperationsResolveColumnTypes() {
        #expect(sql("SELECT NULL UNION SELECT 1") == rows(#"{"?column?":null}"#, #"{"?column?":1}"#) ||
            sql("SELECT NULL UNION SELECT 1") == rows(#"{"?column?":1}"#, #"{"?column?":null}"#))
        #expect(sql("SELECT 1 UNION SELECT 'x'") == err(#"invalid input syntax for type integer: "x""#))
        #expect(sql("SELECT 1.50 UNION ALL SELECT 2.5::float8") == rows(#"{"?column?":1.5}"#, #"{"?column?":2.5}"#))
    }

    @Test func clientsCannotNameTheCatalogsKeys() {
        makeUsers()
        let catalogKey = "\u{0}"
        let reserved = "keys starting with \\x00\\xff are reserved for MemFlux's own data"
        #expect(h.session.reply([Bytes("GET"), Bytes([0x00, 0xFF]) + Bytes("sql.table:users")]) == err(reserved))
        #expect(h.session.reply([Bytes("DEL"), Bytes("a"), Bytes([0x00, 0xFF, 0x41])]) == err(reserved))
        #expect(run("KEYS", "*").description.contains(catalogKey) == false)
        #expect(sql("SELECT count(*) FROM users") == rows(#"{"count":3}"#))
    }

    @Test func flushallKeepsDefinitionsWipedbDropsThem() {
        makeUsers()
        #expect(run("FLUSHALL") == .ok)
        #expect(sql("SELECT count(*) FROM users") == rows(#"{"count":0}"#))
        #expect(run("WIPEDB") == .ok)
        #expect(sql("SELECT count(*) FROM users").description == #"(error) ERR relation "users" does not exist"#)
    }
}
