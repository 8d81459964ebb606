import MemFluxCore
@testable import MemFluxStorage
import Testing

/// Serializable commits validate predicate reads from each shard's last-commit
/// numbers: per tracked prefix, and per shard for reads of every key.
@Suite struct PredicateValidationTests {
    let t = Bytes("t:")

    func insert(_ ks: Keyspace, _ key: String, in tx: Transaction) {
        ks.modify(Bytes(key), in: tx) { $0.store(.bytes(Bytes("v"))) }
    }

    func scan(_ ks: Keyspace, _ prefix: Bytes, in tx: Transaction) -> [String] {
        pairs { ks.scan(prefix: prefix, in: tx, $0) }
    }

    @Test func writeSkewThroughAPrefixScanIsCaught() {
        let ks = Keyspace()
        put(ks, Bytes("t:0"), "v")
        let first = ks.begin(isolation: .serializable), second = ks.begin(isolation: .serializable)
        #expect(scan(ks, t, in: first) == ["t:0=v"])
        #expect(scan(ks, t, in: second) == ["t:0=v"])
        insert(ks, "t:1", in: first)
        insert(ks, "t:2", in: second)
        #expect(ks.commit(first) == .committed)
        #expect(ks.commit(second) == .conflict)
        #expect(ks.keys(withDirectoryPrefix: t).sorted() == [Bytes("t:0"), Bytes("t:1")])
    }

    @Test func aCommitToAnotherPrefixDoesNotConflict() {
        let ks = Keyspace()
        put(ks, Bytes("t:0"), "v")
        let tx = ks.begin(isolation: .serializable)
        #expect(scan(ks, t, in: tx) == ["t:0=v"])
        put(ks, Bytes("u:1"), "other table")
        put(ks, Bytes("tx"), "no prefix")
        let other = ks.begin(isolation: .serializable)
        _ = scan(ks, Bytes("u:"), in: other)
        insert(ks, "u:2", in: other)
        #expect(ks.commit(other) == .committed)
        insert(ks, "t:1", in: tx)
        #expect(ks.commit(tx) == .committed, "its own insert into the scanned prefix is no conflict either")
    }

    @Test(arguments: [false, true])
    func aDeletionAfterTheSnapshotConflicts(scannedFirst: Bool) {
        let ks = Keyspace()
        put(ks, Bytes("t:0"), "v")
        let tx = ks.begin(isolation: .serializable)
        if scannedFirst { #expect(scan(ks, t, in: tx) == ["t:0=v"]) }
        ks.modify(Bytes("t:0")) { $0.delete() }
        // Scanned only now: the prefix starts being tracked from the tombstone the deletion left.
        if !scannedFirst { #expect(scan(ks, t, in: tx) == ["t:0=v"]) }
        insert(ks, "elsewhere", in: tx)
        #expect(ks.commit(tx) == .conflict)
    }

    @Test func aPrefixFirstScannedAfterACommitIntoItSinceTheSnapshotStillConflicts() {
        let ks = Keyspace()
        let tx = ks.begin(isolation: .serializable)
        put(ks, Bytes("t:new"), "v")
        #expect(ks.shards.allSatisfy { $0.prefixCommits.isEmpty }, "no prefix is tracked before a serializable scan")
        #expect(scan(ks, t, in: tx) == [])
        insert(ks, "elsewhere", in: tx)
        #expect(ks.commit(tx) == .conflict)
    }

    @Test func anExpiryAfterTheSnapshotConflicts() {
        let ks = Keyspace()
        put(ks, Bytes("t:0"), "v", expireAt: WallClock.nowMilliseconds() - 1)
        let tx = ks.begin(isolation: .serializable)
        #expect(scan(ks, t, in: tx) == [])
        #expect(ks.expireDueKeys() == 1)
        insert(ks, "elsewhere", in: tx)
        #expect(ks.commit(tx) == .conflict)
    }

    @Test func snapshotIsolationRegistersNothing() {
        let ks = Keyspace()
        put(ks, Bytes("t:0"), "v")
        let tx = ks.begin(isolation: .snapshot)
        #expect(scan(ks, t, in: tx) == ["t:0=v"])
        #expect(ks.count(in: tx) == 1)
        #expect(tx.predicates.isEmpty)
        #expect(tx.reads.isEmpty)
        #expect(ks.shards.allSatisfy { $0.prefixCommits.isEmpty })
        put(ks, Bytes("t:1"), "v")
        insert(ks, "t:2", in: tx)
        #expect(ks.commit(tx) == .committed)
    }

    @Test func trackingStartsAtTheFirstSerializableScanAndFollowsEveryWrite() {
        let ks = Keyspace()
        put(ks, Bytes("t:0"), "v")
        let tx = ks.begin(isolation: .serializable)
        _ = scan(ks, t, in: tx)
        #expect(ks.shards.allSatisfy { $0.prefixCommits.prefixes == [t] })
        let key = Bytes("t:1")
        put(ks, key, "v")
        let shard = ks.shards[Keyspace.shardIndex(of: key)]
        #expect(shard.prefixCommits[t] == ks.lastCommit(key))
        #expect(shard.lastWrite == ks.lastCommit(key))
        ks.rollback(tx)
    }

    @Test func prefixCommitsFollowOnlyKeysWhoseDirectoryPrefixIsTracked() {
        var commits = PrefixCommits()
        let long = Bytes(String(repeating: "l", count: 70) + ":")
        let eighteen = Bytes(String(repeating: "s", count: 16) + "a:")
        commits.track(Bytes("ab:"), from: 1)
        commits.track(Bytes("cd:"), from: 2)
        commits.track(long, from: 3)
        commits.track(eighteen, from: 4)
        commits.noteCommit(Bytes("cd:1"), 10)
        commits.noteCommit(Bytes("ab"), 11)
        commits.noteCommit(Bytes("ab:x:y"), 12)
        commits.noteCommit(Bytes("x:ab:"), 13)
        commits.noteCommit(Bytes("abc:1"), 14)
        commits.noteCommit(Bytes("cd:2"), 9)
        commits.noteCommit(long + Bytes("k"), 15)
        commits.noteCommit(Bytes(String(repeating: "m", count: 70) + ":k"), 16)
        commits.noteCommit(Bytes(String(repeating: "s", count: 16) + "a:k"), 17)
        commits.noteCommit(Bytes(String(repeating: "s", count: 16) + "b:k"), 18)
        #expect(commits[Bytes("ab:")] == 12)
        #expect(commits[Bytes("cd:")] == 10)
        #expect(commits[long] == 15)
        #expect(commits[eighteen] == 17, "an 18-byte prefix that differs after its first 16 bytes is another prefix")
        #expect(commits[Bytes("x:")] == nil)
        commits.raiseAll(to: 20)
        #expect(commits.prefixes.map { commits[$0] } == [20, 20, 20, 20])
    }

    @Test func aReadOfEveryKeyConflictsWithAnyCommitSinceTheSnapshot() {
        let ks = Keyspace()
        put(ks, Bytes("a"), "v")
        let quiet = ks.begin(isolation: .serializable)
        #expect(ks.count(in: quiet) == 1)
        insert(ks, "b", in: quiet)
        #expect(ks.commit(quiet) == .committed)

        let tx = ks.begin(isolation: .serializable)
        #expect(ks.count(in: tx) == 2)
        put(ks, Bytes("unrelated"), "v")
        insert(ks, "c", in: tx)
        #expect(ks.commit(tx) == .conflict)
    }
}
