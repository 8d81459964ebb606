// UPDATE ... FROM and DELETE ... USING end to end: joins with tables,
// subqueries and functions, each target row written once however many rows
// it joins, RETURNING over the target and the joined items, key changes,
// schemaless targets, and the plans (a hash join on the WHERE equality).

import Testing
@testable import MemFlux
import MemFluxCore

@Suite struct SQLJoinedWriteTests: HarnessSuite {
    let h: Harness

    init() throws {
        h = try Harness()
        #expect(sql("CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER, flag TEXT)") == .ok)
        #expect(sql("INSERT INTO account VALUES (1, 10, NULL), (2, 20, NULL), (3, 30, NULL)") == .integer(3))
        #expect(sql("CREATE TABLE entry (id INTEGER PRIMARY KEY, account INTEGER, amount INTEGER)") == .ok)
        #expect(sql("INSERT INTO entry VALUES (1, 1, 5), (2, 1, 7), (3, 2, 1), (4, 9, 100)") == .integer(4))
    }

    /// The reply's rows in a fixed order, for RETURNING, whose rows come in the scan's order.
    func sorted(_ reply: Reply) -> Reply {
        guard case .array(let items) = reply else { return reply }
        return .array(items.sorted { $0.description < $1.description })
    }

    @Test func updateFromWritesEachTargetRowOnce() {
        // Account 1 joins two entries: it is updated once, with one of them.
        #expect(sql("UPDATE account SET flag = 'moved' FROM entry e WHERE e.account = account.id") == .integer(2))
        #expect(sql("SELECT id, flag FROM account ORDER BY id") == rows(
            #"{"id":1,"flag":"moved"}"#, #"{"id":2,"flag":"moved"}"#, #"{"id":3,"flag":null}"#))
        #expect(sql("UPDATE account a SET balance = a.balance + e.amount FROM entry e WHERE e.account = a.id AND e.id = 3 RETURNING a.id, a.balance, e.amount") == rows(
            #"{"id":2,"balance":21,"amount":1}"#))
        #expect(sql("UPDATE account SET balance = 0 FROM entry WHERE entry.account = account.id AND entry.id = 3 RETURNING *") == rows(
            #"{"id":2,"balance":0,"flag":"moved","id":3,"account":2,"amount":1}"#))
    }

    @Test func updateFromSubqueriesAndFunctions() {
        #expect(sorted(sql("""
            UPDATE account SET balance = s.total FROM (SELECT account, sum(amount) AS total FROM entry GROUP BY account) s
            WHERE s.account = account.id RETURNING account.id, balance
            """)) == rows(#"{"id":1,"balance":12}"#, #"{"id":2,"balance":1}"#))
        #expect(sql("UPDATE account SET balance = g FROM generate_series(2, 3) g WHERE g = account.id") == .integer(2))
        #expect(sql("SELECT id, balance FROM account ORDER BY id") == rows(
            #"{"id":1,"balance":12}"#, #"{"id":2,"balance":2}"#, #"{"id":3,"balance":3}"#))
        // The key moves: the row is found once, before any write.
        #expect(sorted(sql("UPDATE account SET id = account.id + 10 FROM entry WHERE entry.account = account.id RETURNING account.id")) == rows(
            #"{"id":11}"#, #"{"id":12}"#))
        #expect(sql("SELECT id FROM account ORDER BY id") == rows(#"{"id":3}"#, #"{"id":11}"#, #"{"id":12}"#))
    }

    @Test func deleteUsing() {
        #expect(sorted(sql("DELETE FROM entry USING account WHERE account.id = entry.account AND account.balance < 25 RETURNING entry.id, account.balance")) == rows(
            #"{"id":1,"balance":10}"#, #"{"id":2,"balance":10}"#, #"{"id":3,"balance":20}"#))
        // Two USING rows match every entry: each is deleted (and counted) once.
        #expect(sql("DELETE FROM entry e USING account a, account b WHERE a.id = 1 AND b.id = 2") == .integer(1))
        #expect(sql("SELECT count(*) FROM entry") == rows(#"{"count":0}"#))
    }

    @Test func schemalessTargets() {
        #expect(run("JSON.SET", "doc:a", #"{"n":1}"#) == .ok)
        #expect(run("JSON.SET", "doc:b", #"{"n":2}"#) == .ok)
        #expect(sql("UPDATE doc SET n = doc.n + e.amount FROM entry e WHERE doc.id = 'a' AND e.id = 4") == .integer(1))
        #expect(run("JSON.GET", "doc:a") == bulk(#"{"n":101}"#))
        #expect(sql("DELETE FROM doc USING generate_series(2, 2) g WHERE doc.n = g RETURNING doc.id, g") == rows(#"{"id":"b","g":2}"#))
        #expect(run("EXISTS", "doc:b") == .integer(0))
    }

    @Test func errorsAndPlans() {
        #expect(failure("UPDATE account SET balance = 1 FROM account") == #"table name "account" specified more than once"#)
        #expect(failure("UPDATE account SET balance = 1 FROM entry WHERE nope = 1") == #"column "nope" does not exist"#)
        #expect(failure("DELETE FROM entry USING nowhere WHERE true") == #"relation "nowhere" does not exist"#)
        #expect(failure("DELETE FROM nowhere") == #"relation "nowhere" does not exist"#)
        #expect(failure("UPDATE nowhere SET a = 1") == #"relation "nowhere" does not exist"#)
        #expect(sql("EXPLAIN UPDATE account SET balance = e.amount FROM entry e WHERE e.account = account.id") == bulks(
            "Update on account", "  -> HashJoin (inner, 1 keys)", "    -> TableScan on account", "    -> TableScan on entry"))
        #expect(sql("EXPLAIN DELETE FROM entry USING account WHERE account.id = 2 AND entry.account = account.id") == bulks(
            "Delete on entry", "  -> HashJoin (inner, 1 keys)", "    -> TableScan on entry", "    -> KeyLookup on account"))
    }
}
