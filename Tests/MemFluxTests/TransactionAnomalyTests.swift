// The Hermitage catalogue (github.com/ept/hermitage), translated from its
// PostgreSQL test table `test (id, value)` = {1: 10, 2: 20} to keys `test:1`,
// `test:2` and KV commands, with two or three sessions interleaving exactly as
// the catalogue's steps. A "select where" over the table is `KEYS test:*` (a
// predicate read) followed by GETs. Snapshot isolation must prevent every
// anomaly but the write-skew family (G2-item, G2); serializable prevents all.

import MemFlux
import MemFluxCore
import Testing

private let serializationFailure = Reply.error(MemFluxError(
    .serialization, "could not serialize access due to a concurrent transaction; the transaction was rolled back"))

@Suite struct TransactionAnomalyTests {
    let db: Database
    let t1: Session, t2: Session, t3: Session

    init() throws {
        db = try Database(configuration: .inMemory)
        (t1, t2, t3) = (db.session(), db.session(), db.session())
        _ = t1.reply(["SET", "test:1", "10"].map { Bytes($0) })
        _ = t1.reply(["SET", "test:2", "20"].map { Bytes($0) })
    }

    @discardableResult
    func on(_ s: Session, _ words: String...) -> Reply { s.reply(words.map { Bytes($0) }) }

    func begin(_ isolation: String, _ sessions: Session...) {
        for s in sessions { #expect(on(s, "BEGIN", "ISOLATION", "LEVEL", isolation) == .ok) }
    }

    /// `select * from test` as the session sees it: sorted key=value pairs.
    func table(_ s: Session) -> [String] {
        guard case .array(let keys) = on(s, "KEYS", "test:*") else { return ["?"] }
        return keys.compactMap { reply -> String? in
            guard case .bulk(let key) = reply, case .bulk(let value) = on(s, "GET", key.string) else { return nil }
            return "\(key.string)=\(value.string)"
        }.sorted()
    }

    static let levels = ["SNAPSHOT", "SERIALIZABLE"]

    @Test(arguments: levels) func g0WriteCycles(_ level: String) {
        begin(level, t1, t2)
        on(t1, "SET", "test:1", "11")
        on(t2, "SET", "test:1", "12")
        on(t1, "SET", "test:2", "21")
        #expect(on(t1, "COMMIT") == .ok)
        on(t2, "SET", "test:2", "22")
        #expect(on(t2, "COMMIT") == serializationFailure)
        #expect(table(t3) == ["test:1=11", "test:2=21"])
    }

    @Test(arguments: levels) func g1aAbortedReads(_ level: String) {
        begin(level, t1, t2)
        on(t1, "SET", "test:1", "101")
        #expect(table(t2) == ["test:1=10", "test:2=20"])
        #expect(on(t1, "ROLLBACK") == .ok)
        #expect(table(t2) == ["test:1=10", "test:2=20"])
        #expect(on(t2, "COMMIT") == .ok)
    }

    @Test(arguments: levels) func g1bIntermediateReads(_ level: String) {
        begin(level, t1, t2)
        on(t1, "SET", "test:1", "101")
        #expect(table(t2) == ["test:1=10", "test:2=20"])
        on(t1, "SET", "test:1", "11")
        #expect(on(t1, "COMMIT") == .ok)
        #expect(table(t2) == ["test:1=10", "test:2=20"])
        #expect(on(t2, "COMMIT") == .ok)
    }

    @Test(arguments: levels) func g1cCircularInformationFlow(_ level: String) {
        begin(level, t1, t2)
        on(t1, "SET", "test:1", "11")
        on(t2, "SET", "test:2", "22")
        #expect(on(t1, "GET", "test:2") == bulk("20"))
        #expect(on(t2, "GET", "test:1") == bulk("10"))
        #expect(on(t1, "COMMIT") == .ok)
        // Each read the other's old value: a cycle. Snapshot isolation lets
        // both commit (no write conflict); serializable refuses the second.
        #expect(on(t2, "COMMIT") == (level == "SNAPSHOT" ? .ok : serializationFailure))
    }

    @Test(arguments: levels) func otvObservedTransactionVanishes(_ level: String) {
        begin(level, t1, t2, t3)
        on(t1, "SET", "test:1", "11")
        on(t1, "SET", "test:2", "19")
        on(t2, "SET", "test:1", "12")
        #expect(on(t1, "COMMIT") == .ok)
        #expect(on(t3, "GET", "test:1") == bulk("10"))
        on(t2, "SET", "test:2", "18")
        #expect(on(t3, "GET", "test:2") == bulk("20"))
        #expect(on(t2, "COMMIT") == serializationFailure)
        #expect(on(t3, "COMMIT") == .ok)
        #expect(table(t3) == ["test:1=11", "test:2=19"])
    }

    @Test(arguments: levels) func pmpPredicateManyPreceders(_ level: String) {
        begin(level, t1, t2)
        #expect(table(t1) == ["test:1=10", "test:2=20"])
        on(t2, "SET", "test:3", "30")
        #expect(on(t2, "COMMIT") == .ok)
        #expect(table(t1) == ["test:1=10", "test:2=20"])
        #expect(on(t1, "COMMIT") == .ok)
    }

    @Test(arguments: levels) func pmpWritePredicates(_ level: String) {
        begin(level, t1, t2)
        on(t1, "INCRBY", "test:1", "10")
        on(t1, "INCRBY", "test:2", "10")
        #expect(on(t2, "GET", "test:2") == bulk("20"))
        on(t2, "DEL", "test:2")
        #expect(on(t1, "COMMIT") == .ok)
        #expect(on(t2, "COMMIT") == serializationFailure)
        #expect(table(t3) == ["test:1=20", "test:2=30"])
    }

    @Test(arguments: levels) func p4LostUpdate(_ level: String) {
        begin(level, t1, t2)
        #expect(on(t1, "GET", "test:1") == bulk("10"))
        #expect(on(t2, "GET", "test:1") == bulk("10"))
        on(t1, "SET", "test:1", "11")
        on(t2, "SET", "test:1", "11")
        #expect(on(t1, "COMMIT") == .ok)
        #expect(on(t2, "COMMIT") == serializationFailure)
    }

    @Test(arguments: levels) func gSingleReadSkew(_ level: String) {
        begin(level, t1, t2)
        #expect(on(t1, "GET", "test:1") == bulk("10"))
        #expect(table(t2) == ["test:1=10", "test:2=20"])
        on(t2, "SET", "test:1", "12")
        on(t2, "SET", "test:2", "18")
        #expect(on(t2, "COMMIT") == .ok)
        #expect(on(t1, "GET", "test:2") == bulk("20"))
        #expect(on(t1, "COMMIT") == .ok)
    }

    @Test(arguments: levels) func gSingleWriteSkewOnRead(_ level: String) {
        begin(level, t1, t2)
        #expect(on(t1, "GET", "test:1") == bulk("10"))
        #expect(table(t2) == ["test:1=10", "test:2=20"])
        on(t2, "SET", "test:1", "12")
        on(t2, "SET", "test:2", "18")
        #expect(on(t2, "COMMIT") == .ok)
        on(t1, "DEL", "test:2")
        #expect(on(t1, "COMMIT") == serializationFailure)
        #expect(table(t3) == ["test:1=12", "test:2=18"])
    }

    @Test(arguments: levels) func g2ItemWriteSkew(_ level: String) {
        begin(level, t1, t2)
        #expect(table(t1) == ["test:1=10", "test:2=20"])
        #expect(table(t2) == ["test:1=10", "test:2=20"])
        on(t1, "SET", "test:1", "11")
        on(t2, "SET", "test:2", "21")
        #expect(on(t1, "COMMIT") == .ok)
        #expect(on(t2, "COMMIT") == (level == "SNAPSHOT" ? .ok : serializationFailure))
    }

    @Test(arguments: levels) func g2AntiDependencyCycles(_ level: String) {
        begin(level, t1, t2)
        #expect(table(t1) == ["test:1=10", "test:2=20"])
        #expect(table(t2) == ["test:1=10", "test:2=20"])
        on(t1, "SET", "test:3", "30")
        on(t2, "SET", "test:4", "42")
        #expect(on(t1, "COMMIT") == .ok)
        #expect(on(t2, "COMMIT") == (level == "SNAPSHOT" ? .ok : serializationFailure))
    }

    @Test(arguments: levels) func g2TwoEdges(_ level: String) {
        begin(level, t1)
        #expect(table(t1) == ["test:1=10", "test:2=20"])
        begin(level, t2)
        on(t2, "SET", "test:2", "25")
        #expect(on(t2, "COMMIT") == .ok)
        begin(level, t3)
        #expect(table(t3) == ["test:1=10", "test:2=25"])
        #expect(on(t3, "COMMIT") == .ok)
        on(t1, "SET", "test:1", "0")
        #expect(on(t1, "COMMIT") == (level == "SNAPSHOT" ? .ok : serializationFailure))
    }
}
