// Prefix scans: every key with one directory prefix (a SQL table `t` is the
// keys `t:*`) and its value, read where the versions are stored: no list of
// keys first, no second lookup per key, no read-set entry per row.
//
// A scan alternates two steps. With a shard locked, `take` sees a bounded
// batch of visible pairs where they are stored (a ScannedBatch: a table row
// is read without even a retain) and keeps what it needs of them; with no
// lock held, `drain` consumes what was kept. `take` must not call into the
// keyspace; `drain` may. A scan of a large table holds writers up for
// microseconds at a time, and a caller that keeps only some rows (a filter)
// never copies or retains the others. `scan(prefix:in:_:)` is the simple
// form: every pair is copied out and visited outside the lock.
//
// The walk lists a lock hold's visible pairs first, as pointers into the
// shard's table (a version older than the head is copied aside), and asks
// the cache for the lines `take` will read of each listed row (a RowReach);
// `take` then reads them in order. The cache misses on rows scattered over
// the heap so overlap with one another and with the walk, rather than each
// row waiting on its own. Listing first also keeps the per-row work of the
// walk a tight loop with one call into `take` per batch, not per row.
//
// Where the prefix's keys are a good part of a shard (a table that is most of
// the data), the shard's table is read in slot order, a range of home
// positions per lock hold: sequential memory, no hash probe per key. The
// range walk is resumed by position, not slot, so resizes and removals
// between lock holds neither repeat nor skip a key. Keys created meanwhile
// may be missed, but no snapshot the scan reads for can see them. Such a
// shard has a bounded number of slots per key of the prefix (it is at least
// a quarter of the keys, and a table is at least an eighth full), so the walk
// stays O(the prefix's keys).
//
// Elsewhere the keys to visit come from the shard's prefix directory, and
// each lock hold prefetches the home slots of its hashes before it lists. The
// scan takes the directory's hash set by value, O(1) since sets are
// copy-on-write, and walks that copy between lock holds; a writer that
// creates or removes a key of the prefix meanwhile copies the set once
// rather than invalidating the walk. Each hash is visited once, with every
// key that has it, so no key is visited twice. Every key a transaction's
// snapshot can see is in the copy: nothing removes an entry that an open
// snapshot could still read.

#if canImport(Glibc)
import Glibc
#endif
import MemFluxCore
import Synchronization

extension Keyspace {
    /// Keys handed to `take` per lock hold, about.
    public static let scanBatch = 256

    /// Every key with directory prefix `prefix` (which ends in `:`) and its
    /// value as `transaction` sees them: the snapshot's visible versions,
    /// overlaid with the transaction's own pending writes as they are when the
    /// scan starts (deleted ones skipped, new ones included; writes `drain`
    /// makes are not visited). Registers one `.prefix` read predicate
    /// (serializable), never one read per row.
    ///
    /// `take` runs with a shard locked, on a batch of pairs in place (valid
    /// only during the call), and keeps what it needs in `batch`; it must not
    /// call into the keyspace. `drain` runs with no lock held after each lock
    /// hold, consumes the batch, and answers false to stop the scan (LIMIT,
    /// EXISTS). An error from either ends the scan with no lock held.
    /// `reach` names what `take` reads of each typed row, to prefetch.
    ///
    ///     var rows: [Row] = []
    ///     try keyspace.scan(prefix: Bytes("t:"), in: transaction, batch: &rows,
    ///         take: { pairs, rows in pairs.forEach { key, value in ... rows.append(...value.row...) } },
    ///         drain: { rows in ...; rows.removeAll(keepingCapacity: true); return true })
    ///
    /// - Complexity: O(keys with the prefix + the transaction's pending writes).
    public func scan<Batch, E: Error>(
        prefix: Bytes, in transaction: Transaction, prefetching reach: RowReach? = nil, batch: inout Batch,
        take: (ScannedBatch, inout Batch) throws(E) -> Void, drain: (inout Batch) throws(E) -> Bool
    ) throws(E) {
        // No key has a prefix with another `:` before its end: nothing to read, nothing to validate.
        guard KeyDirectory.isPrefix(prefix) else { return }
        let own = Keyspace.ownWrites(withPrefix: prefix, of: transaction)
        let finished = try walk(
            prefix, at: transaction.snapshot, skipping: own, tracking: transaction.validatesReads, prefetching: reach,
            batch: &batch, take: take, drain: drain)
        guard finished else { return }
        try Keyspace.visit(own, batch: &batch, take: take, drain: drain)
    }

    /// `scan(prefix:in:batch:take:drain:)` without a transaction: the latest
    /// committed versions, each batch as of its lock hold (the walk as a whole
    /// is not a snapshot; a key created or deleted during it may be missed).
    public func scan<Batch, E: Error>(
        prefix: Bytes, prefetching reach: RowReach? = nil, batch: inout Batch,
        take: (ScannedBatch, inout Batch) throws(E) -> Void, drain: (inout Batch) throws(E) -> Bool
    ) throws(E) {
        guard KeyDirectory.isPrefix(prefix) else { return }
        _ = try walk(
            prefix, at: .max, skipping: [:], tracking: false, prefetching: reach, batch: &batch, take: take, drain: drain)
    }

    /// The walk of `scan(prefix:in:batch:take:drain:)` (with no
    /// transaction: the latest committed versions) on several threads at
    /// once, for a caller that keeps a summary of the rows rather than the
    /// rows (a count): the calling thread and the HelperThreads that join it
    /// each walk whole shards, taking the next one not yet walked, into a
    /// batch of its own made by `makeBatch` (some batches stay empty when
    /// helpers are busy); the batches are answered when every thread is
    /// done. `take` runs on several threads at once, each call with its own
    /// thread's batch, which is all it may write. There is no drain: nothing stops the scan but an
    /// error from `take`, which stops every thread and is thrown after they
    /// have stopped. The transaction's own pending writes go to the first
    /// batch. A prefix with few keys is walked on the calling thread alone
    /// (more threads would cost more than they save).
    ///
    /// - Complexity: O(keys with the prefix + the transaction's pending
    ///   writes), divided between up to `scanThreads` threads.
    public func scanInParallel<Batch, E: Error>(
        prefix: Bytes, in transaction: Transaction?, prefetching reach: RowReach? = nil,
        batch makeBatch: () -> Batch, take: (ScannedBatch, inout Batch) throws(E) -> Void
    ) throws(E) -> [Batch] {
        guard KeyDirectory.isPrefix(prefix) else { return [makeBatch()] }
        let own = transaction.map { Keyspace.ownWrites(withPrefix: prefix, of: $0) } ?? [:]
        let snapshot = transaction?.snapshot ?? .max, tracking = transaction?.validatesReads ?? false
        let threads = estimatedKeys(withPrefix: prefix) >= Keyspace.parallelScanMinimum ? scanThreads : 1
        var batches = (0..<threads).map { _ in makeBatch() }
        var errors = [E?](repeating: nil, count: threads)
        let progress = ScanProgress()
        batches.withUnsafeMutableBufferPointer { batches in
            errors.withUnsafeMutableBufferPointer { errors in
                scanHelpers.run(participants: threads) { thread in
                    // Each thread writes only its own batch and error.
                    let walk = ShardWalk(prefix: prefix, snapshot: snapshot, own: own, tracking: tracking, reach: reach)
                    let going: (inout Batch) throws(E) -> Bool = { _ in !progress.hasFailed }
                    do throws(E) {
                        while !progress.hasFailed, let shard = progress.nextShard(below: self.shards.count) {
                            _ = try walk.run(self.shards[shard], batch: &batches[thread], take: take, drain: going)
                        }
                    } catch {
                        errors[thread] = error
                        progress.fail()
                    }
                }
            }
        }
        for case let error? in errors { throw error }
        try Keyspace.visit(own, batch: &batches[0], take: take) { (_) throws(E) in true }
        return batches
    }

    /// The pending writes of `transaction` to keys with `prefix`, which its
    /// scan skips in the shards and visits after them (`visit`); the scan is
    /// noted as a read of the prefix.
    private static func ownWrites(withPrefix prefix: Bytes, of transaction: Transaction) -> [Bytes: PendingWrite] {
        transaction.noteRead(.prefix(prefix))
        var own: [Bytes: PendingWrite] = [:]
        for (key, write) in transaction.writes where KeyDirectory.has(key, prefix: prefix) { own[key] = write }
        return own
    }

    /// A scan's pending writes (`ownWrites`) that leave a value, each handed to `take` and `drain` on its own.
    private static func visit<Batch, E: Error>(
        _ own: [Bytes: PendingWrite], batch: inout Batch,
        take: (ScannedBatch, inout Batch) throws(E) -> Void, drain: (inout Batch) throws(E) -> Bool
    ) throws(E) {
        for (key, write) in own {
            guard let value = write.liveValue else { continue }
            try ScannedBatch.withOne(key, value) { (pair) throws(E) in try take(pair, &batch) }
            if try !drain(&batch) { return }
        }
    }

    /// How many threads a parallel scan uses at most: the caller and every helper, one per core.
    public var scanThreads: Int { scanHelpers.count + 1 }

    /// The fewest keys of a prefix worth a parallel scan.
    static let parallelScanMinimum = 32_768

    /// About how many keys have `prefix`: one shard's count of their hashes,
    /// times the shards (keys spread over the shards by hash).
    private func estimatedKeys(withPrefix prefix: Bytes) -> Int {
        let shard = shards[0]
        shard.lock()
        defer { shard.unlock() }
        return shard.directory.hashes(withPrefix: prefix).count * shards.count
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
        try scan(prefix: prefix, in: transaction, batch: &pairs, take: { (batch, pairs) throws(E) in Keyspace.copyPairs(batch, &pairs) }) { (pairs) throws(E) -> Bool in
            try Keyspace.visitPairs(&pairs, visit)
        }
    }

    /// `scan(prefix:in:_:)` without a transaction: the latest committed versions.
    public func scan<E: Error>(prefix: Bytes, _ visit: (Bytes, borrowing Value) throws(E) -> Bool) throws(E) {
        var pairs: [(key: Bytes, value: Value)] = []
        try scan(prefix: prefix, batch: &pairs, take: { (batch, pairs) throws(E) in Keyspace.copyPairs(batch, &pairs) }) { (pairs) throws(E) -> Bool in
            try Keyspace.visitPairs(&pairs, visit)
        }
    }

    private static func copyPairs(_ batch: ScannedBatch, _ pairs: inout [(key: Bytes, value: Value)]) {
        batch.forEach { key, value in pairs.append((key.bytes, value.value)) }
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

    /// Walks the keys of `prefix` shard by shard, listing with the shard
    /// locked the visible value of each (at `snapshot`, skipping the keys of
    /// `own`) and passing the list to `take`, then the batch to `drain` after
    /// each lock hold. With `tracking`, each shard starts tracking the
    /// prefix's last commit first (see `Shard.lastCommit(withPrefix:)`), so
    /// the commit can validate the read. `reach`: the lines of each listed
    /// typed row to prefetch. False when `drain` stopped the walk.
    private func walk<Batch, E: Error>(
        _ prefix: Bytes, at snapshot: UInt64, skipping own: [Bytes: PendingWrite], tracking: Bool, prefetching reach: RowReach?,
        batch: inout Batch,
        take: (ScannedBatch, inout Batch) throws(E) -> Void, drain: (inout Batch) throws(E) -> Bool
    ) throws(E) -> Bool {
        let walk = ShardWalk(prefix: prefix, snapshot: snapshot, own: own, tracking: tracking, reach: reach)
        for shard in shards {
            if try !walk.run(shard, batch: &batch, take: take, drain: drain) { return false }
        }
        return true
    }
}

/// One walker's part of a prefix scan: the pairs of one shard at a time
/// (see `Keyspace.walk`), listed in its own ScanList.
private struct ShardWalk {
    let prefix: Bytes
    let snapshot: UInt64
    let own: [Bytes: PendingWrite]
    let tracking: Bool
    let reach: RowReach?
    let listed = ScanList()

    /// The shard's pairs, `take` on each lock hold's list and `drain` after
    /// it; false when `drain` stopped the walk.
    func run<Batch, E: Error>(
        _ shard: Shard, batch: inout Batch,
        take: (ScannedBatch, inout Batch) throws(E) -> Void, drain: (inout Batch) throws(E) -> Bool
    ) throws(E) -> Bool {
        let prefix = self.prefix, snapshot = self.snapshot, own = self.own, reach = self.reach, listed = self.listed
        shard.lock()
        if tracking { _ = shard.lastCommit(withPrefix: prefix) }
        /// Lists a slot's pair if its key has the prefix and a version the scan sees; hands a full list to `take`.
        @inline(__always)
        func list(_ key: UnsafePointer<Bytes>, _ entry: UnsafeMutablePointer<Entry>) throws(E) {
            guard KeyDirectory.has(key.pointee, prefix: prefix) else { return }
            if !own.isEmpty && own[key.pointee] != nil { return }
            switch Entry.visibleLocation(entry, at: snapshot) {
            case .absent: return
            case .inPlace(let stored):
                if let reach { BorrowedRow(stored)?.prefetch(reach) }
                listed.append(key, stored)
            case .older(let value):
                listed.append(key, copying: value)
            }
            if listed.isFull { try handOver() }
        }
        func handOver() throws(E) {
            defer { listed.removeAll() }
            if listed.count > 0 { try take(listed.batch, &batch) }
        }
        let hashes = shard.directory.hashes(withPrefix: prefix)
        if hashes.count * 4 >= shard.table.count {
            // Dense: the table in slot order, one range of home positions per lock hold.
            var position = 0
            while position < KeyTable.homePositions {
                let step = max(1, (Keyspace.scanBatch * KeyTable.homePositions) / shard.table.capacity)
                let range = position..<min(KeyTable.homePositions, position + step)
                do {
                    try shard.table.forEachSlot(homePositions: range, list)
                    try handOver()
                } catch {
                    shard.unlock()
                    throw error
                }
                position = range.upperBound
                shard.unlock()
                if try !drain(&batch) { return false }
                if position < KeyTable.homePositions { shard.lock() }
            }
            return true
        }
        var next = hashes.startIndex
        while true {
            // The hashes' slots are scattered over the table: ask for all of this hold's first.
            var ahead = next
            for _ in 0..<Keyspace.scanBatch where ahead != hashes.endIndex {
                shard.table.prefetchHome(of: Int(hashes[ahead]))
                hashes.formIndex(after: &ahead)
            }
            var visited = 0
            do {
                while next != hashes.endIndex && visited < Keyspace.scanBatch {
                    try shard.table.forEachSlot(withHash: Int(hashes[next])) { (slot) throws(E) in
                        try list(shard.table.keyPointer(at: slot), shard.table.entry(at: slot))
                    }
                    hashes.formIndex(after: &next)
                    visited += 1
                }
                try handOver()
            } catch {
                shard.unlock()
                throw error
            }
            shard.unlock()
            if try !drain(&batch) { return false }
            if next == hashes.endIndex { return true }
            shard.lock()
        }
    }
}

/// The threads of a parallel scan: the next shard to walk, and whether one of them failed.
private final class ScanProgress: Sendable {
    private let next = Atomic<Int>(0)
    private let failed = Atomic<Bool>(false)

    /// The next shard no thread has taken yet; nil when there is none.
    func nextShard(below count: Int) -> Int? {
        let shard = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return shard < count ? shard : nil
    }

    var hasFailed: Bool { failed.load(ordering: .relaxed) }

    func fail() { failed.store(true, ordering: .relaxed) }
}

/// Where a walk lists the pairs it hands to `take`: pointers to keys and
/// values where the shard's table stores them, and the older versions it
/// copied (a value pointer then points into `copies`). Fixed capacity, so a
/// pointer into `copies` stays valid until the list is handed over.
private final class ScanList {
    static let capacity = 512
    let keys = UnsafeMutablePointer<UnsafePointer<Bytes>>.allocate(capacity: capacity)
    let values = UnsafeMutablePointer<UnsafePointer<Value?>>.allocate(capacity: capacity)
    let copies = UnsafeMutablePointer<Value?>.allocate(capacity: capacity)
    private(set) var count = 0
    private var copied = 0

    deinit {
        removeAll()
        keys.deallocate()
        values.deallocate()
        copies.deallocate()
    }

    var isFull: Bool { count == ScanList.capacity }

    var batch: ScannedBatch { ScannedBatch(keys: keys, values: values, count: count) }

    @inline(__always)
    func append(_ key: UnsafePointer<Bytes>, _ value: UnsafePointer<Value?>) {
        keys[count] = key
        values[count] = value
        count &+= 1
    }

    func append(_ key: UnsafePointer<Bytes>, copying value: Value) {
        (copies + copied).initialize(to: value)
        append(key, UnsafePointer(copies + copied))
        copied += 1
    }

    func removeAll() {
        copies.deinitialize(count: copied)
        copied = 0
        count = 0
    }
}

/// The pairs of one lock hold as a scan hands them to `take`, where the
/// keyspace keeps them: valid only during that call (their shard is locked).
public struct ScannedBatch {
    @usableFromInline let keys: UnsafePointer<UnsafePointer<Bytes>>
    @usableFromInline let values: UnsafePointer<UnsafePointer<Value?>>
    public let count: Int

    init(keys: UnsafePointer<UnsafePointer<Bytes>>, values: UnsafePointer<UnsafePointer<Value?>>, count: Int) {
        self.keys = keys
        self.values = values
        self.count = count
    }

    /// `body` on each pair in order.
    @inlinable @inline(__always)
    public func forEach<E: Error>(_ body: (ScannedKey, ScannedValue) throws(E) -> Void) throws(E) {
        for i in 0..<count { try body(ScannedKey(stored: keys[i]), ScannedValue(stored: values[i])) }
    }

    /// `body` with a batch of one pair that is not stored in place (a pending write).
    static func withOne<E: Error>(_ key: Bytes, _ value: Value, _ body: (ScannedBatch) throws(E) -> Void) throws(E) {
        let stored: Value? = value
        try withUnsafePointer(to: key) { (key) throws(E) in
            try withUnsafePointer(to: stored) { (stored) throws(E) in
                try withUnsafePointer(to: key) { (keys) throws(E) in
                    try withUnsafePointer(to: stored) { (values) throws(E) in
                        try body(ScannedBatch(keys: keys, values: values, count: 1))
                    }
                }
            }
        }
    }
}

/// A key a scan hands to `take` where the keyspace stores it, valid only during that call.
public struct ScannedKey {
    @usableFromInline let stored: UnsafePointer<Bytes>

    @usableFromInline init(stored: UnsafePointer<Bytes>) { self.stored = stored }

    /// The key, copied.
    @inlinable public var bytes: Bytes { stored.pointee }
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
}
