// Shard: one slice of the keyspace — a table from key to version chain, its
// prefix directory and its expiry queue — behind one mutex. A key's shard
// comes from its cached hash. The lock is held only while a command touches
// the shard's keys: never across I/O, never across a client round trip.
//
// Locking is explicit (lock/unlock) rather than closure-scoped because a
// multi-key command locks several shards at once, in index order.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MemFluxCore
import MemFluxPersistence

/// `@unchecked Sendable`: every stored property but `mutex` is read and written
/// only by a thread holding `mutex` (the Keyspace methods lock before calling in).
final class Shard: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    var table = KeyTable()
    var directory = KeyDirectory()
    var expiries = ExpiryQueue()
    /// Entries whose head is a tombstone (deleted while a snapshot needed the old value).
    var tombstones = 0
    /// Entries whose head carries a TTL; bounds the expiry queue's stale entries.
    var keysWithTTL = 0
    /// Superseded versions kept for open snapshots since the last vacuum
    /// (an upper bound: some may have been dropped since); vacuum skips
    /// shards where this and `tombstones` are 0.
    var chainedVersions = 0

    init() {
        // A cache line of its own: neighbouring shards' mutexes would
        // otherwise share one, and two cores locking different shards would
        // still fight over it.
        var line: UnsafeMutableRawPointer?
        guard posix_memalign(&line, 64, max(64, MemoryLayout<pthread_mutex_t>.size)) == 0, let line else {
            fatalError("out of memory allocating a shard mutex")
        }
        mutex = line.bindMemory(to: pthread_mutex_t.self, capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        free(mutex)
    }

    @inline(__always) func lock() { pthread_mutex_lock(mutex) }
    @inline(__always) func unlock() { pthread_mutex_unlock(mutex) }

    /// Live keys: entries that are not tombstones (expired keys count until reclaimed, as in Redis).
    var liveCount: Int { table.count - tombstones }

    // MARK: Reading

    /// Runs `body` on the latest committed value (nil when absent, deleted or
    /// expired). An expired key met here is reclaimed at once (lazy expiry).
    @inline(__always)
    func withLatest<R, E: Error>(
        _ key: Bytes, registry: SnapshotRegistry, _ body: (borrowing Value?) throws(E) -> R
    ) throws(E) -> R {
        guard let slot = table.find(key) else { return try body(nil) }
        let entry = table.entry(at: slot)
        if entry.pointee.head.isExpired {
            reclaimIfUnreachable(slot, key: key, registry: registry)
            return try body(nil)
        }
        return try body(entry.pointee.head.value)
    }

    /// The latest live version's head, if any.
    func latest(_ key: Bytes) -> Version? {
        guard let head = table[key]?.head, head.value != nil, !head.isExpired else { return nil }
        return head
    }

    /// The sequence number of the key's latest committed version, deletions
    /// included (0 when the table has no entry for it).
    func lastCommit(_ key: Bytes) -> UInt64 { table[key]?.head.sequence ?? 0 }

    /// The value a snapshot taken at `snapshot` sees, or nil.
    func visible(_ key: Bytes, at snapshot: UInt64) -> Value? {
        table[key]?.visible(at: snapshot)?.liveValue
    }

    // MARK: Writing

    /// Runs `body` on the key's slot and installs the result as a new version
    /// stamped `stamp.sequence`. When no open snapshot can read the current
    /// version it is replaced in place (the fast path); otherwise it is kept in
    /// the chain for those snapshots.
    func modify<R, E: Error>(
        _ key: Bytes, stamp: inout CommitStamp, _ body: (inout KeySlot) throws(E) -> R
    ) throws(E) -> R {
        guard let index = table.find(key) else {
            var slot = KeySlot(value: nil, expireAt: 0, journaling: stamp.isJournaling)
            let result = try body(&slot)
            if slot.isModified, let value = slot.value {
                let head = Version(value: value, sequence: stamp.sequence, expireAt: slot.expireAt)
                table.insert(key, Entry(head: head))
                directory.insert(key)
                noteTTL(key, from: 0, to: slot.expireAt)
                if stamp.isJournaling { stamp.record(Effect(key: key, value: value, expireAt: slot.expireAt, change: .whole)) }
            }
            return result
        }

        // The sequence number is taken before the horizon is read (see SnapshotRegistry).
        let sequence = stamp.sequence
        let registry = stamp.registry
        let entry = table.entry(at: index)
        let oldExpireAt = entry.pointee.head.expireAt
        let inPlace = !registry.isVisibleToOpenSnapshot(entry.pointee.head.sequence)
        let wasTombstone = entry.pointee.head.value == nil
        let live = !wasTombstone && !entry.pointee.head.isExpired

        // Move the value out so the slot holds the only reference (fast path);
        // under an open snapshot the entry keeps its own reference.
        var kept: Value? = inPlace ? entry.pointee.head.value.take() : nil
        // One initializer expression: assigning in branches made the compiler copy the slot.
        var slot = KeySlot(
            value: live ? (inPlace ? kept.take() : entry.pointee.head.value) : nil, expireAt: live ? oldExpireAt : 0,
            journaling: stamp.isJournaling)

        let result: R
        do {
            result = try body(&slot)
        } catch {
            if inPlace { entry.pointee.head.value = live ? slot.value : kept }
            throw error
        }

        guard slot.isModified else {
            if inPlace { entry.pointee.head.value = live ? slot.value : kept }
            if !live { reclaimIfUnreachable(index, key: key, registry: registry) }
            return result
        }

        let newHead = Version(value: slot.value, sequence: sequence, expireAt: slot.value == nil ? 0 : slot.expireAt)
        if inPlace {
            if registry.horizon.load(ordering: .relaxed) == 0 { entry.pointee.older = nil }
            entry.pointee.head = newHead
        } else {
            let old = entry.pointee
            entry.pointee = Entry(head: newHead, older: OlderVersion(old.head, next: old.older))
            chainedVersions += 1
        }
        let nowTombstone = slot.value == nil
        if wasTombstone != nowTombstone { tombstones += nowTombstone ? 1 : -1 }
        noteTTL(key, from: oldExpireAt, to: newHead.expireAt)
        if stamp.isJournaling {
            // A smaller change than the whole value only applies to the value the slot opened with.
            let change = live ? slot.loggedChange : .whole
            stamp.record(Effect(key: key, value: newHead.value, expireAt: newHead.expireAt, change: change))
        }
        if nowTombstone { reclaimIfUnreachable(index, key: key, registry: registry) }
        return result
    }

    /// Removes a dead entry (tombstone or expired head) when no open snapshot
    /// can read any of its versions.
    private func reclaimIfUnreachable(_ index: Int, key: Bytes, registry: SnapshotRegistry) {
        guard registry.horizon.load(ordering: .sequentiallyConsistent) == 0 else { return }
        removeEntry(at: index, key: key)
    }

    /// Removes the key in slot `index` with all its versions.
    func removeEntry(at index: Int, key: Bytes) {
        let head = table.entry(at: index).pointee.head
        if head.value == nil { tombstones -= 1 }
        if head.expireAt != 0 { keysWithTTL -= 1 }
        table.remove(at: index)
        directory.remove(key, remaining: table)
    }

    private func noteTTL(_ key: Bytes, from old: Int64, to new: Int64) {
        if (old != 0) != (new != 0) { keysWithTTL += new != 0 ? 1 : -1 }
        guard new != 0, new != old else { return }
        expiries.schedule(key, at: new)
        if expiries.count > 64 && expiries.count > 2 * keysWithTTL {
            expiries.compact { item in table[item.key]?.head.expireAt == item.expireAt }
        }
    }

    // MARK: Expiry and whole-shard operations

    /// Deletes keys whose TTL has passed, at most `limit` of them; returns how many.
    func expireDue(now: Int64, limit: Int, stamp: inout CommitStamp) -> Int {
        var removed = 0
        while removed < limit, let item = expiries.popDue(now: now) {
            guard let index = table.find(item.key) else { continue }
            let head = table.entry(at: index).pointee.head
            guard head.expireAt == item.expireAt, head.value != nil else { continue }
            modify(item.key, stamp: &stamp) { slot in slot.delete() }
            removed += 1
        }
        return removed
    }

    /// Visits every live key and value.
    func forEachLive(_ visit: (Bytes, borrowing Value) -> Void) {
        table.forEachSlot { i in
            let head = table.entry(at: i).pointee.head
            if let value = head.liveValue { visit(table.key(at: i), value) }
        }
    }

    /// Adds a key known to be absent, during recovery from a snapshot (which
    /// holds each key once): no lookup first, nothing logged.
    func load(_ key: Bytes, _ value: Value, expireAt: Int64, sequence: UInt64) {
        table.insert(key, Entry(head: Version(value: value, sequence: sequence, expireAt: expireAt)))
        directory.insert(key)
        noteTTL(key, from: 0, to: expireAt)
    }

    /// Replaces the key's latest version during recovery: `body` gets the
    /// stored value and TTL, expired or not (replay repeats what happened,
    /// whatever the time is now); a nil value removes the key. No snapshot is
    /// open and nothing is logged.
    func restore(_ key: Bytes, sequence: UInt64, _ body: (inout Value?, inout Int64) throws -> Void) rethrows {
        let index = table.find(key)
        var value: Value? = nil
        var expireAt: Int64 = 0
        if let index {
            let entry = table.entry(at: index)
            value = entry.pointee.head.value.take()
            expireAt = entry.pointee.head.expireAt
        }
        let oldExpireAt = expireAt
        do {
            try body(&value, &expireAt)
        } catch {
            if let index { table.entry(at: index).pointee.head.value = value }
            throw error
        }
        if let value {
            let head = Version(value: value, sequence: sequence, expireAt: expireAt)
            if let index {
                table.entry(at: index).pointee.head = head
            } else {
                table.insert(key, Entry(head: head))
                directory.insert(key)
            }
            noteTTL(key, from: index == nil ? 0 : oldExpireAt, to: expireAt)
        } else if let index {
            if oldExpireAt != 0 { keysWithTTL -= 1 }
            table.remove(at: index)
            directory.remove(key, remaining: table)
        }
    }

    func removeAll() {
        table.removeAll()
        directory.removeAll()
        expiries.removeAll()
        tombstones = 0
        keysWithTTL = 0
        chainedVersions = 0
    }
}

/// The commit sequence number of one command or transaction, taken from the
/// clock the first time a write needs it so that every key the command writes
/// carries the same number (a snapshot sees all of a command or none of it).
/// With a write-ahead log it also gathers the command's effects, which
/// `log()` appends as one record while the shards are still locked.
public struct CommitStamp {
    /// Uncounted: the keyspace that makes a stamp owns the registry and the log and outlives the stamp.
    unowned(unsafe) let registry: SnapshotRegistry
    unowned(unsafe) let journal: WriteAheadLog?
    private var reserved: UInt64 = 0
    /// Allocated at the first effect, so a stamp without a log stays two words and a number.
    private var effects: CommitEffects?

    init(keyspace: Keyspace) {
        self.registry = keyspace.snapshots
        self.journal = keyspace.journal
    }

    var sequence: UInt64 {
        mutating get {
            if reserved == 0 { reserved = registry.nextSequence() }
            return reserved
        }
    }

    @inline(__always) var isJournaling: Bool { journal != nil }

    mutating func record(_ effect: Effect) {
        if effects == nil { effects = CommitEffects() }
        effects!.list.append(effect)
    }

    /// The command emptied the keyspace: one "clear" effect replaces per-key deletions.
    mutating func recordClear() {
        guard journal != nil else { return }
        if effects == nil { effects = CommitEffects() }
        effects!.list.removeAll()
        effects!.clearsAll = true
    }

    /// Appends the gathered effects as one record; call before unlocking the shards written.
    @inline(__always)
    mutating func log() {
        guard let journal, let effects else { return }
        let sequence = self.sequence
        journal.append { out in out.appendCommit(sequence: sequence, effects: effects) }
        self.effects = nil
    }
}
