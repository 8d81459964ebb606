// KeyTable: the hash map inside a shard, written for this one job.
//
// Why not Dictionary: every lookup there re-hashes the key through Hasher
// (SipHash) although `Bytes` already carries a good hash, and reading a value
// copies it out (retain + release). Here the cached hash is used as is, and
// entries are reached through a pointer and mutated where they live.
//
// - Open addressing with linear probing in Robin Hood order, at most 3/4
//   full: the keys of a probe run sit in the order of their home slots (an
//   insert displaces keys nearer their homes down the run), so a search
//   stops at the first key whose home lies past its own. A miss then costs
//   about what a hit does, where plain linear probing walks the whole run
//   (about eight slots at 3/4 full). Deletion shifts the rest of the run back
//   (no tombstones), so lookups never slow down with churn.
// - Capacities step by 1.5x and 4/3x (8, 12, 16, 24, 32, ...) rather than
//   doubling, so a table is on average fuller (memory is mostly slots); a hash
//   maps to its home slot by multiplication (`home`), which needs no power of two.
// - A key and its entry share one slot, and a slot is free when its version's
//   sequence number is 0 (committed versions start at 1), so there is no
//   separate occupancy array to miss in cache on a large keyspace.
// - Keys are `Bytes`, so keys of up to 16 bytes are stored inside the slot. A
//   hit on a short key touches only its slot: hash and bytes are compared in
//   place, and the key costs no allocation.
//
// Slot indexes are valid until the next insert or remove.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CPrefetch
import MemFluxCore

struct KeyTable: ~Copyable {
    struct Slot {
        var key: Bytes
        var entry: Entry
    }

    private var slots: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var count = 0

    private static let minimumCapacity = 8
    private static let stride = MemoryLayout<Slot>.stride
    /// Offset of `entry.head.sequence` in a slot: 0 marks the slot free.
    private let sequenceOffset = MemoryLayout<Slot>.offset(of: \Slot.entry.head.sequence)!
    private let entryOffset = MemoryLayout<Slot>.offset(of: \Slot.entry)!
    private let keyOffset = MemoryLayout<Slot>.offset(of: \Slot.key)!

    init() {
        capacity = KeyTable.minimumCapacity
        slots = KeyTable.allocate(capacity)
    }

    deinit {
        releaseSlots(slots, capacity)
    }

    private static let hugePage = 2 << 20

    /// Zeroed memory: every slot free. Tables of 2 MB and more are aligned to
    /// and advised as huge pages: lookups land on random slots, and with 4 KB
    /// pages nearly every one of them would also miss the TLB.
    private static func allocate(_ capacity: Int) -> UnsafeMutableRawPointer {
        let bytes = capacity * stride
        let alignment = bytes >= hugePage ? hugePage : 64
        var memory: UnsafeMutableRawPointer?
        guard posix_memalign(&memory, alignment, bytes) == 0, let memory else {
            fatalError("out of memory allocating a \(bytes)-byte key table")
        }
        #if os(Linux)
        if bytes >= hugePage { _ = madvise(memory, bytes, MADV_HUGEPAGE) }
        #endif
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        return memory
    }

    private func releaseSlots(_ memory: UnsafeMutableRawPointer, _ capacity: Int) {
        for i in 0..<capacity where isOccupied(memory, i) { slot(memory, i).deinitialize(count: 1) }
        free(memory)
    }

    @inline(__always)
    private func isOccupied(_ memory: UnsafeMutableRawPointer, _ i: Int) -> Bool {
        memory.load(fromByteOffset: i &* KeyTable.stride &+ sequenceOffset, as: UInt64.self) != 0
    }

    @inline(__always)
    private func markFree(_ memory: UnsafeMutableRawPointer, _ i: Int) {
        memory.storeBytes(of: 0, toByteOffset: i * KeyTable.stride + sequenceOffset, as: UInt64.self)
    }

    @inline(__always)
    private func slot(_ memory: UnsafeMutableRawPointer, _ i: Int) -> UnsafeMutablePointer<Slot> {
        (memory + i &* KeyTable.stride).assumingMemoryBound(to: Slot.self)
    }

    /// Home slot: the 24 hash bits above the 8 that pick the shard, scaled to
    /// the capacity. Monotonic in those bits, so keys keep their relative
    /// order across resizes (SCAN relies on hash order, not on slots).
    @inline(__always)
    private func home(_ hash: Int) -> Int { (KeyTable.homePosition(hash) &* capacity) >> 24 }

    @inline(__always)
    private func next(_ i: Int) -> Int { i + 1 == capacity ? 0 : i + 1 }

    /// How far past its home slot the key in (occupied) slot `i` of `memory` sits.
    @inline(__always)
    private func displacement(_ memory: UnsafeMutableRawPointer, _ i: Int) -> Int {
        let home = home(slot(memory, i).pointee.key.fastHash)
        return i >= home ? i - home : i + capacity - home
    }

    /// The capacity after `capacity` when growing: x1.5 from a power of two, x4/3 otherwise.
    private static func grown(_ capacity: Int) -> Int {
        capacity & (capacity - 1) == 0 ? capacity / 2 * 3 : capacity / 3 * 4
    }

    private static func shrunk(_ capacity: Int) -> Int {
        capacity & (capacity - 1) == 0 ? capacity / 4 * 3 : capacity / 3 * 2
    }

    // MARK: Lookup

    /// The slot holding `key`, if any.
    @inline(__always)
    func find(_ key: Bytes) -> Int? {
        var i = home(key.fastHash)
        var distance = 0
        while isOccupied(slots, i) {
            if slot(slots, i).pointee.key == key { return i }
            // A key whose home lies past the key's own: the key would sit before it.
            if displacement(slots, i) < distance { return nil }
            i = next(i)
            distance += 1
        }
        return nil
    }

    /// Asks the cache for the slots where looking up a key with hash `hash`
    /// starts (a batch of lookups does for each key before finding any):
    /// its home slot and the next, where a displaced key often sits and
    /// where a walk of the hash looks after finding it.
    @inline(__always)
    func prefetchHome(of hash: Int) {
        let home = UnsafeRawPointer(slot(slots, home(hash)))
        memflux_prefetch_span(home, home + (2 * KeyTable.stride - 1))
    }

    @inline(__always)
    func key(at i: Int) -> Bytes { slot(slots, i).pointee.key }

    /// The key in slot `i` where it is stored, to read without copying it.
    @inline(__always)
    func keyPointer(at i: Int) -> UnsafePointer<Bytes> {
        UnsafeRawPointer(slots + (i &* KeyTable.stride &+ keyOffset)).assumingMemoryBound(to: Bytes.self)
    }

    /// Visits every occupied slot whose key has hash `hash`: they sit
    /// together in the probe run from its home slot.
    func forEachSlot<E: Error>(withHash hash: Int, _ body: (Int) throws(E) -> Void) throws(E) {
        var i = home(hash)
        var distance = 0
        while isOccupied(slots, i) {
            if slot(slots, i).pointee.key.fastHash == hash {
                try body(i)
            } else if displacement(slots, i) < distance {
                return
            }
            i = next(i)
            distance += 1
        }
    }

    /// The 24 hash bits a key's home slot scales to the capacity: a key's
    /// place in the table's order that no resize or removal changes.
    static let homePositions = 1 << 24

    @inline(__always)
    static func homePosition(_ hash: Int) -> Int { (hash >> 8) & 0xFF_FFFF }

    /// Visits, in slot order, every occupied slot whose key's home position
    /// lies in `positions`: the slots from the range's first home slot past
    /// its last one, through the end of that probe run (keys displaced by
    /// collisions sit after their home slot). Positions, unlike slots, survive
    /// resizes and removals, so a walk resumed at a position neither repeats
    /// nor misses a key present throughout. A table walked in consecutive
    /// ranges is read sequentially, each slot about once.
    /// `body` gets each slot's key and entry where they are stored: the loop
    /// keeps the table's address in a register, and `body` reads nothing
    /// back through the table.
    func forEachSlot<E: Error>(
        homePositions positions: Range<Int>, _ body: (UnsafePointer<Bytes>, UnsafeMutablePointer<Entry>) throws(E) -> Void
    ) throws(E) {
        guard !positions.isEmpty else { return }
        let (slots, capacity) = (self.slots, self.capacity)
        let first = (positions.lowerBound &* capacity) >> 24
        let homeSlots = ((positions.upperBound - 1) &* capacity) >> 24 - first + 1
        var i = first
        var walked = 0
        while walked < capacity {
            if isOccupied(slots, i) {
                if positions.contains(KeyTable.homePosition(slot(slots, i).pointee.key.fastHash)) { try body(keyPointer(at: i), entry(at: i)) }
            } else if walked >= homeSlots {
                break
            }
            i = i &+ 1 == capacity ? 0 : i &+ 1
            walked &+= 1
        }
    }

    /// The entry in slot `i`, to read or mutate in place.
    @inline(__always)
    func entry(at i: Int) -> UnsafeMutablePointer<Entry> {
        (slots + (i &* KeyTable.stride &+ entryOffset)).assumingMemoryBound(to: Entry.self)
    }

    subscript(key: Bytes) -> Entry? {
        guard let i = find(key) else { return nil }
        return entry(at: i).pointee
    }

    /// Visits every occupied slot.
    func forEachSlot(_ body: (Int) throws -> Void) rethrows {
        for i in 0..<capacity where isOccupied(slots, i) { try body(i) }
    }

    /// Whether every probe run is in Robin Hood order (each key no nearer
    /// its home than the key before it, less one), for tests.
    var isInProbeOrder: Bool {
        (0..<capacity).allSatisfy { i in
            !isOccupied(slots, i) || !isOccupied(slots, next(i)) || displacement(slots, next(i)) <= displacement(slots, i) + 1
        }
    }

    // MARK: Insert and remove

    /// Inserts `key`, which must be absent; `entry.head.sequence` must not be 0. Returns its slot.
    @discardableResult
    mutating func insert(_ key: Bytes, _ entry: consuming Entry) -> Int {
        precondition(entry.head.sequence != 0, "a stored version has a commit sequence number")
        if (count + 1) * 4 > capacity * 3 { resize(to: KeyTable.grown(capacity)) }
        count += 1
        return place(Slot(key: key, entry: entry))
    }

    /// Puts `carried` into its probe run in Robin Hood order: past the keys
    /// whose homes are at or before its own, displacing the rest one slot
    /// down the run. Returns its slot.
    @discardableResult
    private func place(_ carried: consuming Slot) -> Int {
        var carried = carried
        var i = home(carried.key.fastHash)
        var distance = 0
        var placed: Int?
        while isOccupied(slots, i) {
            let occupant = displacement(slots, i)
            if occupant < distance {
                swap(&carried, &slot(slots, i).pointee)
                if placed == nil { placed = i }
                distance = occupant
            }
            i = next(i)
            distance += 1
        }
        slot(slots, i).initialize(to: carried)
        return placed ?? i
    }

    /// Removes the key in slot `index`, shifting the rest of its probe run
    /// back one slot, up to a key at its home: the run stays in order.
    mutating func remove(at index: Int) {
        slot(slots, index).deinitialize(count: 1)
        markFree(slots, index)
        count -= 1
        var hole = index
        var i = next(index)
        while isOccupied(slots, i) && displacement(slots, i) > 0 {
            slot(slots, hole).moveInitialize(from: slot(slots, i), count: 1)
            markFree(slots, i)
            hole = i
            i = next(i)
        }
        if capacity > KeyTable.minimumCapacity && count * 8 < capacity { resize(to: KeyTable.shrunk(capacity)) }
    }

    mutating func removeAll() {
        releaseSlots(slots, capacity)
        capacity = KeyTable.minimumCapacity
        count = 0
        slots = KeyTable.allocate(capacity)
    }

    /// Grows the table now to hold `count` keys without further resizing (bulk loads).
    mutating func reserve(_ count: Int) {
        var wanted = capacity
        while count * 4 > wanted * 3 { wanted = KeyTable.grown(wanted) }
        if wanted != capacity { resize(to: wanted) }
    }

    private mutating func resize(to newCapacity: Int) {
        let (old, oldCapacity) = (slots, capacity)
        capacity = newCapacity
        slots = KeyTable.allocate(newCapacity)
        for j in 0..<oldCapacity where isOccupied(old, j) { place(slot(old, j).move()) }
        free(old)
    }
}
