// KeyTable: the hash map inside a shard, written for this one job.
//
// Why not Dictionary: every lookup there re-hashes the key through Hasher
// (SipHash) although `Bytes` already carries a good hash, and reading a value
// copies it out (retain + release). Here the cached hash is used as is, entries
// are reached through a pointer and mutated where they live, and a probe reads
// one byte per slot:
//
// - open addressing with linear probing over a power-of-two capacity, at most
//   3/4 full; deletion shifts later members of the run back (no tombstones),
//   so lookups never slow down with churn;
// - `control[i]` is 0 for an empty slot, else 0x80 | the hash's top 7 bits, so
//   a probe compares keys only when the tag matches;
// - a key and its entry share one slot, so a hit costs one slot's cache
//   line(s) after the control byte; the key's hash is inline in the slot and
//   compared before the key bytes.
//
// Slot indexes are valid until the next insert or remove.

import MemFluxCore

struct KeyTable: ~Copyable {
    struct Slot {
        var key: Bytes
        var entry: Entry
    }

    private var control: UnsafeMutablePointer<UInt8>
    private var slots: UnsafeMutablePointer<Slot>
    private(set) var capacity: Int
    private(set) var count = 0

    private static let minimumCapacity = 8

    init() {
        capacity = KeyTable.minimumCapacity
        (control, slots) = KeyTable.allocate(capacity)
    }

    deinit {
        KeyTable.release(control, slots, capacity)
    }

    private static func allocate(_ capacity: Int) -> (UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<Slot>) {
        let control = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        control.initialize(repeating: 0, count: capacity)
        return (control, .allocate(capacity: capacity))
    }

    private static func release(_ control: UnsafeMutablePointer<UInt8>, _ slots: UnsafeMutablePointer<Slot>, _ capacity: Int) {
        for i in 0..<capacity where control[i] != 0 { (slots + i).deinitialize(count: 1) }
        control.deallocate()
        slots.deallocate()
    }

    @inline(__always)
    private static func tag(_ hash: Int) -> UInt8 { 0x80 | UInt8(truncatingIfNeeded: UInt(bitPattern: hash) >> 57) }

    /// Home slot: bits above the 8 that pick the shard.
    @inline(__always)
    private func home(_ hash: Int) -> Int { (hash >> 8) & (capacity - 1) }

    // MARK: Lookup

    /// The slot holding `key`, if any.
    @inline(__always)
    func find(_ key: Bytes) -> Int? {
        let hash = key.fastHash
        let tag = KeyTable.tag(hash)
        let mask = capacity - 1
        var i = home(hash)
        while true {
            let c = control[i]
            if c == 0 { return nil }
            if c == tag && slots[i].key == key { return i }
            i = (i + 1) & mask
        }
    }

    @inline(__always)
    func key(at slot: Int) -> Bytes { slots[slot].key }

    /// The entry in `slot`, to read or mutate in place.
    @inline(__always)
    func entry(at slot: Int) -> UnsafeMutablePointer<Entry> {
        UnsafeMutableRawPointer(slots + slot).advanced(by: KeyTable.entryOffset).assumingMemoryBound(to: Entry.self)
    }

    private static let entryOffset = MemoryLayout<Slot>.offset(of: \Slot.entry)!

    subscript(key: Bytes) -> Entry? {
        guard let slot = find(key) else { return nil }
        return slots[slot].entry
    }

    /// Visits every occupied slot.
    func forEachSlot(_ body: (Int) throws -> Void) rethrows {
        for i in 0..<capacity where control[i] != 0 { try body(i) }
    }

    // MARK: Insert and remove

    /// Inserts `key`, which must be absent; returns its slot.
    @discardableResult
    mutating func insert(_ key: Bytes, _ entry: consuming Entry) -> Int {
        if (count + 1) * 4 > capacity * 3 { resize(to: capacity * 2) }
        let hash = key.fastHash
        let mask = capacity - 1
        var i = home(hash)
        while control[i] != 0 { i = (i + 1) & mask }
        control[i] = KeyTable.tag(hash)
        (slots + i).initialize(to: Slot(key: key, entry: entry))
        count += 1
        return i
    }

    /// Removes the key in `slot`, shifting later members of its probe run back
    /// so every remaining key stays reachable from its home slot.
    mutating func remove(at slot: Int) {
        (slots + slot).deinitialize(count: 1)
        control[slot] = 0
        count -= 1
        let mask = capacity - 1
        var hole = slot
        var i = (slot + 1) & mask
        while control[i] != 0 {
            let h = home(slots[i].key.fastHash)
            // Move i into the hole unless its home lies cyclically in (hole, i].
            let stays = hole <= i ? (h > hole && h <= i) : (h > hole || h <= i)
            if !stays {
                control[hole] = control[i]
                (slots + hole).moveInitialize(from: slots + i, count: 1)
                control[i] = 0
                hole = i
            }
            i = (i + 1) & mask
        }
        if capacity > KeyTable.minimumCapacity && count * 8 < capacity { resize(to: capacity / 2) }
    }

    mutating func removeAll() {
        KeyTable.release(control, slots, capacity)
        capacity = KeyTable.minimumCapacity
        count = 0
        (control, slots) = KeyTable.allocate(capacity)
    }

    private mutating func resize(to newCapacity: Int) {
        let (oldControl, oldSlots, oldCapacity) = (control, slots, capacity)
        capacity = newCapacity
        (control, slots) = KeyTable.allocate(newCapacity)
        let mask = newCapacity - 1
        for j in 0..<oldCapacity where oldControl[j] != 0 {
            var i = home(oldSlots[j].key.fastHash)
            while control[i] != 0 { i = (i + 1) & mask }
            control[i] = oldControl[j]
            (slots + i).moveInitialize(from: oldSlots + j, count: 1)
        }
        oldControl.deallocate()
        oldSlots.deallocate()
    }
}
