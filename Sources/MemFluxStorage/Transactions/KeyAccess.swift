// KeyAccess: the keyspace as a command handler sees it. Outside a
// transaction every call goes straight to the keyspace (auto-commit: each
// command is its own transaction); inside BEGIN ... COMMIT or EXEC it goes
// through the session's transaction, which reads its snapshot and buffers
// writes. Handlers are written once, against this, for both: the KV
// commands today, SQL and Cypher (which sit below MemFlux) when they land.
// Every member is @inlinable: it is on the path of every command, called
// from the modules above.

import MemFluxCore

public struct KeyAccess {
    /// Uncounted: the session that made this view holds both for the command's duration.
    public unowned(unsafe) let keyspace: Keyspace
    public unowned(unsafe) let transaction: Transaction?

    @inlinable
    public init(keyspace: Keyspace, transaction: Transaction?) {
        self.keyspace = keyspace
        self.transaction = transaction
    }

    @inlinable @inline(__always)
    public func read<R, E: Error>(_ key: Bytes, _ body: (borrowing Value?) throws(E) -> R) throws(E) -> R {
        if let transaction { return try keyspace.read(key, in: transaction, body) }
        return try keyspace.read(key, body)
    }

    /// Many keys at once, their cache misses overlapped (see `Keyspace.read(batch:prefetching:take:)`).
    @inlinable
    public func read<E: Error>(
        batch keys: ArraySlice<Bytes>, prefetching reach: RowReach?, take: (Int, ScannedValue?) throws(E) -> Void
    ) throws(E) {
        if let transaction { return try keyspace.read(batch: keys, in: transaction, prefetching: reach, take: take) }
        try keyspace.read(batch: keys, prefetching: reach, take: take)
    }

    @inlinable @inline(__always)
    public func modify<R, E: Error>(_ key: Bytes, _ body: (inout KeySlot) throws(E) -> R) throws(E) -> R {
        if let transaction { return try keyspace.modify(key, in: transaction, body) }
        return try keyspace.modify(key, body)
    }

    @inlinable
    public func withKeys<R, E: Error>(_ keys: [Bytes], _ body: (inout LockedKeys) throws(E) -> R) throws(E) -> R {
        if let transaction { return try keyspace.withKeys(keys, in: transaction, body) }
        return try keyspace.withKeys(keys, body)
    }

    /// The key's TTL as absolute Unix milliseconds: nil when absent, 0 when it has none.
    @inlinable
    public func expireAt(_ key: Bytes) -> Int64? {
        if let transaction { return keyspace.expireAt(key, in: transaction) }
        return keyspace.expireAt(key)
    }

    @inlinable
    public func forEach(_ visit: (Bytes, borrowing Value) -> Void) {
        if let transaction { return keyspace.forEach(in: transaction, visit) }
        keyspace.forEach(visit)
    }

    @inlinable
    public func keys(withDirectoryPrefix prefix: Bytes) -> [Bytes] {
        if let transaction { return keyspace.keys(withDirectoryPrefix: prefix, in: transaction) }
        return keyspace.keys(withDirectoryPrefix: prefix)
    }

    @inlinable
    public func count() -> Int {
        if let transaction { return keyspace.count(in: transaction) }
        return keyspace.count()
    }

    /// Deletes every key but the system keys (FLUSHALL).
    @inlinable
    public func removeAll() {
        if let transaction { return keyspace.removeAll(in: transaction) }
        keyspace.removeAll()
    }

    /// Deletes every key, system keys too.
    @inlinable
    public func removeAllIncludingSystemKeys() {
        if let transaction { return keyspace.removeAllIncludingSystemKeys(in: transaction) }
        keyspace.removeAllIncludingSystemKeys()
    }

    /// Every key with directory prefix `prefix` and its value, visited in
    /// place a bounded batch at a time (see `Keyspace.scan(prefix:in:_:)`):
    /// the transaction's view inside one, else the latest committed versions.
    @inlinable
    public func scan<E: Error>(prefix: Bytes, _ visit: (Bytes, borrowing Value) throws(E) -> Bool) throws(E) {
        if let transaction { return try keyspace.scan(prefix: prefix, in: transaction, visit) }
        try keyspace.scan(prefix: prefix, visit)
    }

    /// The batched form (see `Keyspace.scan(prefix:in:batch:take:drain:)`):
    /// `take` sees a batch of pairs in place with their shard locked and must not call
    /// into the keyspace; `drain` consumes the batch with no lock held.
    /// `reach`: what `take` reads of each typed row, prefetched as the batch is listed.
    @inlinable
    public func scan<Batch, E: Error>(
        prefix: Bytes, prefetching reach: RowReach? = nil, batch: inout Batch,
        take: (ScannedBatch, inout Batch) throws(E) -> Void, drain: (inout Batch) throws(E) -> Bool
    ) throws(E) {
        if let transaction {
            return try keyspace.scan(prefix: prefix, in: transaction, prefetching: reach, batch: &batch, take: take, drain: drain)
        }
        try keyspace.scan(prefix: prefix, prefetching: reach, batch: &batch, take: take, drain: drain)
    }

    /// The parallel form, for a caller that keeps a summary of the rows (see
    /// `Keyspace.scanInParallel`): `take` runs on several threads at once,
    /// each call with its own thread's batch; the batches are answered.
    @inlinable
    public func scanInParallel<Batch, E: Error>(
        prefix: Bytes, prefetching reach: RowReach? = nil, batch makeBatch: () -> Batch,
        take: (ScannedBatch, inout Batch) throws(E) -> Void
    ) throws(E) -> [Batch] {
        try keyspace.scanInParallel(prefix: prefix, in: transaction, prefetching: reach, batch: makeBatch, take: take)
    }

    @inlinable
    public func scan(
        cursor: UInt64, count: Int, include: (Bytes, borrowing Value) -> Bool
    ) -> (next: UInt64, keys: [Bytes]) {
        if let transaction { return keyspace.scan(in: transaction, include: include) }
        return keyspace.scan(cursor: cursor, count: count, include: include)
    }
}
