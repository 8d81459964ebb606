// ExpiryQueue: a min-heap of (expiry time, key) per shard, so active expiry
// finds due keys in O(log n) each instead of sampling. Entries are not removed
// when a TTL changes; a popped entry is checked against the key's current
// expiry and ignored when stale. The heap is rebuilt when stale entries
// outnumber live ones, which bounds its size.

import Collections
import MemFluxCore

struct ExpiryQueue: Sendable {
    struct Item: Comparable, Sendable {
        var expireAt: Int64
        var key: Bytes
        static func < (a: Item, b: Item) -> Bool { a.expireAt < b.expireAt }
        static func == (a: Item, b: Item) -> Bool { a.expireAt == b.expireAt && a.key == b.key }
    }

    private var heap = Heap<Item>()

    var count: Int { heap.count }

    mutating func schedule(_ key: Bytes, at expireAt: Int64) {
        heap.insert(Item(expireAt: expireAt, key: key))
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    mutating func popDue(now: Int64) -> Item? {
        guard let first = heap.min, first.expireAt <= now else { return nil }
        return heap.popMin()
    }

    /// Drops entries for which `isLive` is false; called when the heap has grown
    /// well past the number of keys that really carry a TTL.
    mutating func compact(keeping isLive: (Item) -> Bool) {
        heap = Heap(heap.unordered.filter(isLive))
    }

    mutating func removeAll() { heap = Heap() }
}
