import Testing
import MemFluxCore
@testable import MemFluxStorage

/// Versioning: with no snapshot open writes replace in place (one version);
/// with a snapshot open the old version stays readable until it closes.
@Suite struct KeyspaceMVCCTests {
    let k = Bytes("k")

    func set(_ ks: Keyspace, _ key: Bytes, _ value: String) {
        ks.modify(key) { slot in slot.store(.bytes(Bytes(value))) }
    }

    func text(_ v: Value?) -> String? {
        if case .bytes(let b)? = v { return b.string }
        return nil
    }

    @Test func fastPathKeepsOneVersion() {
        let ks = Keyspace()
        for i in 0..<10 { set(ks, k, "v\(i)") }
        #expect(ks.versionCount(k) == 1)
        #expect(ks.read(k) { text($0) } == "v9")
    }

    @Test func snapshotSeesOldVersionUntilReleased() {
        let ks = Keyspace()
        set(ks, k, "old")
        let snapshot = ks.snapshots.acquire()
        set(ks, k, "new")
        set(ks, Bytes("born-later"), "x")
        #expect(text(ks.read(k, at: snapshot)) == "old")
        #expect(ks.read(k) { text($0) } == "new")
        #expect(ks.read(Bytes("born-later"), at: snapshot) == nil)
        #expect(ks.versionCount(k) == 2)
        ks.modify(k) { slot in slot.delete() }
        #expect(text(ks.read(k, at: snapshot)) == "old", "a delete leaves a tombstone while the snapshot needs the value")
        #expect(ks.read(k) { $0 == nil })
        #expect(ks.count() == 1)
        ks.snapshots.release(snapshot)
        set(ks, k, "again")
        #expect(ks.versionCount(k) == 1, "with no snapshot open the chain is dropped on the next write")
    }

    @Test func inPlaceListMutationUnderSnapshotCopiesNotCorrupts() {
        let ks = Keyspace()
        ks.modify(k) { slot in _ = try? slot.withList(create: true) { $0.append(Bytes("a")) } }
        let snapshot = ks.snapshots.acquire()
        ks.modify(k) { slot in _ = try? slot.withList { $0.append(Bytes("b")) } }
        guard case .list(let old)? = ks.read(k, at: snapshot) else { Issue.record("missing"); return }
        #expect(old.count == 1)
        let latest = ks.read(k) { v -> Int in if case .list(let l)? = v { l.count } else { 0 } }
        #expect(latest == 2)
        ks.snapshots.release(snapshot)
    }

    @Test func multiKeyWriteSharesOneSequenceNumber() {
        let ks = Keyspace()
        let a = Bytes("a"), b = Bytes("b")
        set(ks, a, "0"); set(ks, b, "0")
        let before = ks.snapshots.acquire()
        ks.withKeys([a, b]) { locked in
            locked.modify(a) { $0.store(.bytes(Bytes("1"))) }
            locked.modify(b) { $0.store(.bytes(Bytes("1"))) }
        }
        let after = ks.snapshots.acquire()
        #expect(after == before + 1, "one commit sequence number for the whole command")
        #expect(text(ks.read(a, at: before)) == "0" && text(ks.read(b, at: before)) == "0")
        #expect(text(ks.read(a, at: after)) == "1" && text(ks.read(b, at: after)) == "1")
        ks.snapshots.release(before)
        ks.snapshots.release(after)
    }

    @Test func failedWriteChangesNothing() {
        let ks = Keyspace()
        set(ks, k, "v")
        let result: Result<Void, MemFluxError> = Result { () throws(MemFluxError) in
            try ks.modify(k) { slot throws(MemFluxError) in _ = try slot.withList(create: true) { $0.append(Bytes("x")) } }
        }
        #expect(result.failure == .wrongType)
        #expect(ks.read(k) { text($0) } == "v")
    }

    @Test func prefixDirectoryTracksCreatesAndDeletes() {
        let ks = Keyspace()
        for i in 0..<50 { set(ks, Bytes("user:\(i)"), "x") }
        for i in 0..<50 { set(ks, Bytes("order:\(i)"), "x") }
        set(ks, Bytes("plain"), "x")
        #expect(ks.keys(withDirectoryPrefix: Bytes("user:")).count == 50)
        for i in 0..<10 { ks.modify(Bytes("user:\(i)")) { $0.delete() } }
        #expect(ks.keys(withDirectoryPrefix: Bytes("user:")).count == 40)
        #expect(ks.keys(withDirectoryPrefix: Bytes("nobody:")).isEmpty)
    }

    @Test func concurrentWritersAndSnapshotReaders() async {
        let ks = Keyspace()
        let a = Bytes("a"), b = Bytes("b")
        set(ks, a, "0"); set(ks, b, "0")
        // Writers move one unit from a to b atomically; readers check a + b == 0 in their snapshot.
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for _ in 0..<2000 {
                    ks.withKeys([a, b]) { locked in
                        let x = locked.read(a) { v in Int(text(v) ?? "0")! }
                        let y = locked.read(b) { v in Int(text(v) ?? "0")! }
                        locked.modify(a) { $0.store(.bytes(Bytes(String(x - 1)))) }
                        locked.modify(b) { $0.store(.bytes(Bytes(String(y + 1)))) }
                    }
                }
                return true
            }
            group.addTask {
                for _ in 0..<2000 {
                    let s = ks.snapshots.acquire()
                    let x = Int(text(ks.read(a, at: s)) ?? "0")!
                    let y = Int(text(ks.read(b, at: s)) ?? "0")!
                    ks.snapshots.release(s)
                    if x + y != 0 { return false }
                }
                return true
            }
            for await ok in group { #expect(ok) }
        }
        #expect(ks.read(a) { text($0) } == "-2000")
    }
}

extension Result {
    var failure: Failure? { if case .failure(let f) = self { f } else { nil } }
}
