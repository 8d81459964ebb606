// Batched point reads. On a keyspace larger than the cache a lookup waits on
// two misses in turn: the key's slot, then the row object its value points
// to. A join that probes a table once per streamed row, one row at a time,
// pays both in full for every row. Read as a batch, each step asks the cache
// for its lines for every key of the batch before any is read (the slots,
// then the rows found in them), so the batch's misses overlap and the final
// step reads from cache.
//
// Each step locks the key's shard on its own (a batch never holds two
// locks); a row moved or rewritten between steps is found again, so at worst
// a prefetch is wasted.

import MemFluxCore

extension Keyspace {
    /// Keys a caller should gather per batched read: enough misses in flight
    /// to cover the memory latency, few enough rows held back from a LIMIT.
    public static let lookupBatch = 64

    /// Reads the latest committed value of each of `keys` and runs `take`
    /// on it (nil when absent, deleted or expired) with its index, in order.
    /// `take` runs with the key's shard locked, on the value in place (valid
    /// only during the call), and must not call into the keyspace. `reach`
    /// names what `take` reads of a typed row, to prefetch (nil: nothing).
    ///
    /// - Complexity: O(keys), like as many single reads.
    public func read<E: Error>(
        batch keys: ArraySlice<Bytes>, prefetching reach: RowReach?, take: (Int, ScannedValue?) throws(E) -> Void
    ) throws(E) {
        try lookUp(keys, at: .max, in: nil, prefetching: reach, take: take)
    }

    /// The batched read as `transaction` sees the keys: its own pending
    /// writes, else its snapshot's versions; each key read from the keyspace
    /// joins the read set (serializable), as a single read's does.
    public func read<E: Error>(
        batch keys: ArraySlice<Bytes>, in transaction: Transaction, prefetching reach: RowReach?,
        take: (Int, ScannedValue?) throws(E) -> Void
    ) throws(E) {
        try lookUp(keys, at: transaction.snapshot, in: transaction, prefetching: reach, take: take)
    }

    private func lookUp<E: Error>(
        _ keys: ArraySlice<Bytes>, at snapshot: UInt64, in transaction: Transaction?, prefetching reach: RowReach?,
        take: (Int, ScannedValue?) throws(E) -> Void
    ) throws(E) {
        let own = transaction?.writes ?? [:]
        for key in keys { shard(for: key).prefetchSlot(of: key) }
        if let reach {
            for key in keys where own.isEmpty || own[key] == nil { shard(for: key).prefetchRow(of: key, at: snapshot, reach) }
        }
        for (i, key) in keys.enumerated() {
            if !own.isEmpty, let write = own[key] {
                try ScannedValue.withCopy(write.liveValue) { (value) throws(E) in try take(i, value) }
                continue
            }
            transaction?.noteRead(key)
            try shard(for: key).withVisible(key, at: snapshot) { (value) throws(E) in try take(i, value) }
        }
    }
}

// The steps of a batched read, each one lock hold of the key's shard.
extension Shard {
    @inline(__always)
    func prefetchSlot(of key: Bytes) {
        lock()
        table.prefetchHome(of: key.fastHash)
        unlock()
    }

    @inline(__always)
    func prefetchRow(of key: Bytes, at snapshot: UInt64, _ reach: RowReach) {
        lock()
        if let slot = table.find(key), case .inPlace(let stored) = Entry.visibleLocation(table.entry(at: slot), at: snapshot) {
            BorrowedRow(stored)?.prefetch(reach)
        }
        unlock()
    }

    /// `body` on the value a snapshot taken at `snapshot` sees (nil when none), with the shard locked.
    @inline(__always)
    func withVisible<E: Error>(_ key: Bytes, at snapshot: UInt64, _ body: (ScannedValue?) throws(E) -> Void) throws(E) {
        lock()
        defer { unlock() }
        guard let slot = table.find(key) else { return try body(nil) }
        switch Entry.visibleLocation(table.entry(at: slot), at: snapshot) {
        case .absent: try body(nil)
        case .inPlace(let stored): try body(ScannedValue(stored: stored))
        case .older(let value): try ScannedValue.withCopy(value, body)
        }
    }
}

extension ScannedValue {
    /// `body` on `value` as a ScannedValue (nil for nil), valid during the call.
    static func withCopy<E: Error>(_ value: Value?, _ body: (ScannedValue?) throws(E) -> Void) throws(E) {
        guard value != nil else { return try body(nil) }
        try withUnsafePointer(to: value) { (stored) throws(E) in try body(ScannedValue(stored: stored)) }
    }
}
