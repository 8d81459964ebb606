// StoredKey: a key as the storage engine keeps it. Keys of up to 16 bytes
// (the common case: `user:1234`, `key:000000012345`) are two words held
// inline, so storing one costs no allocation and comparing one reads no other
// memory; longer keys keep their bytes in an array. The hash is the key's
// cached `Bytes` hash.

import MemFluxCore

struct StoredKey: Hashable, Sendable {
    let hash: Int
    /// A short key's bytes, zero-padded (see `Bytes.inlineWords`); 0 when `long` is set.
    let word0: UInt64
    let word1: UInt64
    let long: ContiguousArray<UInt8>?

    init(_ key: Bytes) {
        hash = key.fastHash
        if let (w0, w1) = key.inlineWords {
            (word0, word1, long) = (w0, w1, nil)
        } else {
            (word0, word1, long) = (0, 0, key.array)
        }
    }

    var bytes: Bytes {
        if let long { return Bytes(long, hash: hash) }
        return Bytes(inlineWords: (word0, word1), hash: hash)
    }

    /// Whether this is `key`, given `key.inlineWords` computed once by the caller.
    @inline(__always)
    func matches(_ key: Bytes, inline: (UInt64, UInt64)?) -> Bool {
        guard hash == key.fastHash else { return false }
        if let (w0, w1) = inline { return long == nil && word0 == w0 && word1 == w1 }
        guard let long else { return false }
        return Bytes(long, hash: hash) == key
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}
