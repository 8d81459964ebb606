// ValueSet: the distinct values an aggregate has seen (COUNT(DISTINCT x)),
// with the equality of grouping (SQLHashKey: NULLs are one value, 1 and 1.0
// are one value). Texts and numbers, nearly every DISTINCT argument, are
// hashed here by a seeded folded multiply over their bytes, a few
// instructions where Hasher's SipHash costs a hundred; any other kind of
// value is hashed by SQLHashKey. The table is open addressing over a power
// of two, at most half full, holding each value's hash beside its position
// in `values`, so a probe compares hashes before it reads a value.

import MemFluxCore

struct ValueSet {
    private static let seeds = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))
    private(set) var values: [SQLValue] = []
    /// Per slot the value's hash with the low bit set (0 is an empty slot)...
    private var hashes = [UInt64](repeating: 0, count: 16)
    /// ...and its position in `values`.
    private var positions = [Int32](repeating: 0, count: 16)

    var count: Int { values.count }

    /// Adds `value`; false when an equal value is already in.
    mutating func insert(_ value: SQLValue) -> Bool {
        let hash = ValueSet.hash(value) | 1
        let mask = hashes.count - 1
        var i = Int(truncatingIfNeeded: hash >> 7) & mask
        while hashes[i] != 0 {
            if hashes[i] == hash && ValueSet.equal(values[Int(positions[i])], value) { return false }
            i = (i + 1) & mask
        }
        if (values.count + 1) * 2 > hashes.count {
            grow()
            i = Int(truncatingIfNeeded: hash >> 7) & (hashes.count - 1)
            while hashes[i] != 0 { i = (i + 1) & (hashes.count - 1) }
        }
        hashes[i] = hash
        positions[i] = Int32(truncatingIfNeeded: values.count)
        values.append(value)
        return true
    }

    private mutating func grow() {
        let old = hashes
        let oldPositions = positions
        hashes = [UInt64](repeating: 0, count: old.count * 2)
        positions = [Int32](repeating: 0, count: old.count * 2)
        let mask = hashes.count - 1
        for j in old.indices where old[j] != 0 {
            var i = Int(truncatingIfNeeded: old[j] >> 7) & mask
            while hashes[i] != 0 { i = (i + 1) & mask }
            hashes[i] = old[j]
            positions[i] = oldPositions[j]
        }
    }

    /// SQLHashKey's equality, with its common cases first.
    @inline(__always)
    private static func equal(_ a: SQLValue, _ b: SQLValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        default: return SQLHashKey(a) == SQLHashKey(b)
        }
    }

    /// Equal under SQLHashKey's equality means equal here: JSON scalars hash
    /// as the SQL scalars they equal, numbers by their canonical double.
    private static func hash(_ value: SQLValue) -> UInt64 {
        switch value {
        case .text(let s): return text(s)
        case .int, .double, .numeric: return number(value)
        case .json(.string(let s)): return text(s)
        case .json(.int(let n)): return number(.int(n))
        case .json(.double(let d)): return number(.double(d))
        default: return fold(UInt64(bitPattern: Int64(SQLHashKey(value).hashValue)) ^ seeds.0, seeds.1)
        }
    }

    @inline(__always)
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    private static func number(_ value: SQLValue) -> UInt64 {
        fold(SQLHashKey.numberBits(value) ^ seeds.0, 0x9E37_79B9_7F4A_7C15 ^ seeds.1)
    }

    private static func text(_ string: String) -> UInt64 {
        var string = string
        return string.withUTF8 { bytes in
            var h = seeds.0 ^ UInt64(bytes.count)
            var offset = 0
            let raw = UnsafeRawBufferPointer(bytes)
            while offset + 16 <= raw.count {
                let a = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                let b = raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)
                h = fold(a ^ h, b ^ seeds.1)
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
}
