import MemFluxCore
@testable import MemFluxStorage
import Testing

/// Prefix scans read versions in place: a transaction's snapshot overlaid
/// with its own pending writes, in batches, with no lock held while the
/// caller's closure runs.
@Suite struct PrefixScanTests {
    let t = Bytes("t:")

    func table(_ ks: Keyspace, _ rows: [String: String]) {
        for (key, value) in rows { put(ks, Bytes(key), value) }
    }

    @Test func ownWritesOverlayTheSnapshot() {
        let ks = Keyspace()
        table(ks, ["t:1": "a", "t:2": "b", "t:3": "c", "u:1": "x"])
        let tx = ks.begin(isolation: .snapshot)
        ks.modify(Bytes("t:1"), in: tx) { $0.store(.bytes(Bytes("A"))) }
        ks.modify(Bytes("t:2"), in: tx) { $0.delete() }
        ks.modify(Bytes("t:4"), in: tx) { $0.store(.bytes(Bytes("d"))) }
        ks.modify(Bytes("u:2"), in: tx) { $0.store(.bytes(Bytes("y"))) }
        #expect(pairs { ks.scan(prefix: t, in: tx, $0) } == ["t:1=A", "t:3=c", "t:4=d"])
        #expect(ks.keys(withDirectoryPrefix: t, in: tx).sorted() == [Bytes("t:1"), Bytes("t:3"), Bytes("t:4")])
        #expect(pairs { ks.scan(prefix: t, $0) } == ["t:1=a", "t:2=b", "t:3=c"], "outside the transaction nothing is pending")
        ks.rollback(tx)
    }

    @Test func versionsCommittedAfterTheSnapshotAreInvisible() {
        let ks = Keyspace()
        table(ks, ["t:1": "a", "t:2": "b", "t:3": "c"])
        let tx = ks.begin(isolation: .snapshot)
        put(ks, Bytes("t:1"), "changed")
        put(ks, Bytes("t:5"), "new")
        ks.modify(Bytes("t:3")) { $0.delete() }
        #expect(pairs { ks.scan(prefix: t, in: tx, $0) } == ["t:1=a", "t:2=b", "t:3=c"])
        #expect(pairs { KeyAccess(keyspace: ks, transaction: tx).scan(prefix: t, $0) } == ["t:1=a", "t:2=b", "t:3=c"])
        #expect(pairs { KeyAccess(keyspace: ks, transaction: nil).scan(prefix: t, $0) } == ["t:1=changed", "t:2=b", "t:5=new"])
        ks.rollback(tx)
    }

    @Test func expiredKeysAreInvisible() {
        let ks = Keyspace()
        let past = WallClock.nowMilliseconds() - 1000, future = WallClock.nowMilliseconds() + 3_600_000
        put(ks, Bytes("t:gone"), "x", expireAt: past)
        put(ks, Bytes("t:later"), "y", expireAt: future)
        let tx = ks.begin(isolation: .snapshot)
        ks.modify(Bytes("t:pending")) { $0.store(.bytes(Bytes("z"))) }
        ks.modify(Bytes("t:mine"), in: tx) { slot in
            slot.store(.bytes(Bytes("m")))
            slot.expireAt = past
        }
        #expect(pairs { ks.scan(prefix: t, in: tx, $0) } == ["t:later=y"])
        #expect(pairs { ks.scan(prefix: t, $0) } == ["t:later=y", "t:pending=z"])
        ks.rollback(tx)
    }

    /// Keys that all live in shard 0.
    func keysInShardZero(_ count: Int, prefix: String) -> [Bytes] {
        var keys: [Bytes] = []
        var i = 0
        while keys.count < count {
            let key = Bytes("\(prefix)\(i)")
            if Keyspace.shardIndex(of: key) == 0 { keys.append(key) }
            i += 1
        }
        return keys
    }

    @Test func aShardWithMoreKeysThanOneBatchWhileVisitWritesIntoIt() {
        let ks = Keyspace()
        let rows = keysInShardZero(3 * Keyspace.scanBatch + 17, prefix: "t:")
        for key in rows { put(ks, key, "v") }
        // Created by `visit` in the same shard, so the directory and the table grow between batches.
        var newKeys = keysInShardZero(2 * rows.count, prefix: "t:more").makeIterator()
        let tx = ks.begin(isolation: .serializable)
        var seen: [Bytes] = []
        ks.scan(prefix: t, in: tx) { key, value in
            seen.append(key)
            #expect(ks.read(key) { text($0) } == text(value), "visit may read the keyspace: no lock is held")
            for _ in 0..<2 { if let k = newKeys.next() { put(ks, k, "later") } }
            return true
        }
        #expect(seen.count == rows.count)
        #expect(Set(seen) == Set(rows))
        #expect(ks.keys(withDirectoryPrefix: t).count == 3 * rows.count)
        ks.rollback(tx)
    }

    @Test func keysPresentThroughoutAreVisitedOnceWhileVisitRemovesAndShrinks() {
        // Dense shard (read in slot order): removals shift probe runs back and
        // shrink the table between lock holds.
        let ks = Keyspace()
        let rows = keysInShardZero(4 * Keyspace.scanBatch, prefix: "t:")
        let others = keysInShardZero(3 * Keyspace.scanBatch, prefix: "o:")
        for key in rows + others { put(ks, key, "v") }
        var doomed = others.makeIterator()
        var seen: [Bytes] = []
        ks.scan(prefix: t) { key, _ in
            seen.append(key)
            for _ in 0..<3 { if let k = doomed.next() { ks.modify(k) { $0.delete() } } }
            // Rows already visited go too, so the table ends small enough to shrink.
            ks.modify(key) { $0.delete() }
            return true
        }
        #expect(seen.count == rows.count)
        #expect(Set(seen) == Set(rows))
        #expect(ks.shards[0].table.capacity < 1000, "the table shrank during the scan")
    }

    @Test func aSparsePrefixIsReadThroughTheDirectory() {
        let ks = Keyspace()
        let rows = keysInShardZero(50, prefix: "t:")
        for key in rows + keysInShardZero(1000, prefix: "o:") { put(ks, key, "v") }
        let tx = ks.begin(isolation: .snapshot)
        #expect(pairs { ks.scan(prefix: t, in: tx, $0) } == rows.map { "\($0)=v" }.sorted())
        ks.rollback(tx)
    }

    @Test func writesMadeByVisitAreNotVisitedAgain() {
        let ks = Keyspace()
        table(ks, ["t:1": "a", "t:2": "b"])
        let tx = ks.begin(isolation: .snapshot)
        ks.modify(Bytes("t:3"), in: tx) { $0.store(.bytes(Bytes("c"))) }
        var visits: [String] = []
        ks.scan(prefix: t, in: tx) { key, value in
            visits.append("\(key)=\(text(value) ?? "?")")
            // An UPDATE of every row it scans, and an INSERT into the same table.
            ks.modify(key, in: tx) { $0.store(.bytes(Bytes("updated"))) }
            ks.modify(key + Bytes("x"), in: tx) { $0.store(.bytes(Bytes("inserted"))) }
            return true
        }
        #expect(visits.sorted() == ["t:1=a", "t:2=b", "t:3=c"])
        #expect(pairs { ks.scan(prefix: t, in: tx, $0) } == [
            "t:1=updated", "t:1x=inserted", "t:2=updated", "t:2x=inserted", "t:3=updated", "t:3x=inserted",
        ])
        ks.rollback(tx)
    }

    struct Stop: Error, Equatable {}

    @Test func anErrorFromVisitEndsTheScanWithNoLockHeld() {
        let ks = Keyspace()
        table(ks, ["t:1": "a", "t:2": "b", "t:3": "c"])
        var visited = 0
        let result = Result { () throws(Stop) in
            try ks.scan(prefix: t) { (_, _) throws(Stop) in
                visited += 1
                throw Stop()
            }
        }
        #expect(result.failure == Stop())
        #expect(visited == 1)
        put(ks, Bytes("t:4"), "d")
        #expect(ks.keys(withDirectoryPrefix: t).count == 4)
    }

    @Test func onlyDirectoryPrefixesMatch() {
        let ks = Keyspace()
        table(ks, ["a:b:c": "1", "a:x": "2", "ab": "3"])
        let tx = ks.begin(isolation: .snapshot)
        ks.modify(Bytes("a:b:d"), in: tx) { $0.store(.bytes(Bytes("4"))) }
        #expect(pairs { ks.scan(prefix: Bytes("a:"), in: tx, $0) } == ["a:b:c=1", "a:b:d=4", "a:x=2"])
        #expect(pairs { ks.scan(prefix: Bytes("a:b:"), in: tx, $0) } == [], "no key has `a:b:` as its directory prefix")
        #expect(pairs { ks.scan(prefix: Bytes("a"), $0) } == [])
        ks.rollback(tx)
    }

    @Test func aSerializableScanRegistersOnePredicateAndNoReads() {
        let ks = Keyspace()
        table(ks, ["t:1": "a", "t:2": "b"])
        let tx = ks.begin(isolation: .serializable)
        for _ in 0..<3 { ks.scan(prefix: t, in: tx) { _, _ in true } }
        #expect(tx.predicates == [.prefix(t)])
        #expect(tx.reads.isEmpty)
        ks.rollback(tx)
    }

    /// Every key of a parallel scan, from all its threads' batches, sorted.
    func keysInParallel(_ ks: Keyspace, _ prefix: Bytes, in tx: Transaction?) -> (keys: [String], batches: Int) {
        let batches = ks.scanInParallel(prefix: prefix, in: tx, batch: { [String]() }) { pairs, keys in
            pairs.forEach { key, value in keys.append(key.bytes.string + "=" + (text(value.value) ?? "")) }
        }
        return (batches.flatMap { $0 }.sorted(), batches.count)
    }

    /// Two helpers, so that the walk runs on three threads whatever the machine.
    private static let helpers = HelperThreads(count: 2)

    @Test func aParallelScanSeesEachKeyOnceWithTheOwnWritesOverlaid() {
        let ks = Keyspace(scanHelpers: Self.helpers)
        let count = Keyspace.parallelScanMinimum * 2
        for i in 0..<count { put(ks, Bytes("t:\(i)"), "v") }
        for i in 0..<100 { put(ks, Bytes("u:\(i)"), "other") }
        let tx = ks.begin(isolation: .serializable)
        ks.modify(Bytes("t:1"), in: tx) { $0.store(.bytes(Bytes("mine"))) }
        ks.modify(Bytes("t:2"), in: tx) { $0.delete() }
        ks.modify(Bytes("t:new"), in: tx) { $0.store(.bytes(Bytes("n"))) }
        put(ks, Bytes("t:later"), "after the snapshot")
        var expected = (0..<count).filter { $0 != 2 }.map { "t:\($0)=" + ($0 == 1 ? "mine" : "v") } + ["t:new=n"]
        expected.sort()
        let (keys, batches) = keysInParallel(ks, t, in: tx)
        #expect(keys == expected)
        #expect(batches == 3)
        #expect(tx.predicates == [.prefix(t)])
        ks.rollback(tx)
        #expect(keysInParallel(ks, t, in: nil).keys.count == count + 1, "the latest versions: every key and t:later")
        #expect(keysInParallel(ks, Bytes("u:"), in: nil) == ((0..<100).map { "u:\($0)=other" }.sorted(), 1), "a small prefix: one thread")
    }

    @Test func anErrorInAParallelScanStopsItAndIsThrown() {
        let ks = Keyspace(scanHelpers: Self.helpers)
        for i in 0..<(Keyspace.parallelScanMinimum * 2) { put(ks, Bytes("t:\(i)"), "v") }
        let poisoned = Bytes("t:12345")
        let result = Result { () throws(Stop) -> [Int] in
            try ks.scanInParallel(prefix: t, in: nil, batch: { 0 }) { (pairs, seen) throws(Stop) in
                try pairs.forEach { (key, _) throws(Stop) in
                    if key.bytes == poisoned { throw Stop() }
                    seen += 1
                }
            }
        }
        #expect(result.failure == Stop())
        put(ks, Bytes("t:after"), "no shard is left locked")
        #expect(ks.read(Bytes("t:after")) { text($0) } == "no shard is left locked")
    }
}
