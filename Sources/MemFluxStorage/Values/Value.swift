// Value: what one key holds. An enum with a case per type rather than an
// existential, so dispatch is a switch and payloads are stored inline.
//
// Containers are copy-on-write collections; handlers mutate them in place
// through `KeySlot`, which takes the value out of the keyspace first so the
// container is uniquely referenced and no copy happens. Sets and hashes are
// persistent hash tries (swift-collections' TreeSet / TreeDictionary): when an
// open snapshot still holds the old version, a write copies one path of the
// trie, O(log n), and shares the rest with it. Lists are persistent B-trees
// of chunks (ListValue) for the same reason. A row of a SQL table with a
// schema is a TableRow: typed values sharing their table's layout.

import Collections
import MemFluxCore

public enum Value: Sendable {
    case bytes(Bytes)
    case json(JSONValue)
    case list(ListValue)
    case set(TreeSet<Bytes>)
    case hash(TreeDictionary<Bytes, Bytes>)
    case row(TableRow)

    /// The name TYPE answers (Redis 7 names; RedisJSON's for JSON documents,
    /// and for table rows, which clients read as JSON documents).
    public var typeName: String {
        switch self {
        case .bytes: "string"
        case .json: "ReJSON-RL"
        case .list: "list"
        case .set: "set"
        case .hash: "hash"
        case .row: "ReJSON-RL"
        }
    }

    /// The type filter word SCAN ... TYPE accepts for this value.
    public var scanTypeName: String {
        switch self {
        case .bytes: "string"
        case .json: "rejson-rl"
        case .list: "list"
        case .set: "set"
        case .hash: "hash"
        case .row: "rejson-rl"
        }
    }

    /// An estimate of the heap bytes this value holds (payload plus
    /// per-element overhead; elements are 24-byte `Bytes`, inline up to 16
    /// bytes); MEMUSAGE sums these.
    public var estimatedBytes: Int {
        switch self {
        case .bytes(let b): return b.heapBytes
        case .json(let j): return 32 + j.estimatedBytes
        case .list(let l):
            var total = 64 + l.nodeBytes
            for e in l { total += e.heapBytes }
            return total
        case .set(let s):
            var total = 64 + s.count * 40
            for e in s { total += e.heapBytes }
            return total
        case .hash(let h):
            var total = 64 + h.count * 64
            for (k, v) in h { total += k.heapBytes + v.heapBytes }
            return total
        case .row(let r): return r.estimatedBytes
        }
    }
}

extension JSONValue {
    /// Rough heap bytes of a parsed document, for MEMUSAGE.
    public var estimatedBytes: Int {
        switch self {
        case .null, .bool, .int, .double: return 16
        case .string(let s): return 32 + s.utf8.count
        case .array(let a): return a.reduce(32) { $0 + $1.estimatedBytes }
        case .object(let o): return o.reduce(48) { $0 + 48 + $1.key.utf8.count + $1.value.estimatedBytes }
        }
    }
}
