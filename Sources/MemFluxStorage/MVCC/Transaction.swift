// Transaction: an explicit transaction's private state. It reads the snapshot
// taken when it began, buffers its writes here (so it reads its own writes and
// nobody else sees them before commit), and remembers what it read so that a
// serializable commit can check nobody changed it since.
//
// Commit (Keyspace.commit) locks the shards involved, validates, and installs
// every buffered write with one commit sequence number:
// - snapshot isolation: no key it writes was committed after its snapshot
//   (first committer wins);
// - serializable: nor any key it read, nor any key matching a predicate it
//   read (a prefix or the whole keyspace: KEYS, SCAN, DBSIZE; SQL table scans,
//   index ranges and graph label scans add their own predicate cases). Shards
//   keep the last commit of each predicate (Shard.lastWrite, prefixCommits),
//   so this check costs O(shards) per predicate, not a walk of what it covers.
// No lock is held between commands, only during commit.

import MemFluxCore

/// A key's state as a transaction leaves it; a nil value deletes the key.
struct PendingWrite {
    var value: Value?
    var expireAt: Int64
    /// With a write-ahead log: how `value` differs from the key's value in the
    /// transaction's snapshot, change by change, so the commit logs those
    /// rather than the whole value; nil when only the whole value will do.
    var changes: [ValueChange]? = nil

    /// The value unless its TTL has passed.
    var liveValue: Value? {
        guard let value, expireAt == 0 || expireAt > WallClock.nowMilliseconds() else { return nil }
        return value
    }
}

/// A read whose answer depends on which keys exist, not on one named key.
public enum ReadPredicate: Sendable, Hashable {
    /// Every key (KEYS *, SCAN, DBSIZE, FLUSHALL).
    case everything
    /// Keys whose directory prefix is this (`t:` for KEYS t:*, a table scan).
    case prefix(Bytes)
}

public final class Transaction: @unchecked Sendable {
    // @unchecked: used by one session, hence one thread at a time.
    public enum Outcome: Sendable, Equatable {
        case committed
        /// Another transaction committed a conflicting change first.
        case conflict
        /// A WATCHed key changed (MULTI/EXEC): EXEC answers nil.
        case watchedKeyChanged
    }

    public let snapshot: UInt64
    public let isolation: Configuration.Isolation
    var writes: [Bytes: PendingWrite] = [:]
    var reads: Set<Bytes> = []
    /// A set: a statement that scans a table once per outer row registers it once.
    var predicates: Set<ReadPredicate> = []
    /// WATCHed keys and the commit sequence number each had when watched.
    var watched: [Bytes: UInt64] = [:]
    /// Open savepoints, oldest first, each with the length `undo` had when it was set.
    private var savepoints: [(name: Bytes, mark: Int)] = []
    /// While a savepoint is open: the pending state each key had before its
    /// first write since the newest savepoint, oldest first. Rolling back to a
    /// savepoint restores the entries after its mark, so a savepoint costs
    /// O(the keys written after it), never a copy of the write set.
    private var undo: [(key: Bytes, previous: PendingWrite?)] = []
    /// Keys with an undo entry since the newest savepoint: later writes to them need none
    /// (and so mutate their container in place again).
    private var recordedSinceNewestSavepoint: Set<Bytes> = []

    init(snapshot: UInt64, isolation: Configuration.Isolation) {
        self.snapshot = snapshot
        self.isolation = isolation
    }

    var validatesReads: Bool { isolation == .serializable }

    /// Keys written so far (for waking clients blocked on lists after commit).
    public var writtenKeys: [Bytes] { Array(writes.keys) }

    func noteRead(_ key: Bytes) {
        if validatesReads { reads.insert(key) }
    }

    /// Makes room for `keys` more reads and writes, so a bulk write (an
    /// executemany of n rows) does not rehash its sets again and again as they grow.
    public func reserveCapacity(forKeys keys: Int) {
        writes.reserveCapacity(writes.count + keys)
        if validatesReads { reads.reserveCapacity(reads.count + keys) }
    }

    public func noteRead(_ predicate: ReadPredicate) {
        if validatesReads { predicates.insert(predicate) }
    }

    /// Makes commit answer `.watchedKeyChanged` unless `key`'s latest commit
    /// sequence number is still `sequence` (see `Keyspace.lastCommit`).
    public func watch(_ key: Bytes, at sequence: UInt64) {
        watched[key] = sequence
    }

    // MARK: Savepoints

    /// Call before a write changes `key`'s pending state. Costs one branch
    /// when no savepoint is open.
    @inline(__always)
    func willWrite(_ key: Bytes) {
        guard !savepoints.isEmpty else { return }
        recordUndo(key)
    }

    private func recordUndo(_ key: Bytes) {
        guard recordedSinceNewestSavepoint.insert(key).inserted else { return }
        undo.append((key, writes[key]))
    }

    public func savepoint(_ name: Bytes) {
        savepoints.append((name, undo.count))
        recordedSinceNewestSavepoint = []
    }

    /// Undoes the writes made since savepoint `name` (which stays); false when there is none.
    public func rollback(toSavepoint name: Bytes) -> Bool {
        guard let i = savepoints.lastIndex(where: { $0.name == name }) else { return false }
        let mark = savepoints[i].mark
        while undo.count > mark {
            let (key, previous) = undo.removeLast()
            writes[key] = previous
            // A write counted as the read it made (Keyspace.modify notes none); undone, the read remains.
            if previous == nil { noteRead(key) }
        }
        savepoints.removeSubrange((i + 1)...)
        recordedSinceNewestSavepoint = []
        return true
    }

    /// Forgets savepoint `name` and those after it, keeping their writes; false when there is none.
    public func release(savepoint name: Bytes) -> Bool {
        guard let i = savepoints.lastIndex(where: { $0.name == name }) else { return false }
        savepoints.removeSubrange(i...)
        if let newest = savepoints.last {
            // The undo entries after it still serve a rollback to it.
            recordedSinceNewestSavepoint = Set(undo[newest.mark...].map(\.key))
        } else {
            undo = []
            recordedSinceNewestSavepoint = []
        }
        return true
    }
}
