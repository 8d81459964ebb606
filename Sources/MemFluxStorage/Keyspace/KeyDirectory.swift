// KeyDirectory: for every key prefix (the bytes up to and including the first
// `:`), the set of keys that have it. A SQL table `t` is the keys `t:*`, so a
// table scan or `KEYS t:*` reads one directory entry per shard instead of
// walking the whole keyspace. Maintained only when a key is created or
// removed, never on updates. Keys are held as `StoredKey`s, so a short key
// costs its set slot and no copy of its bytes.

import MemFluxCore

public struct KeyDirectory: Sendable {
    private var keysByPrefix: [Bytes: Set<StoredKey>] = [:]

    public init() {}

    /// The directory prefix of `key` (through the first `:`), or nil when it has none.
    @inlinable
    public static func prefix(of key: Bytes) -> Bytes? {
        guard let colon = key.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        return key[0..<(colon + 1)]
    }

    mutating func insert(_ key: Bytes) {
        guard let prefix = KeyDirectory.prefix(of: key) else { return }
        keysByPrefix[prefix, default: []].insert(StoredKey(key))
    }

    mutating func remove(_ key: Bytes) {
        guard let prefix = KeyDirectory.prefix(of: key) else { return }
        guard let index = keysByPrefix.index(forKey: prefix) else { return }
        keysByPrefix.values[index].remove(StoredKey(key))
        if keysByPrefix.values[index].isEmpty { keysByPrefix.remove(at: index) }
    }

    mutating func removeAll() { keysByPrefix.removeAll() }

    func keys(withPrefix prefix: Bytes) -> [Bytes] {
        keysByPrefix[prefix].map { $0.map(\.bytes) } ?? []
    }
}
