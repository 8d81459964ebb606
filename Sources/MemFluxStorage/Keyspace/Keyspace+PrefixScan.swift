// Prefix scans: every key with one directory prefix (a SQL table `t` is the
// keys `t:*`) and its value, read where the versions are stored: no list of
// keys first, no second lookup per key, no read-set entry per row.
//
// A scan alternates two steps. With a shard locked, `take` sees a bounded
// batch of visible values where they are stored (a ScannedValue: a table row
// is read without even a retain) and keeps what it needs of them; with no
// lock held, `drain` consumes what was kept. `take` must not call into the
// keyspace; `drain` may. A scan of a large table holds
// writers up for microseconds at a time, and a caller that keeps only some
// rows (a filter) never copies or retains the others. `scan(prefix:in:_:)`
// is the simple form: every pair is copied out and visited outside the lock.
//
// Where the prefix's keys are a good part of a shard (a table that is most of
// the data), the shard's table is read in slot order, a range of home
// positions per lock hold: sequential memory, no hash probe per key. The
// range walk is resumed by position, not slot, so resizes and removals
// between lock holds neither repeat nor skip a key. Keys created meanwhile
// may be missed, but no snapshot the scan reads for can see them. Such a
// shard has a bounded number of slots per key of the prefix (it is at least
// a quarter of the keys, and a table is at least an eighth full), so the walk
// stays O(the prefix's keys). Each range's slots are listed first; then
// `take` runs on each while the row a dozen slots ahead is prefetched, so
// that the cache misses on rows scattered over the heap overlap with one
// another and with the work on the rows already in cache.
//
// Elsewhere the keys to visit come from the shard's prefix directory. The
// scan takes the directory's hash set by value, O(1) since sets are
// copy-on-write, and walks that copy between lock holds; a writer that
// creates or removes a key of the prefix meanwhile copies the set once
// rather than invalidating the walk. Each hash is visited once, with every
// key that has it, so no key is visited twice. Every key a transaction's
// snapshot can see is in the copy: nothing removes an entry that an open
// snapshot could still read.

import MemFluxCore

extension Keyspace {
    /// Keys handed to `take` per lock hold, about.
    public static let scanBatch = 256

    /// How many rows ahead of `take` a dense walk asks the cache for.
    static let prefetchDistance = 12

    /// Every key with directory prefix `prefix` (which ends in `:`) and its
    /// value as `transaction` sees them: the snapshot's visible versions,
    /// overlaid with the transaction's own pending writes as they are when the
    /// scan starts (deleted ones skipped, new ones included; writes `drain`
    /// makes are not visited). Registers one `.prefix` read predicate
    /// (serializable), never one read per row.
    ///
    /// `take` runs with a shard locked, on each pair in place (the
    /// ScannedValue is valid only during the call), and keeps what
    /// it needs in `batch`; it must not call into the keyspace. `drain` runs
    /// with no lock held after each lock hold, consumes the batch, and answers
    /// false to stop the scan (LIMIT, EXISTS). An error from either ends the
    /// scan with no lock held.
    ///
    ///     var rows: [Row] = []
    ///     try keyspace.scan(prefix: Bytes("t:"), in: transaction, batch: &rows,
    ///         take: { key, value, rows in ... rows.append(...value.row...) },
    ///         drain: { rows in ...; rows.removeAll(keepingCapacity: true); return true })
    ///
    /// - Complexity: O(keys with the prefix + the transaction's pending writes).
    public func scan<Batch, E: Error>(
        prefix: Bytes, in transaction: Transaction, batch: inout Batch,
        take: (Bytes, ScannedValue, inout Batch) throws(E) -> Void, drain: (inout Batch) throws(E) -> Bool
    ) throws(E) {
        // No key has a prefix with another `:` before its end: nothing to read, nothing to validate.
        guard KeyDirectory.isPrefix(prefix) else { return }
        transaction.noteRead(.prefix(prefix))
        var own: [Bytes: PendingWrite] = [:]
        for (key, write) in transaction.writes where KeyDirectory.has(key, prefix: prefix) { own[key] = write }
        let snapshot = transaction.snapshot
        let finished = try walk(prefix, tracking: transaction.validatesReads, batch: &batch, drain: drain) {
            (key, entry, batch) throws(E) in
            if !own.isEmpty && own[key] != nil { return }
            try Entry.withVisibleValue(entry, at: snapshot) { (value) throws(E) in try take(key, value, &batch) }
        }
        guard finished else { return }
        for (key, write) in own {
            guard let value = write.liveValue else { continue }
            try ScannedValue.with(value) { (value) throws(E) in try take(key, value, &batch) }
            if try !drain(&batch) { return }
        }
    }

    /// `scan(prefix:in:batch:take:drain:)` without a transaction: the latest
    /// committed versions, each batch as of its lock hold (the walk as a whole
    /// is not a snapshot; a key created or deleted during it may be missed).
    public func scan<Batch, E: Error>(
        prefix: Bytes, batch: inout Batch,
        take: (Bytes, ScannedValue, inout Batch) throws(E) -> Void, drain: (inout Batch) throws(E) -> Bool
    ) throws(E) {
        guard KeyDirectory.isPrefix(prefix) else { return }
        _ = try walk(prefix, tracking: false, batch: &batch, drain: drain) { (key, entry, batch) throws(E) in
            try Entry.withVisibleValue(entry, at: .max) { (value) throws(E) in try take(key, value, &batch) }
        }
    }

    /// Calls `visit` for every key with directory prefix `prefix` and its
    /// value as `transaction` sees them (see `scan(prefix:in:batch:take:drain:)`),
    /// with no lock held, so `visit` may call back into the keyspace. `visit`
    /// answers false to stop the scan.
    ///
    ///     try keyspace.scan(prefix: Bytes("users:"), in: transaction) { key, value in ...; return true }
    ///
    /// - Complexity: O(keys with the prefix + the transaction's pending writes).
    public func scan<E: Error>(
        prefix: Bytes, in transaction: Transaction, _ visit: (Bytes, borrowing Value) throws(E) -> Bool
    ) throws(E) {
        var pairs: [(key: Bytes, value: Value)] = []
        try scan(prefix: prefix, in: transaction, batch: &pairs, take: { (key, value, pairs) throws(E) in pairs.append((key, value.value)) }) {
            (pairs) throws(E) -> Bool in
            try Keyspace.visitPairs(&pairs, visit)
        }
    }

    /// `scan(prefix:in:_:)` without a transaction: the latest committed versions.
    public func scan<E: Error>(prefix: Bytes, _ visit: (Bytes, borrowing Value) throws(E) -> Bool) throws(E) {
        var pairs: [(key: Bytes, value: Value)] = []
        try scan(prefix: prefix, batch: &pairs, take: { (key, value, pairs) throws(E) in pairs.append((key, value.value)) }) {
            (pairs) throws(E) -> Bool in
            try Keyspace.visitPairs(&pairs, visit)
        }
    }

    private static func visitPairs<E: Error>(
        _ pairs: inout [(key: Bytes, value: Value)], _ visit: (Bytes, borrowing Value) throws(E) -> Bool
    ) throws(E) -> Bool {
        defer { pairs.removeAll(keepingCapacity: true) }
        for pair in pairs {
            if try !visit(pair.key, pair.value) { return false }
        }
        return true
    }

    /// Walks the keys of `prefix` shard by shard, passing each key and its
    /// entry to `take` with the shard locked, and the batch to `drain` after
    /// each lock hold. With `tracking`, each shard starts tracking the
    /// prefix's last commit first (see `Shard.lastCommit(withPrefix:)`), so
    /// the commit can validate the read. False when `drain` stopped the walk.
    private func walk<Batch, E: Error>(
        _ prefix: Bytes, tracking: Bool, batch: inout Batch, drain: (inout Batch) throws(E) -> Bool,
        take: (Bytes, UnsafeMutablePointer<Entry>, inout Batch) throws(E) -> Void
    ) throws(E) -> Bool {
        var rangeSlots: [Int] = []
        rangeSlots.reserveCapacity(2 * Keyspace.scanBatch)
        for shard in shards {
            shard.lock()
            if tracking { _ = shard.lastCommit(withPrefix: prefix) }
            let hashes = shard.directory.hashes(withPrefix: prefix)
            if hashes.count * 4 >= shard.table.count {
                // Dense: the table in slot order, one range of home positions per lock hold.
                var position = 0
                while position < KeyTable.homePositions {
                    let step = max(1, (Keyspace.scanBatch * KeyTable.homePositions) / shard.table.capacity)
                    let range = position..<min(KeyTable.homePositions, position + step)
                    rangeSlots.removeAll(keepingCapacity: true)
                    shard.table.forEachSlot(homePositions: range) { slot in rangeSlots.append(slot) }
                    for ahead in rangeSlots.prefix(Keyspace.prefetchDistance) { Value.prefetch(shard.table.entry(at: ahead)) }
                    do {
                        for (j, slot) in rangeSlots.enumerated() {
                            if j + Keyspace.prefetchDistance < rangeSlots.count {
                                Value.prefetch(shard.table.entry(at: rangeSlots[j + Keyspace.prefetchDistance]))
                            }
                            let key = shard.table.key(at: slot)
                            if KeyDirectory.has(key, prefix: prefix) { try take(key, shard.table.entry(at: slot), &batch) }
                        }
                    } catch {
                        shard.unlock()
                        throw error
                    }
                    position = range.upperBound
                    shard.unlock()
                    if try !drain(&batch) { return false }
                    if position < KeyTable.homePositions { shard.lock() }
                }
                continue
            }
            var next = hashes.startIndex
            while true {
                var taken = 0
                do {
                    while next != hashes.endIndex && taken < Keyspace.scanBatch {
                        try shard.table.forEachSlot(withHash: Int(hashes[next])) { (slot) throws(E) in
                            let key = shard.table.key(at: slot)
                            if KeyDirectory.has(key, prefix: prefix) { try take(key, shard.table.entry(at: slot), &batch) }
                        }
                        hashes.formIndex(after: &next)
                        taken += 1
                    }
                } catch {
                    shard.unlock()
                    throw error
                }
                shard.unlock()
                if try !drain(&batch) { return false }
                if next == hashes.endIndex { break }
                shard.lock()
            }
        }
        return true
    }
}

/// A value a scan hands to `take` where the keyspace stores it, valid only
/// during that call (its shard is locked): `row` reads a table row in place,
/// without a copy or a retain; `value` copies the value out.
public struct ScannedValue {
    @usableFromInline let stored: UnsafePointer<Value?>

    @usableFromInline init(stored: UnsafePointer<Value?>) { self.stored = stored }

    /// The value, copied.
    @inlinable public var value: Value { stored.pointee.unsafelyUnwrapped }

    /// The table row, borrowed; nil for every other kind of value.
    @inlinable public var row: BorrowedRow? { BorrowedRow(stored) }

    /// `body` with a value that is not stored in place (an older version, a pending write).
    static func with<E: Error>(_ value: Value, _ body: (ScannedValue) throws(E) -> Void) throws(E) {
        let stored: Value? = value
        try withUnsafePointer(to: stored) { (pointer) throws(E) in try body(ScannedValue(stored: pointer)) }
    }
}

extension Entry {
    /// `body` with the value a snapshot taken at `snapshot` sees, if any: the
    /// head version's where it is stored (see `visibleValue`), an older one copied.
    @inline(__always)
    static func withVisibleValue<E: Error>(
        _ entry: UnsafeMutablePointer<Entry>, at snapshot: UInt64, _ body: (ScannedValue) throws(E) -> Void
    ) throws(E) {
        if entry.pointee.head.sequence <= snapshot {
            guard entry.pointee.head.value != nil else { return }
            let expireAt = entry.pointee.head.expireAt
            if expireAt != 0 && expireAt <= WallClock.nowMilliseconds() { return }
            // A stored property of a struct in place: the projection cannot fail.
            guard let stored = UnsafePointer(entry).pointer(to: \.head.value) else { return }
            return try body(ScannedValue(stored: stored))
        }
        guard let value = visibleValue(entry, at: snapshot) else { return }
        try ScannedValue.with(value, body)
    }
}

extension Value {
    /// Asks the cache for the heap object the row in `entry` keeps its values
    /// in (nothing for other kinds): issued for a range of keys before any of
    /// them is read, it lets their cache misses overlap, where reading one at
    /// a time would wait for each in turn.
    @inline(__always)
    static func prefetch(_ entry: UnsafeMutablePointer<Entry>) {
        // The object's address first, then the hint: a call inside the pattern's scope would retain the row.
        guard let stored = UnsafePointer(entry).pointer(to: \.head.value), let row = BorrowedRow(stored) else { return }
        row.prefetch()
    }
}
