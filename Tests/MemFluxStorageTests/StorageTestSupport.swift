// Shared fixtures for the storage tests: writing and reading byte values,
// a keyspace that journals to a real write-ahead log (and what recovery makes
// of its files), and a check that each shard's counters match its table.

import Glibc
import MemFluxCore
import MemFluxPersistence
@testable import MemFluxStorage
import Testing

func put(_ ks: Keyspace, _ key: Bytes, _ value: String, expireAt: Int64 = 0) {
    ks.modify(key) { slot in
        slot.store(.bytes(Bytes(value)))
        slot.expireAt = expireAt
    }
}

func text(_ v: Value?) -> String? {
    if case .bytes(let b)? = v { return b.string }
    return nil
}

/// `key=value` for each visited pair, sorted: what a scan saw, in one comparable value.
func pairs(_ visit: ((Bytes, borrowing Value) -> Bool) -> Void) -> [String] {
    var seen: [String] = []
    visit { key, value in
        seen.append("\(key)=\(text(value) ?? "?")")
        return true
    }
    return seen.sorted()
}

/// Recomputes every shard's key counters from its table and expects them to match.
func expectCountersMatchTables(_ ks: Keyspace, sourceLocation: SourceLocation = #_sourceLocation) {
    for (i, shard) in ks.shards.enumerated() {
        var tombstones = 0, systemEntries = 0, systemTombstones = 0
        shard.table.forEachSlot { slot in
            let isTombstone = shard.table.entry(at: slot).pointee.head.value == nil
            if isTombstone { tombstones += 1 }
            if shard.table.key(at: slot).isSystemKey {
                systemEntries += 1
                if isTombstone { systemTombstones += 1 }
            }
        }
        #expect(shard.tombstones == tombstones, "shard \(i)", sourceLocation: sourceLocation)
        #expect(shard.systemEntries == systemEntries, "shard \(i)", sourceLocation: sourceLocation)
        #expect(shard.systemTombstones == systemTombstones, "shard \(i)", sourceLocation: sourceLocation)
    }
}

/// A keyspace journaling to a write-ahead log in a fresh directory.
final class JournaledKeyspace {
    let directory: String
    let keyspace = Keyspace()
    let log: WriteAheadLog

    init() throws {
        var template = Array("/tmp/memflux-storage-test-XXXXXX".utf8CString)
        directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        log = try WriteAheadLog(primaryPath: directory + "/wal", overflowPath: directory + "/wal.overflow", durability: .none)
        keyspace.startJournaling(to: log)
    }

    deinit { log.close() }

    /// Writes a snapshot of everything committed so far; returns its key count.
    /// The log goes on, and recovery replays what is newer than the snapshot.
    @discardableResult
    func saveSnapshot() throws -> Int {
        let snapshot = keyspace.snapshots.acquire()
        defer { keyspace.snapshots.release(snapshot) }
        let writer = try SnapshotFile.Writer(tempPath: directory + "/snapshot.tmp")
        let keys = try keyspace.writeSnapshot(at: snapshot, to: writer)
        try writer.commit(to: directory + "/snapshot")
        return keys
    }

    /// A new keyspace recovered from the files as a crash would leave them: the snapshot, if any, then the log.
    func recover() throws -> Keyspace {
        log.writeOut()
        let recovered = Keyspace()
        let sequence = try recovered.loadSnapshot(directory + "/snapshot")?.sequence ?? 0
        _ = try recovered.replayLog(directory + "/wal", after: sequence)
        return recovered
    }
}
