// Keyspace: the sharded, versioned map from key to value that every data
// model is stored in.
//
// Reads and writes lock only the shards of the keys they name. A command that
// names several keys locks their shards in index order (no deadlock) and
// stamps every write with one commit sequence number, so it is atomic both
// for other commands and for snapshots. Whole-keyspace operations (KEYS,
// SCAN, DBSIZE) visit one shard at a time and leave system keys out (see
// SystemKey).

import MemFluxCore
import MemFluxPersistence

/// `@unchecked Sendable`: `shardTable` is written only in `init` and read-only
/// afterwards, `journal` once before the keyspace is shared, and
/// `recoveredLayouts` used only by recovery, before it is shared; everything
/// else is immutable or guards itself.
public final class Keyspace: @unchecked Sendable {
    public static let shardCount = 256
    let shards: [Shard]
    public let snapshots: SnapshotRegistry
    /// The same shards, uncounted, for the per-command path: `shards` owns
    /// them, and reading a counted reference from many threads would make
    /// every lookup an atomic write to a shared cache line.
    private let shardTable: UnsafeMutablePointer<UncountedShard>
    /// The write-ahead log every commit is appended to; nil without persistence.
    public private(set) var journal: WriteAheadLog?
    /// Every row layout recovery has read, so the rows of a table share one
    /// instance whether they came from the snapshot or the log.
    let recoveredLayouts = LayoutInterner()
    /// The threads that help a parallel scan (`scanInParallel`).
    let scanHelpers: HelperThreads

    /// `scanHelpers`: the process's, or others for a test of the parallel walk on a machine with few cores.
    public init(scanHelpers: HelperThreads = .shared) {
        self.scanHelpers = scanHelpers
        shards = (0..<Keyspace.shardCount).map { _ in Shard() }
        snapshots = SnapshotRegistry()
        shardTable = .allocate(capacity: Keyspace.shardCount)
        for (i, shard) in shards.enumerated() { (shardTable + i).initialize(to: UncountedShard(shard: shard)) }
    }

    deinit { shardTable.deallocate() }

    /// Starts logging every commit to `log`. Call once, after recovery and
    /// before the keyspace is used by more than one thread.
    public func startJournaling(to log: WriteAheadLog) {
        journal = log
        recoveredLayouts.removeAll()
    }

    @inline(__always)
    static func shardIndex(of key: Bytes) -> Int { key.fastHash & (shardCount - 1) }

    @inline(__always)
    func shard(for key: Bytes) -> Shard { shardTable[Keyspace.shardIndex(of: key)].shard }

    // MARK: Single-key access

    /// Runs `body` with the latest committed value of `key` (nil when absent or expired).
    public func read<R, E: Error>(_ key: Bytes, _ body: (borrowing Value?) throws(E) -> R) throws(E) -> R {
        let shard = shard(for: key)
        shard.lock()
        defer { shard.unlock() }
        return try shard.withLatest(key, registry: snapshots, body)
    }

    /// Runs `body` on the key's slot and commits what it leaves there.
    public func modify<R, E: Error>(_ key: Bytes, _ body: (inout KeySlot) throws(E) -> R) throws(E) -> R {
        let shard = shard(for: key)
        var stamp = CommitStamp(keyspace: self)
        shard.lock()
        defer { shard.unlock() }
        let result = try shard.modify(key, stamp: &stamp, body)
        stamp.log()
        return result
    }

    /// The value `key` had in the snapshot taken at `snapshot` (see `SnapshotRegistry.acquire`).
    public func read(_ key: Bytes, at snapshot: UInt64) -> Value? {
        let shard = shard(for: key)
        shard.lock()
        defer { shard.unlock() }
        return shard.visible(key, at: snapshot)
    }

    // MARK: Multi-key access

    /// Locks the shards of `keys` and runs `body`, which may read and modify
    /// those keys (and only those) through `LockedKeys`; every write it makes
    /// commits with one sequence number.
    public func withKeys<R, E: Error>(_ keys: [Bytes], _ body: (inout LockedKeys) throws(E) -> R) throws(E) -> R {
        var indices = keys.map(Keyspace.shardIndex(of:))
        indices.sort()
        var previous = -1
        for i in indices where i != previous {
            shards[i].lock()
            previous = i
        }
        defer {
            previous = -1
            for i in indices where i != previous {
                shards[i].unlock()
                previous = i
            }
        }
        var locked = LockedKeys(keyspace: self)
        // Logged even when `body` throws after writing: what was installed is logged.
        defer { locked.stamp.log() }
        return try body(&locked)
    }

    // MARK: Whole keyspace

    /// Live keys other than system keys (DBSIZE), counted after reclaiming
    /// those whose TTL has passed.
    /// - Complexity: O(shards) beyond the reclaiming.
    public func count() -> Int {
        expireDueKeys(limitPerShard: .max)
        var total = 0
        for shard in shards {
            shard.lock()
            total += shard.userKeyCount
            shard.unlock()
        }
        return total
    }

    /// Calls `visit` for every live key but the system keys, with its value,
    /// one shard at a time (each shard is consistent; the whole walk is not a snapshot).
    public func forEach(_ visit: (Bytes, borrowing Value) -> Void) {
        for shard in shards {
            shard.lock()
            shard.forEachLive(visit)
            shard.unlock()
        }
    }

    /// Live keys whose directory prefix is `prefix` (which ends in `:`); reads
    /// the prefix directory, not the keyspace.
    public func keys(withDirectoryPrefix prefix: Bytes) -> [Bytes] {
        var keys: [Bytes] = []
        scan(prefix: prefix) { key, _ in
            keys.append(key)
            return true
        }
        return keys
    }

    /// Deletes every key but the system keys, atomically (FLUSHALL, FLUSHDB).
    /// With no snapshot open the tables are simply emptied; otherwise every
    /// key gets a deletion version (one commit sequence number for all), so
    /// open snapshots keep reading theirs.
    public func removeAll() { removeAll(includingSystemKeys: false) }

    /// Deletes every key, system keys too (WIPEDB: schemas go with the data).
    public func removeAllIncludingSystemKeys() { removeAll(includingSystemKeys: true) }

    private func removeAll(includingSystemKeys: Bool) {
        for shard in shards { shard.lock() }
        defer { for shard in shards { shard.unlock() } }
        var stamp = CommitStamp(keyspace: self)
        // The sequence number is taken before the horizon is read (see SnapshotRegistry).
        let sequence = stamp.sequence
        if snapshots.horizon.load(ordering: .sequentiallyConsistent) == 0 {
            for shard in shards { shard.removeAll(keepingSystemKeys: !includingSystemKeys, sequence: sequence) }
        } else {
            for shard in shards {
                var keys: [Bytes] = []
                shard.forEachLive(includingSystemKeys: includingSystemKeys) { key, _ in keys.append(key) }
                for key in keys { shard.modify(key, stamp: &stamp) { slot in slot.delete() } }
            }
        }
        stamp.recordClear(includingSystemKeys: includingSystemKeys)
        stamp.log()
    }

    /// Active expiry: reclaims keys whose TTL has passed; returns how many.
    @discardableResult
    public func expireDueKeys(limitPerShard: Int = 200) -> Int {
        let now = WallClock.nowMilliseconds()
        var removed = 0
        for shard in shards {
            shard.lock()
            var stamp = CommitStamp(keyspace: self)
            removed += shard.expireDue(now: now, limit: limitPerShard, stamp: &stamp)
            stamp.log()
            shard.unlock()
        }
        return removed
    }

    /// Number of versions stored for `key` (1 for a plain key), for tests.
    public func versionCount(_ key: Bytes) -> Int {
        let shard = shard(for: key)
        shard.lock()
        defer { shard.unlock() }
        return shard.table[key]?.chainLength ?? 0
    }
}

struct UncountedShard {
    unowned(unsafe) let shard: Shard
}

/// The keys a multi-key command locked. Valid only inside `Keyspace.withKeys`.
/// Calls must not nest (a read or modify inside another's closure could move
/// table slots under it); `modify` being mutating makes the compiler refuse that.
/// Inside a transaction nothing is locked and every access goes through it.
public struct LockedKeys {
    let keyspace: Keyspace
    let transaction: Transaction?
    var stamp: CommitStamp

    init(keyspace: Keyspace, transaction: Transaction? = nil) {
        self.keyspace = keyspace
        self.transaction = transaction
        self.stamp = CommitStamp(keyspace: keyspace)
    }

    public func read<R, E: Error>(_ key: Bytes, _ body: (borrowing Value?) throws(E) -> R) throws(E) -> R {
        if let transaction { return try keyspace.read(key, in: transaction, body) }
        return try keyspace.shard(for: key).withLatest(key, registry: keyspace.snapshots, body)
    }

    public mutating func modify<R, E: Error>(_ key: Bytes, _ body: (inout KeySlot) throws(E) -> R) throws(E) -> R {
        if let transaction { return try keyspace.modify(key, in: transaction, body) }
        return try keyspace.shard(for: key).modify(key, stamp: &stamp, body)
    }
}

extension LockedKeys {
    /// The key's TTL as absolute Unix milliseconds (0 = none or absent).
    public func expireAt(_ key: Bytes) -> Int64 {
        if let transaction { return keyspace.expireAt(key, in: transaction) ?? 0 }
        return keyspace.shard(for: key).latest(key)?.expireAt ?? 0
    }
}

extension Keyspace {
    /// The key's TTL as absolute Unix milliseconds: nil when the key is absent, 0 when it has none.
    public func expireAt(_ key: Bytes) -> Int64? {
        let shard = shard(for: key)
        shard.lock()
        defer { shard.unlock() }
        return shard.latest(key)?.expireAt
    }
}
