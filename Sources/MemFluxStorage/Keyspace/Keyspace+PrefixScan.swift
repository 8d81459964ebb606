// Prefix scans: every key with one directory prefix (a SQL table `t` is the
// keys `t:*`) and its value, read where the versions are stored: no list of
// keys first, no second lookup per key, no read-set entry per row.
//
// A shard's lock is held only while a bounded batch of (key, value) pairs is
// copied out (values are copy-on-write, so a copy is a reference), never while
// the caller's closure runs: a scan of a large table holds writers up for
// microseconds at a time, and the closure may call back into the keyspace.
//
// The keys to visit come from the shard's prefix directory. The scan takes
// the directory's hash set by value, O(1) since sets are copy-on-write, and
// walks that copy between lock holds; a writer that creates or removes a key
// of the prefix meanwhile copies the set once rather than invalidating the
// walk. Each hash is visited once, with every key that has it, so no key is
// visited twice. Every key a transaction's snapshot can see is in the copy:
// nothing removes an entry that an open snapshot could still read.

import MemFluxCore

extension Keyspace {
    /// Pairs copied out of a shard per lock hold.
    static let scanBatch = 256

    /// Calls `visit` for every key with directory prefix `prefix` (which ends
    /// in `:`) and its value as `transaction` sees them: the snapshot's visible
    /// versions, overlaid with the transaction's own pending writes as they are
    /// when the scan starts (deleted ones skipped, new ones included; writes
    /// `visit` makes are not visited). Registers one `.prefix` read predicate
    /// (serializable), never one read per row. Holds a shard's lock only while
    /// copying a bounded batch of (key, value) pairs out of it, never while
    /// `visit` runs, so `visit` may call back into the keyspace. `visit`
    /// answers false to stop the scan (LIMIT, EXISTS).
    ///
    ///     try keyspace.scan(prefix: Bytes("users:"), in: transaction) { key, value in ...; return true }
    ///
    /// - Complexity: O(keys with the prefix + the transaction's pending writes).
    public func scan<E: Error>(
        prefix: Bytes, in transaction: Transaction, _ visit: (Bytes, borrowing Value) throws(E) -> Bool
    ) throws(E) {
        // No key has a prefix with another `:` before its end: nothing to read, nothing to validate.
        guard KeyDirectory.isPrefix(prefix) else { return }
        transaction.noteRead(.prefix(prefix))
        var own: [Bytes: PendingWrite] = [:]
        for (key, write) in transaction.writes where KeyDirectory.has(key, prefix: prefix) { own[key] = write }
        let snapshot = transaction.snapshot
        let finished = try walk(prefix, tracking: transaction.validatesReads, visit) { key, entry in
            own.isEmpty || own[key] == nil ? entry.visible(at: snapshot)?.liveValue : nil
        }
        guard finished else { return }
        for (key, write) in own {
            if let value = write.liveValue, try !visit(key, value) { return }
        }
    }

    /// `scan(prefix:in:_:)` without a transaction: the latest committed
    /// versions, each batch as of its lock hold (the walk as a whole is not a
    /// snapshot; a key created or deleted during it may be missed).
    public func scan<E: Error>(prefix: Bytes, _ visit: (Bytes, borrowing Value) throws(E) -> Bool) throws(E) {
        guard KeyDirectory.isPrefix(prefix) else { return }
        _ = try walk(prefix, tracking: false, visit) { _, entry in entry.head.liveValue }
    }

    /// Walks the keys of `prefix` shard by shard, visiting the value `pick`
    /// chooses from each key's entry (nil: skip the key). With `tracking`,
    /// each shard starts tracking the prefix's last commit first (see
    /// `Shard.lastCommit(withPrefix:)`), so the commit can validate the read.
    private func walk<E: Error>(
        _ prefix: Bytes, tracking: Bool, _ visit: (Bytes, borrowing Value) throws(E) -> Bool,
        pick: (Bytes, borrowing Entry) -> Value?
    ) throws(E) -> Bool {
        var batch: [(key: Bytes, value: Value)] = []
        batch.reserveCapacity(Keyspace.scanBatch)
        for shard in shards {
            shard.lock()
            if tracking { _ = shard.lastCommit(withPrefix: prefix) }
            let hashes = shard.directory.hashes(withPrefix: prefix)
            var next = hashes.startIndex
            while true {
                while next != hashes.endIndex && batch.count < Keyspace.scanBatch {
                    shard.table.forEachSlot(withHash: Int(hashes[next])) { slot in
                        let key = shard.table.key(at: slot)
                        guard KeyDirectory.has(key, prefix: prefix), let value = pick(key, shard.table.entry(at: slot).pointee)
                        else { return }
                        batch.append((key, value))
                    }
                    hashes.formIndex(after: &next)
                }
                shard.unlock()
                for pair in batch {
                    if try !visit(pair.key, pair.value) { return false }
                }
                batch.removeAll(keepingCapacity: true)
                if next == hashes.endIndex { break }
                shard.lock()
            }
        }
        return true
    }
}
