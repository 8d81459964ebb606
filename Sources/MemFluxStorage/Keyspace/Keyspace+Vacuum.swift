// Vacuum: drops versions no open snapshot can read any more, and keys whose
// only remaining version is a deletion. Writers keep a superseded version
// only while a snapshot that may read it is open; once the oldest open
// snapshot has moved past it (or none is open), vacuum frees it.
//
// Incremental: one shard locked at a time, and only shards that kept
// versions or tombstones since their last vacuum are walked, so a background
// pass over a keyspace without open transactions costs 256 lock/unlock pairs.

import MemFluxCore

extension Keyspace {
    public struct VacuumResult: Sendable, Equatable {
        public var versions = 0
        public var keys = 0
    }

    /// Runs a full pass now (the VACUUM command and the background task).
    @discardableResult
    public func vacuum() -> VacuumResult {
        var result = VacuumResult()
        for shard in shards {
            shard.lock()
            if shard.chainedVersions > 0 || shard.tombstones > 0 {
                // Read under the shard lock: a snapshot opened after this
                // point has a sequence number at or past every head here, so
                // it reads heads only.
                shard.vacuum(oldestSnapshot: snapshots.oldestOpen(), into: &result)
            }
            shard.unlock()
        }
        return result
    }

    /// Heap bytes held by superseded versions (MEMUSAGE adds them).
    public func olderVersionBytes() -> Int {
        var bytes = 0
        for shard in shards {
            shard.lock()
            if shard.chainedVersions > 0 {
                shard.table.forEachSlot { i in
                    var node = shard.table.entry(at: i).pointee.older
                    while let n = node {
                        bytes += 64 + (n.version.value?.estimatedBytes ?? 0)
                        node = n.next
                    }
                }
            }
            shard.unlock()
        }
        return bytes
    }
}

extension Shard {
    /// Trims every chain to what snapshots at or after `oldest` can read.
    func vacuum(oldestSnapshot oldest: UInt64?, into result: inout Keyspace.VacuumResult) {
        var deadKeys: [Bytes] = []
        var remaining = 0
        table.forEachSlot { i in
            let entry = table.entry(at: i)
            let head = entry.pointee.head
            // Versions at or below `oldest` after the newest such one are unreachable.
            var kept: [Version] = []
            var dropped = 0
            if let oldest, head.sequence > oldest {
                var node = entry.pointee.older
                var reachedOldest = false
                while let n = node {
                    if reachedOldest { dropped += 1 } else { kept.append(n.version) }
                    if n.version.sequence <= oldest { reachedOldest = true }
                    node = n.next
                }
            } else {
                var node = entry.pointee.older
                while let n = node { dropped += 1; node = n.next }
            }
            if dropped > 0 {
                var rebuilt: OlderVersion?
                for version in kept.reversed() { rebuilt = OlderVersion(version, next: rebuilt) }
                entry.pointee.older = rebuilt
                result.versions += dropped
            }
            remaining += kept.count
            // A deletion or an expired value that every open snapshot is past: the key is gone for all.
            if kept.isEmpty && (head.value == nil || head.isExpired) && (oldest.map { head.sequence <= $0 } ?? true) {
                deadKeys.append(table.key(at: i))
            }
        }
        for key in deadKeys {
            guard let index = table.find(key) else { continue }
            removeEntry(at: index, key: key)
            result.keys += 1
            result.versions += 1
        }
        chainedVersions = remaining
    }
}
