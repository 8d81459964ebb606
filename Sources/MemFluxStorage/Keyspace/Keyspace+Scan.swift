// SCAN over the sharded keyspace with Redis's guarantee: a key present for the
// whole iteration is returned at least once, however the maps grow or shrink
// between calls. Within a shard keys are visited in order of their hash's top
// 56 bits, so the cursor is (shard << 56 | next hash position) and does not
// depend on the map's internal layout. Each call reads one shard's keys.

import MemFluxCore

extension Keyspace {
    private static let positionBits: UInt64 = 56
    private static let positionMask: UInt64 = (1 << 56) - 1

    @inline(__always)
    private static func position(of key: Bytes) -> UInt64 {
        UInt64(bitPattern: Int64(key.fastHash)) >> 8
    }

    /// One SCAN step: about `count` keys from `cursor` on, each offered to
    /// `include`; returns the next cursor (0 when done) and the included keys.
    public func scan(
        cursor: UInt64, count: Int, include: (Bytes, borrowing Value) -> Bool
    ) -> (next: UInt64, keys: [Bytes]) {
        var shardIndex = Int(cursor >> Keyspace.positionBits)
        var from = cursor & Keyspace.positionMask
        var keys: [Bytes] = []
        var visited = 0
        while shardIndex < shards.count && visited < count {
            let shard = shards[shardIndex]
            shard.lock()
            var candidates: [(position: UInt64, key: Bytes)] = []
            shard.forEachLive { key, _ in
                let p = Keyspace.position(of: key)
                if p >= from { candidates.append((p, key)) }
            }
            candidates.sort { $0.position < $1.position }
            var taken = 0
            while taken < candidates.count && (visited < count || candidates[taken].position == candidates[taken - 1].position) {
                let key = candidates[taken].key
                if let value = shard.latest(key)?.value, include(key, value) { keys.append(key) }
                taken += 1
                visited += 1
            }
            shard.unlock()
            if taken < candidates.count {
                return ((UInt64(shardIndex) << Keyspace.positionBits) | candidates[taken].position, keys)
            }
            shardIndex += 1
            from = 0
        }
        return (shardIndex >= shards.count ? 0 : UInt64(shardIndex) << Keyspace.positionBits, keys)
    }
}
