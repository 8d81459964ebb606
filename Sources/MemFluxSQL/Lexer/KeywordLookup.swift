// Keyword lookup without allocating: an identifier's bytes, lowercased, are
// packed into three little-endian words (keywords are at most 17 bytes) and
// looked up in an open-addressed table of 2048 slots built once.

extension Keyword {
    var category: KeywordCategory { KeywordTable.categories[Int(rawValue)] }
    /// May stand as a column alias without `AS`.
    var isBareLabel: Bool { KeywordTable.bareLabel[Int(rawValue)] }
    var name: String { KeywordTable.names[Int(rawValue)].description }
}

struct KeywordLookup: Sendable {
    static let shared = KeywordLookup()
    static let maxLength = 23
    static let slotBits = 11

    private var keys: [(UInt64, UInt64, UInt64)]
    private var values: [UInt16]

    private init() {
        keys = Array(repeating: (0, 0, 0), count: 1 << Self.slotBits)
        values = Array(repeating: 0, count: 1 << Self.slotBits)
        for raw in 1..<KeywordTable.names.count {
            let name = KeywordTable.names[raw]
            let key = name.withUTF8Buffer { buffer in Self.pack(UnsafeRawBufferPointer(buffer), 0, buffer.count)! }
            var slot = Self.hash(key)
            while values[slot] != 0 { slot = (slot + 1) & ((1 << Self.slotBits) - 1) }
            keys[slot] = key
            values[slot] = UInt16(raw)
        }
    }

    /// The lowercased bytes `start..<start+count` in three words; nil when too long or not ASCII.
    @inline(__always)
    static func pack(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> (UInt64, UInt64, UInt64)? {
        guard count > 0, count <= maxLength else { return nil }
        var words: (UInt64, UInt64, UInt64) = (0, 0, UInt64(count) << 56)
        var i = 0
        while i < count {
            var b = bytes[start + i]
            if b >= 0x80 { return nil }
            if b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") { b |= 0x20 }
            let shift = UInt64((i & 7) * 8)
            switch i >> 3 {
            case 0: words.0 |= UInt64(b) << shift
            case 1: words.1 |= UInt64(b) << shift
            default: words.2 |= UInt64(b) << shift
            }
            i += 1
        }
        return words
    }

    @inline(__always)
    static func hash(_ key: (UInt64, UInt64, UInt64)) -> Int {
        let h = (key.0 &* 0x9E37_79B9_7F4A_7C15) ^ (key.1 &* 0xC2B2_AE3D_27D4_EB4F) ^ (key.2 &* 0x1656_67B1_9E37_79F9)
        return Int(truncatingIfNeeded: (h ^ (h >> 29)) >> UInt64(64 - slotBits))
    }

    /// The keyword spelled by `bytes[start..<start+count]` in any case, or `.notKeyword`.
    @inline(__always)
    func lookup(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> Keyword {
        guard count <= 17, let key = Self.pack(bytes, start, count) else { return .notKeyword }
        var slot = Self.hash(key)
        return keys.withUnsafeBufferPointer { keys in
            values.withUnsafeBufferPointer { values in
                while true {
                    let raw = values[slot]
                    if raw == 0 { return .notKeyword }
                    let k = keys[slot]
                    if k.0 == key.0 && k.1 == key.1 && k.2 == key.2 { return Keyword(rawValue: raw)! }
                    slot = (slot + 1) & ((1 << Self.slotBits) - 1)
                }
            }
        }
    }
}
