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
    /// Entries whose key is a system key, and those of them that are
    /// tombstones: DBSIZE leaves them out, and walks skip the per-key test
    /// where there are none.
    var systemEntries = 0
    var systemTombstones = 0
    /// The highest commit sequence number of any write here: a serializable
    /// transaction that read every key conflicts once it passes its snapshot.
    var lastWrite: UInt64 = 0
    /// For each tracked prefix (one a serializable transaction has scanned),
    /// the highest commit sequence number of any write to a key with that
    /// prefix here, so that validating a prefix read costs one lookup, not a
    /// walk of the table. Empty until the first such scan: until then a write
    /// pays one branch for it.
    var prefixCommits = PrefixCommits()

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

    /// Live keys other than system keys (DBSIZE).
    var userKeyCount: Int { liveCount - (systemEntries - systemTombstones) }

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
    func lastCommit(_ key: Bytes) -> UInt64 {
        guard let slot = table.find(key) else { return 0 }
        return table.entry(at: slot).pointee.head.sequence
    }

    /// The value a snapshot taken at `snapshot` sees, or nil (only that value is copied out).
    func visible(_ key: Bytes, at snapshot: UInt64) -> Value? {
        guard let slot = table.find(key) else { return nil }
        return Entry.visibleValue(table.entry(at: slot), at: snapshot)
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
                let sequence = stamp.sequence
                insertEntry(key, Version(value: value, sequence: sequence, expireAt: slot.expireAt))
                noteCommit(key, sequence)
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
        if wasTombstone != nowTombstone {
            tombstones += nowTombstone ? 1 : -1
            if systemEntries > 0 && key.isSystemKey { systemTombstones += nowTombstone ? 1 : -1 }
        }
        noteTTL(key, from: oldExpireAt, to: newHead.expireAt)
        noteCommit(key, sequence)
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

    /// Adds `key`, which must be absent, with one version.
    @inline(__always)
    private func insertEntry(_ key: Bytes, _ head: Version) {
        table.insert(key, Entry(head: head))
        directory.insert(key)
        noteTTL(key, from: 0, to: head.expireAt)
        if key.isSystemKey { systemEntries += 1 }
    }

    /// Removes the key in slot `index` with all its versions.
    func removeEntry(at index: Int, key: Bytes) {
        let head = table.entry(at: index).pointee.head
        if head.value == nil { tombstones -= 1 }
        if head.expireAt != 0 { keysWithTTL -= 1 }
        if systemEntries > 0 && key.isSystemKey {
            systemEntries -= 1
            if head.value == nil { systemTombstones -= 1 }
        }
        table.remove(at: index)
        directory.remove(key, remaining: table)
    }

    // MARK: Last commits, for validating predicate reads

    /// Call after installing a version of `key` stamped `sequence`.
    @inline(__always)
    private func noteCommit(_ key: Bytes, _ sequence: UInt64) {
        lastWrite = max(lastWrite, sequence)
        if !prefixCommits.isEmpty { prefixCommits.noteCommit(key, sequence) }
    }

    /// The highest commit sequence number of any write to a key with `prefix`
    /// here that an open snapshot might not see. The first call for a prefix
    /// starts tracking it, from the heads its keys have now: a key written
    /// after an open snapshot has a head (a tombstone, if it was deleted)
    /// stamped after it until that snapshot closes, because nothing reclaims
    /// an entry an open snapshot could still read.
    func lastCommit(withPrefix prefix: Bytes) -> UInt64 {
        if let known = prefixCommits[prefix] { return known }
        var latest: UInt64 = 0
        directory.forEachSlot(withPrefix: prefix, in: table) { slot in
            latest = max(latest, table.entry(at: slot).pointee.head.sequence)
        }
        prefixCommits.track(prefix, from: latest)
        return latest
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

    /// Visits every live key and value, system keys only if asked.
    func forEachLive(includingSystemKeys: Bool = false, _ visit: (Bytes, borrowing Value) -> Void) {
        let skipsSystemKeys = !includingSystemKeys && systemEntries > 0
        table.forEachSlot { i in
            let head = table.entry(at: i).pointee.head
            guard let value = head.liveValue else { return }
            let key = table.key(at: i)
            if !(skipsSystemKeys && key.isSystemKey) { visit(key, value) }
        }
    }

    /// Adds a key known to be absent, during recovery from a snapshot (which
    /// holds each key once): no lookup first, nothing logged.
    func load(_ key: Bytes, _ value: Value, expireAt: Int64, sequence: UInt64) {
        insertEntry(key, Version(value: value, sequence: sequence, expireAt: expireAt))
        noteCommit(key, sequence)
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
        let head = Version(value: value, sequence: sequence, expireAt: expireAt)
        if value != nil, let index {
            table.entry(at: index).pointee.head = head
            noteTTL(key, from: oldExpireAt, to: expireAt)
        } else if value != nil {
            insertEntry(key, head)
        } else if let index {
            // Recovery keeps no tombstones, so the entry was a live key.
            if oldExpireAt != 0 { keysWithTTL -= 1 }
            if key.isSystemKey { systemEntries -= 1 }
            table.remove(at: index)
            directory.remove(key, remaining: table)
        }
        noteCommit(key, sequence)
    }

    /// Empties the shard at commit `sequence` while no snapshot is open (so no
    /// tombstones are needed), keeping the live system keys when asked.
    func removeAll(keepingSystemKeys: Bool, sequence: UInt64) {
        var kept: [(key: Bytes, head: Version)] = []
        if keepingSystemKeys && systemEntries > systemTombstones {
            table.forEachSlot { i in
                let head = table.entry(at: i).pointee.head
                if head.value != nil, table.key(at: i).isSystemKey { kept.append((table.key(at: i), head)) }
            }
        }
        table.removeAll()
        directory.removeAll()
        expiries.removeAll()
        tombstones = 0
        keysWithTTL = 0
        chainedVersions = 0
        systemEntries = 0
        systemTombstones = 0
        for (key, head) in kept { insertEntry(key, head) }
        // Any tracked prefix may have lost keys.
        lastWrite = max(lastWrite, sequence)
        prefixCommits.raiseAll(to: sequence)
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
    mutating func recordClear(includingSystemKeys: Bool) {
        guard journal != nil else { return }
        if effects == nil { effects = CommitEffects() }
        effects!.list.removeAll()
        effects!.clear = includingSystemKeys ? .clearIncludingSystemKeys : .clear
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
