// ValueSet: the distinct values an aggregate has seen (COUNT(DISTINCT x)),
// with the equality of grouping (SQLHashKey: NULLs are one value, 1 and 1.0
// are one value). Texts and numbers, nearly every DISTINCT argument, are
// hashed here by a seeded folded multiply over their bytes, a few
// instructions where Hasher's SipHash costs a hundred; any other kind of
// value is hashed by SQLHashKey.
//
// Open addressing over a power of two, at most half full. A slot holds the
// hash and, for a text of up to 16 UTF-8 bytes, the bytes themselves: most
// probes then settle on one cache line, with no second read of the value
// (a set of 50,000 names is megabytes, so every read of it is a miss). Any
// other value is kept in `others` and compared there.
//
// COUNT(DISTINCT x) needs only the final count, so it adds its values with
// `addLater`: a short text's home slot is prefetched and the text inserted
// `pendingLimit` values later, so that the cache misses of a set too large
// for the cache overlap instead of each insert waiting on its own.

import CPrefetch
import MemFluxCore

struct ValueSet {
    private static let processSeeds = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))
    /// Copied into the set: the static is a lazy global, checked on every read.
    private let seeds = ValueSet.processSeeds

    private struct Slot {
        /// The value's hash with the low bit set; 0 is an empty slot.
        var hash: UInt64 = 0
        /// A short text's UTF-8 bytes, zero-padded.
        var words: (UInt64, UInt64) = (0, 0)
        /// A short text's byte count, or `ValueSet.kept` and the value's position in `others`.
        var length: UInt32 = 0
        var position: UInt32 = 0
    }

    /// `Slot.length` of a value kept in `others`.
    private static let kept = UInt32.max

    private var slots = [Slot](repeating: Slot(), count: 16)
    private var others: [SQLValue] = []
    /// Values added, `addLater`'s pending ones not yet among them.
    private(set) var count = 0
    /// Short texts `addLater` has prefetched the home slots of, in a ring, oldest at `oldestPending`.
    private var pending: [Slot] = []
    private var oldestPending = 0
    private static let pendingLimit = 16

    /// Adds `value`; false when an equal value is already in.
    mutating func insert(_ value: SQLValue) -> Bool {
        switch value {
        case .text(let s), .json(.string(let s)):
            var s = s
            return s.withUTF8 { bytes in
                guard let text = shortText(bytes) else { return insert(other: value, hash: hash(longText: bytes)) }
                return insert(text: text)
            }
        case .int, .double, .numeric:
            return insert(other: value, hash: hash(number: SQLHashKey.numberBits(value)))
        case .json(.int(let n)):
            return insert(other: value, hash: hash(number: SQLHashKey.numberBits(.int(n))))
        case .json(.double(let d)):
            return insert(other: value, hash: hash(number: SQLHashKey.numberBits(.double(d))))
        default:
            return insert(other: value, hash: fold(UInt64(bitPattern: Int64(SQLHashKey(value).hashValue)) ^ seeds.0, seeds.1))
        }
    }

    /// Adds `value` without answering whether it was new (see the top of the file); `count` includes it after `settle()`.
    mutating func addLater(_ value: SQLValue) {
        guard case .text(var s) = value, let text = s.withUTF8(shortText) else {
            _ = insert(value)
            return
        }
        slots.withUnsafeBufferPointer { slots in memflux_prefetch(slots.baseAddress.map { $0 + home(text.hash) }) }
        guard pending.count == ValueSet.pendingLimit else {
            pending.append(text)
            return
        }
        _ = insert(text: pending[oldestPending])
        pending[oldestPending] = text
        oldestPending = (oldestPending + 1) % ValueSet.pendingLimit
    }

    /// Inserts the values `addLater` still holds.
    mutating func settle() {
        for text in pending { _ = insert(text: text) }
        pending.removeAll()
        oldestPending = 0
    }

    /// The slot of a text of up to 16 bytes, hashed; nil for a longer one.
    private func shortText(_ bytes: UnsafeBufferPointer<UInt8>) -> Slot? {
        guard bytes.count <= 16 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
        let length = UInt32(bytes.count)
        return Slot(hash: hash(shortText: words, length: length) | 1, words: words, length: length)
    }

    private mutating func insert(text: Slot) -> Bool {
        var i = home(text.hash)
        while slots[i].hash != 0 {
            let slot = slots[i]
            if slot.hash == text.hash && slot.length == text.length && slot.words == text.words { return false }
            i = (i + 1) & (slots.count - 1)
        }
        add(text, at: i)
        return true
    }

    private mutating func insert(other value: SQLValue, hash: UInt64) -> Bool {
        let hash = hash | 1
        var i = home(hash)
        while slots[i].hash != 0 {
            let slot = slots[i]
            if slot.hash == hash && slot.length == ValueSet.kept && ValueSet.equal(others[Int(slot.position)], value) { return false }
            i = (i + 1) & (slots.count - 1)
        }
        add(Slot(hash: hash, length: ValueSet.kept, position: UInt32(truncatingIfNeeded: others.count)), at: i)
        others.append(value)
        return true
    }

    @inline(__always)
    private func home(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> 7) & (slots.count - 1) }

    /// Puts `slot` at `i`, the empty slot its probe ended on, growing the table first when it is half full.
    private mutating func add(_ slot: Slot, at i: Int) {
        count += 1
        guard count * 2 > slots.count else {
            slots[i] = slot
            return
        }
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        for s in old where s.hash != 0 { place(s) }
        place(slot)
    }

    private mutating func place(_ slot: Slot) {
        var i = home(slot.hash)
        while slots[i].hash != 0 { i = (i + 1) & (slots.count - 1) }
        slots[i] = slot
    }

    /// SQLHashKey's equality, with its common case first.
    @inline(__always)
    private static func equal(_ a: SQLValue, _ b: SQLValue) -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x == y }
        return SQLHashKey(a) == SQLHashKey(b)
    }

    // Equal under SQLHashKey's equality means equal hashes here: a JSON
    // string hashes as the text it equals, a JSON number as the number,
    // every number by its canonical double (SQLHashKey.numberBits).

    @inline(__always)
    private func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    private func hash(number bits: UInt64) -> UInt64 {
        fold(bits ^ seeds.0, 0x9E37_79B9_7F4A_7C15 ^ seeds.1)
    }

    @inline(__always)
    private func hash(shortText words: (UInt64, UInt64), length: UInt32) -> UInt64 {
        fold(words.0 ^ seeds.0 ^ UInt64(length), words.1 ^ seeds.1)
    }

    private func hash(longText bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let raw = UnsafeRawBufferPointer(bytes)
        var h = seeds.0 ^ UInt64(raw.count)
        var offset = 0
        while offset + 16 <= raw.count {
            h = fold(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ h, raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self) ^ seeds.1)
            offset += 16
        }
        // The last 0-15 bytes, zero-padded into two words.
        var tail: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &tail) { words in
            for j in offset..<raw.count { words[j - offset] = raw[j] }
        }
        return fold(tail.0 ^ h, tail.1 ^ seeds.1 ^ 0x243F_6A88_85A3_08D3)
    }
}
