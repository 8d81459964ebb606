// Table rows (written by the SQL engine) seen through the KV commands: TYPE
// names them like JSON documents, JSON.GET reads them, commands for other
// types (and JSON path writes) answer WRONGTYPE,
// keyspace commands move and delete them, and they survive a restart with
// one layout per table.

import MemFlux
import MemFluxCore
import MemFluxStorage
import Testing

@Suite struct TableRowValueTests {
    let layout = RowLayout(columns: ["id", "name"], types: [.integer, .text])

    func user(_ id: Int64, _ name: String) -> Value {
        .row(TableRow(layout: layout, values: [.int(id), .text(name)]))
    }

    @Test func commandsForOtherTypesAnswerWrongType() throws {
        let h = try Harness()
        h.db.keyspace.modify(Bytes("users:1")) { $0.store(user(1, "Ada")) }
        #expect(h("TYPE", "users:1") == .status("ReJSON-RL"))
        let commands: [[String]] = [
            ["GET", "users:1"], ["APPEND", "users:1", "x"], ["INCR", "users:1"], ["STRLEN", "users:1"], ["LPUSH", "users:1", "x"],
            ["LRANGE", "users:1", "0", "-1"], ["SADD", "users:1", "m"], ["SMEMBERS", "users:1"], ["HSET", "users:1", "f", "v"],
            ["HGETALL", "users:1"], ["JSON.SET", "users:1", "$.a", "1"], ["JSON.NUMINCRBY", "users:1", "$.id", "1"],
        ]
        for command in commands { #expect(h.run(command) == wrongType, "\(command)") }
        // JSON reads see the row as the document SQL replies show.
        #expect(h("JSON.GET", "users:1") == bulk(#"{"id":1,"name":"Ada"}"#))
        #expect(h("JSON.GET", "users:1", "$.name") == bulk(#"["Ada"]"#))
        #expect(h("SCAN", "0", "TYPE", "rejson-rl") == .array([bulk("0"), bulks("users:1")]))
        // The stored row's own size: an object's capacity is what malloc gave it, which may differ between two allocations.
        let stored = h.db.keyspace.read(Bytes("users:1")) { (value: borrowing Value?) -> Int in
            switch value {
            case .some(let v): return v.estimatedBytes
            case .none: return 0
            }
        }
        #expect(h("MEMUSAGE") == .integer(Int64(144 + stored)))
        #expect(h("RENAME", "users:1", "users:2") == .ok)
        #expect(h("TYPE", "users:2") == .status("ReJSON-RL"))
        #expect(h("EXISTS", "users:1", "users:2") == .one)
        #expect(h("DEL", "users:2") == .one)
        #expect(h("DBSIZE") == .zero)
    }

    @Test func rowsSurviveARestartSharingOneLayout() throws {
        let (db, dir) = try PersistenceTests.openFresh()
        for i in 0..<50 { db.keyspace.modify(Bytes("users:\(i)")) { $0.store(user(Int64(i), "u\(i)")) } }
        _ = db.session().reply([Bytes("SET"), Bytes("plain"), Bytes("x")])
        #expect(db.session().reply([Bytes("SAVE")]) == .ok)
        for i in 50..<60 { db.keyspace.modify(Bytes("users:\(i)")) { $0.store(user(Int64(i), "late")) } }
        try PersistenceTests.expectRecoveredEqual(db, dir)
        let before = PersistenceTests.dump(db)
        db.close()
        let reopened = try Database(configuration: PersistenceTests.configuration(dir))
        defer { reopened.close() }
        #expect(PersistenceTests.dump(reopened) == before)
        func layoutOf(_ key: String) -> RowLayout? {
            reopened.keyspace.read(Bytes(key)) { value in
                if case .row(let row)? = value { row.layout } else { nil }
            }
        }
        let shared = try #require(layoutOf("users:0"))
        #expect(shared == layout)
        #expect((0..<60).allSatisfy { layoutOf("users:\($0)") === shared })
    }
}
