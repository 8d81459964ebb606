import MemFluxCore
@testable import MemFluxStorage
import Testing

/// System keys: ordinary keys by name, in transactions and in the files;
/// left out of every whole-keyspace operation, FLUSHALL included.
@Suite struct SystemKeyTests {
    let schema = SystemKey.make("sql", Bytes("table:users"))
    let otherSchema = SystemKey.make("sql", Bytes("table:orders"))
    let row = Bytes("users:1")
    let plain = Bytes("plain")

    @Test func keysStartWithZeroFF() {
        #expect(schema == Bytes([0x00, 0xFF] + Array("sql:table:users".utf8)))
        #expect(SystemKey.prefix("sql") == Bytes([0x00, 0xFF] + Array("sql:".utf8)))
        #expect(KeyDirectory.prefix(of: schema) == SystemKey.prefix("sql"))
        #expect(schema.isSystemKey)
        #expect(SystemKey.make("graph", Bytes(String(repeating: "x", count: 40))).isSystemKey, "the heap form too")
        #expect(Bytes([0x00, 0xFF]).isSystemKey)
        #expect(!row.isSystemKey)
        #expect(!Bytes([0x00]).isSystemKey)
        #expect(!Bytes([0xFF, 0x00]).isSystemKey)
        #expect(!Bytes().isSystemKey)
    }

    @Test func readByNameButLeftOutOfWholeKeyspaceOperations() {
        let ks = Keyspace()
        put(ks, schema, "definition")
        put(ks, row, "r")
        put(ks, plain, "p")
        #expect(ks.read(schema) { text($0) } == "definition")
        #expect(ks.count() == 2)
        #expect(pairs { visit in ks.forEach { key, value in _ = visit(key, value) } } == ["plain=p", "users:1=r"])
        let step = ks.scan(cursor: 0, count: 1000) { _, _ in true }
        #expect(step.next == 0)
        #expect(step.keys.sorted() == [plain, row])
        #expect(ks.keys(withDirectoryPrefix: SystemKey.prefix("sql")) == [schema], "a prefix scan of the namespace reads them")
        expectCountersMatchTables(ks)
    }

    @Test func countStaysExactThroughTombstonesAndVacuum() {
        let ks = Keyspace()
        put(ks, schema, "a")
        put(ks, row, "b")
        let snapshot = ks.snapshots.acquire()
        ks.modify(schema) { $0.delete() }
        #expect(ks.count() == 1)
        put(ks, schema, "again")
        #expect(ks.count() == 1)
        ks.modify(schema) { $0.delete() }
        expectCountersMatchTables(ks)
        ks.snapshots.release(snapshot)
        ks.vacuum()
        expectCountersMatchTables(ks)
        ks.modify(row) { $0.delete() }
        #expect(ks.count() == 0)
        put(ks, schema, "x")
        #expect(ks.count() == 0)
        expectCountersMatchTables(ks)
    }

    @Test func transactionsReadThemByNameAndLeaveThemOutOfWholeKeyspaceReads() {
        let ks = Keyspace()
        put(ks, schema, "definition")
        put(ks, row, "r")
        let t = ks.begin(isolation: .serializable)
        #expect(ks.read(schema, in: t) { text($0) } == "definition")
        ks.modify(otherSchema, in: t) { $0.store(.bytes(Bytes("pending"))) }
        #expect(pairs { visit in ks.forEach(in: t) { key, value in _ = visit(key, value) } } == ["users:1=r"])
        #expect(ks.count(in: t) == 1)
        #expect(ks.scan(in: t) { _, _ in true }.keys == [row])
        ks.removeAll(in: t)
        #expect(ks.read(row, in: t) { $0 == nil })
        #expect(ks.read(schema, in: t) { text($0) } == "definition")
        #expect(ks.commit(t) == .committed)
        #expect(ks.read(otherSchema) { text($0) } == "pending")
        #expect(ks.read(schema) { text($0) } == "definition")
        #expect(ks.count() == 0)

        let wipe = ks.begin(isolation: .snapshot)
        KeyAccess(keyspace: ks, transaction: wipe).removeAllIncludingSystemKeys()
        #expect(ks.read(schema, in: wipe) { $0 == nil })
        #expect(ks.commit(wipe) == .committed)
        #expect(ks.keys(withDirectoryPrefix: SystemKey.prefix("sql")) == [])
        expectCountersMatchTables(ks)
    }

    @Test(arguments: [false, true])
    func removeAllKeepsThem(snapshotOpen: Bool) {
        let ks = Keyspace()
        put(ks, schema, "definition")
        put(ks, row, "r")
        let snapshot = snapshotOpen ? ks.snapshots.acquire() : nil
        ks.removeAll()
        #expect(ks.read(schema) { text($0) } == "definition")
        #expect(ks.read(row) { $0 == nil })
        #expect(ks.count() == 0)
        expectCountersMatchTables(ks)
        if let snapshot {
            #expect(text(ks.read(row, at: snapshot)) == "r", "the open snapshot keeps reading what was deleted")
            ks.snapshots.release(snapshot)
        }
        KeyAccess(keyspace: ks, transaction: nil).removeAllIncludingSystemKeys()
        #expect(ks.read(schema) { $0 == nil })
        expectCountersMatchTables(ks)
    }

    @Test func snapshotsAndTheLogKeepThem() throws {
        let logOnly = try JournaledKeyspace()
        put(logOnly.keyspace, schema, "definition")
        put(logOnly.keyspace, row, "r")
        logOnly.keyspace.removeAll()
        let replayed = try logOnly.recover()
        #expect(replayed.read(schema) { text($0) } == "definition", "a replayed FLUSHALL keeps system keys")
        #expect(replayed.read(row) { $0 == nil })

        let j = try JournaledKeyspace()
        put(j.keyspace, schema, "definition")
        put(j.keyspace, row, "r")
        #expect(try j.saveSnapshot() == 2)
        j.keyspace.removeAll()
        put(j.keyspace, otherSchema, "second")
        let recovered = try j.recover()
        #expect(recovered.read(schema) { text($0) } == "definition")
        #expect(recovered.read(otherSchema) { text($0) } == "second")
        #expect(recovered.read(row) { $0 == nil })
        #expect(recovered.count() == 0)
        expectCountersMatchTables(recovered)

        j.keyspace.removeAllIncludingSystemKeys()
        let wiped = try j.recover()
        #expect(wiped.read(schema) { $0 == nil })
        #expect(wiped.read(otherSchema) { $0 == nil })
        expectCountersMatchTables(wiped)
    }
}
