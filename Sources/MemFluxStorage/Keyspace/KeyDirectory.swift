// KeyDirectory: for every key prefix (the bytes up to and including the first
// `:`), the hashes of the keys that have it. A SQL table `t` is the keys
// `t:*`, so a table scan or `KEYS t:*` reads one directory entry per shard
// instead of walking the whole keyspace. Maintained only when a key is created
// or removed, never on updates.
//
// Only the 4-byte hash is kept, not the key: the shard's table finds the keys
// with a given hash in the probe run from its home slot, so a directory entry
// costs a few bytes per key instead of a second copy of it.

import MemFluxCore

public struct KeyDirectory: ~Copyable {
    private var hashesByPrefix: [Bytes: Set<UInt32>] = [:]

    /// The directory prefix of `key` (through the first `:`), or nil when it has none.
    @inlinable
    public static func prefix(of key: Bytes) -> Bytes? {
        guard let colon = key.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        return key[0..<(colon + 1)]
    }

    mutating func insert(_ key: Bytes) {
        guard let prefix = KeyDirectory.prefix(of: key) else { return }
        hashesByPrefix[prefix, default: []].insert(UInt32(truncatingIfNeeded: key.fastHash))
    }

    /// Forgets `key`, already removed from `table`, unless another key there
    /// shares both its hash and its prefix.
    mutating func remove(_ key: Bytes, remaining table: borrowing KeyTable) {
        guard let prefix = KeyDirectory.prefix(of: key) else { return }
        guard let index = hashesByPrefix.index(forKey: prefix) else { return }
        var shared = false
        table.forEachSlot(withHash: key.fastHash) { slot in
            if KeyDirectory.prefix(of: table.key(at: slot)) == prefix { shared = true }
        }
        if shared { return }
        hashesByPrefix.values[index].remove(UInt32(truncatingIfNeeded: key.fastHash))
        if hashesByPrefix.values[index].isEmpty { hashesByPrefix.remove(at: index) }
    }

    mutating func removeAll() { hashesByPrefix.removeAll() }

    /// The keys in `table` that have `prefix`.
    func keys(withPrefix prefix: Bytes, in table: borrowing KeyTable) -> [Bytes] {
        guard let hashes = hashesByPrefix[prefix] else { return [] }
        var keys: [Bytes] = []
        keys.reserveCapacity(hashes.count)
        for hash in hashes {
            table.forEachSlot(withHash: Int(hash)) { slot in
                let key = table.key(at: slot)
                if KeyDirectory.prefix(of: key) == prefix { keys.append(key) }
            }
        }
        return keys
    }
}
