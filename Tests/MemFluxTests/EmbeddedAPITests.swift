// The embedded Swift API as a user sees it: this file imports MemFlux alone,
// so everything it names (Configuration, Bytes, SQLValue, MemFluxError ...)
// must come with that one import. Replies may be ignored without warnings.

import MemFlux
import Testing

@Suite struct EmbeddedAPITests {
    @Test func importMemFluxAloneIsEnough() throws {
        var configuration = Configuration()
        configuration.persistence = false
        let db = try Database(configuration: configuration)
        let s = db.session()
        try s.execute(["SET", "greeting", "hello"])
        try s.execute([Bytes("RPUSH"), Bytes("queue"), Bytes("a"), Bytes("b")])
        #expect(try s.string("GET", "greeting") == "hello")
        #expect(try s.string("GET", "missing") == nil)
        #expect(try s.integer("LLEN", "queue") == 2)
        #expect(try s.array("LRANGE", "queue", "0", "-1").compactMap(\.stringValue) == ["a", "b"])
        #expect(throws: MemFluxError.self) { try s.integer("GET", "greeting") }
        let error = #expect(throws: MemFluxError.self) { try s.execute(["LPUSH", "greeting", "x"]) }
        #expect(error?.code == ErrorCode.wrongType)
        db.close()
    }

    @Test func rowsByColumnName() throws {
        let db = try Database(configuration: .inMemory)
        let s = db.session()
        try s.sql("CREATE TABLE users (id INT PRIMARY KEY, name TEXT, score REAL)")
        try s.sql("INSERT INTO users VALUES (?, ?, ?), (?, ?, ?)", [.int(1), .text("Ada"), .double(9.5), .int(2), .text("Lin"), .null])
        let rows = try s.rows("SELECT id, name, score FROM users ORDER BY id")
        #expect(rows.count == 2 && rows.columns.map(\.name) == ["id", "name", "score"])
        #expect(rows[0]["name"] == .text("Ada") && rows[0][0] == .int(1) && rows[1]["score"] == .null)
        #expect(rows[0]["nothing"] == nil)
        #expect(throws: MemFluxError.self) { try s.rows("INSERT INTO users VALUES (3, 'x', 1)") }
    }

    @Test func transactionCommitsOrRollsBack() throws {
        let db = try Database(configuration: .inMemory)
        let s = db.session()
        try s.transaction { s in
            try s.execute(["SET", "a", "1"])
            try s.execute(["SET", "b", "2"])
        }
        #expect(try s.string("GET", "b") == "2" && s.transaction == nil)
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try s.transaction { s in
                try s.execute(["SET", "a", "changed"])
                throw Abort()
            }
        }
        #expect(try s.string("GET", "a") == "1" && s.transaction == nil)
        let answer = try s.transaction(isolation: .snapshot) { s in try s.integer("INCR", "counter") }
        #expect(answer == 1)
        try s.execute(["BEGIN"])
        #expect(throws: MemFluxError.self) { try s.transaction { _ in } }
        try s.execute(["ROLLBACK"])
    }

    @Test func transactionRetriesASerializationFailure() throws {
        let db = try Database(configuration: .inMemory)
        let s = db.session(), other = db.session()
        try s.execute(["SET", "balance", "10"])
        var attempts = 0
        try s.transaction(isolation: .serializable, retries: 2) { s in
            attempts += 1
            let balance = Int(try s.string("GET", "balance") ?? "0") ?? 0
            // Another session changes the key between the read and the commit, once.
            if attempts == 1 { try other.execute(["SET", "balance", "20"]) }
            try s.execute(["SET", "balance", String(balance + 1)])
        }
        #expect(attempts == 2)
        #expect(try s.string("GET", "balance") == "21")
        var tries = 0
        let failure = #expect(throws: MemFluxError.self) {
            try s.transaction(isolation: .serializable, retries: 1) { s in
                tries += 1
                _ = try s.string("GET", "balance")
                try other.execute(["INCR", "balance"])
                try s.execute(["SET", "balance", "0"])
            }
        }
        #expect(failure?.code == ErrorCode.serialization && tries == 2)
    }
}
