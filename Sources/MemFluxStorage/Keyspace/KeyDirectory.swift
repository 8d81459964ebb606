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
            if KeyDirectory.has(table.key(at: slot), prefix: prefix) { shared = true }
        }
        if shared { return }
        hashesByPrefix.values[index].remove(UInt32(truncatingIfNeeded: key.fastHash))
        if hashesByPrefix.values[index].isEmpty { hashesByPrefix.remove(at: index) }
    }

    mutating func removeAll() { hashesByPrefix.removeAll() }

    /// The hashes of the keys with `prefix`, by value: O(1) (the set is
    /// copy-on-write), and a scan can walk the copy with the shard unlocked.
    func hashes(withPrefix prefix: Bytes) -> Set<UInt32> { hashesByPrefix[prefix] ?? [] }

    /// Visits the slot of every key in `table` that has `prefix`, tombstones included.
    func forEachSlot(withPrefix prefix: Bytes, in table: borrowing KeyTable, _ body: (Int) -> Void) {
        guard let hashes = hashesByPrefix[prefix] else { return }
        for hash in hashes {
            table.forEachSlot(withHash: Int(hash)) { slot in
                if KeyDirectory.has(table.key(at: slot), prefix: prefix) { body(slot) }
            }
        }
    }

    /// Whether `prefix` can be a key's directory prefix: its one `:` is its last byte.
    static func isPrefix(_ prefix: Bytes) -> Bool {
        guard let colon = prefix.firstIndex(of: UInt8(ascii: ":")) else { return false }
        return colon == prefix.count - 1
    }

    /// Whether `key`'s directory prefix is `prefix`, which `isPrefix` accepts:
    /// then it is whether `key` starts with it (no `Bytes` made for the key's own prefix).
    @inline(__always)
    static func has(_ key: Bytes, prefix: Bytes) -> Bool { key.hasPrefix(prefix) }
}
