// Snapshot files that must load, and ones that must be refused cleanly.
//
// Snapshot and replay agree on expiry: a key changed after a snapshot's
// sequence number (the change logged as a delta) that expires before the
// snapshot writer reaches it must still be in the snapshot, or replaying the
// delta finds no key and recovery refuses files the server wrote itself. The
// test forces that interleaving itself: it holds the MVCC snapshot open,
// makes the change while the key is live (checked by the reply), waits until
// the key has expired (checked by PTTL), and only then writes the snapshot.

import Foundation
import MemFlux
import MemFluxCore
import MemFluxPersistence
import Testing

@Suite struct SnapshotRecoveryTests {
    @Test func aKeyChangedAfterTheSnapshotAndExpiredBeforeItIsWrittenStillReplays() throws {
        let (db, dir) = try PersistenceTests.openFresh()
        defer { db.close() }
        let s = db.session()
        func run(_ words: String...) -> Reply { s.reply(words.map { Bytes($0) }) }

        // A longer TTL if the machine is so loaded that the key expired before the change.
        var forced = false
        for ttl in [300, 3000, 30000] where !forced {
            let key = "k\(ttl)"
            #expect(run("RPUSH", key, "a") == .integer(1))
            #expect(run("PEXPIRE", key, String(ttl)) == .one)
            let snapshot = db.keyspace.snapshots.acquire()
            defer { db.keyspace.snapshots.release(snapshot) }
            // Logged as a delta (one element pushed) onto the value the snapshot holds.
            guard run("RPUSH", key, "b") == .integer(2) else {
                _ = run("DEL", key)
                continue
            }
            let deadline = Date().addingTimeInterval(Double(ttl) / 1000 + 30)
            while run("PTTL", key) != .integer(-2) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            #expect(run("PTTL", key) == .integer(-2))
            #expect(run("SET", "later", "x") == .ok)

            let writer = try SnapshotFile.Writer(tempPath: dir + "/memflux.snapshot.tmp")
            #expect(try db.keyspace.writeSnapshot(at: snapshot, to: writer) == 1)
            try writer.commit(to: dir + "/memflux.snapshot")
            forced = true
        }
        #expect(forced)
        // What a crash leaves: the snapshot and the whole primary log.
        let image = PersistenceTests.crashImage(db, dir)
        let recovered = try Database(configuration: PersistenceTests.configuration(image))
        defer { recovered.close() }
        let r = recovered.session()
        #expect(r.reply(["GET", "later"].map { Bytes($0) }) == .bulk(Bytes("x")))
        #expect(r.reply(["KEYS", "k*"].map { Bytes($0) }) == .array([]))
    }

    /// Counts in a snapshot's header and trailer past Int.max (a file with a
    /// valid checksum but not written by us) are an error naming the file, not a trap.
    @Test func snapshotCountsPastIntMaxAreRefusedNotATrap() throws {
        let dir = PersistenceTests.directory()
        let writer = try SnapshotFile.Writer(tempPath: dir + "/memflux.snapshot.tmp")
        try writer.frame { out in
            out.append(1)  // meta: sequence, key count estimate
            out.appendUInt64(1)
            out.appendUInt64(.max)
        }
        try writer.frame { out in
            out.append(3)  // trailer: key count
            out.appendUInt64(.max)
        }
        try writer.commit(to: dir + "/memflux.snapshot")
        #expect(throws: MemFluxError(.err, "snapshot \(dir)/memflux.snapshot holds 0 keys but its trailer says \(Int.max)")) {
            try Database(configuration: PersistenceTests.configuration(dir))
        }
    }
}
