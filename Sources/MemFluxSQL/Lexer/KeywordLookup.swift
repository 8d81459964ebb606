// Keyword lookup without allocating: an identifier's bytes, lowercased, are
// packed into three little-endian words while the lexer scans them (keywords
// are at most 17 bytes) and looked up in an open-addressed table of 1024
// slots, built once and never freed (plain memory: no reference counting on
// the lexer's path).

extension Keyword {
    @inline(__always) var category: KeywordCategory { KeywordLookup.categories[Int(rawValue)] }
    /// May stand as a column alias without `AS`.
    @inline(__always) var isBareLabel: Bool { KeywordLookup.bareLabels[Int(rawValue)] }
    var name: String { KeywordTable.names[Int(rawValue)].description }
}

/// An identifier's lowercased bytes, packed as the lexer reads them.
struct KeywordKey: Equatable {
    var w0: UInt64 = 0
    var w1: UInt64 = 0
    var w2: UInt64 = 0

    static let maxLength = 17

    /// Adds byte `i` (already lowercased, `i < maxLength`).
    @inline(__always) mutating func add(_ b: UInt8, at i: Int) {
        let shift = UInt64((i & 7) &* 8)
        switch i >> 3 {
        case 0: w0 |= UInt64(b) << shift
        case 1: w1 |= UInt64(b) << shift
        default: w2 |= UInt64(b) << shift
        }
    }

    /// The key of a whole spelling; nil when too long or not ASCII.
    static func of(_ bytes: UnsafeRawBufferPointer) -> KeywordKey? {
        guard bytes.count > 0, bytes.count <= maxLength else { return nil }
        var key = KeywordKey()
        for (i, b) in bytes.enumerated() {
            guard b < 0x80 else { return nil }
            key.add(b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b | 0x20 : b, at: i)
        }
        return key
    }

    @inline(__always) func slot(length: Int) -> Int {
        let h = (w0 &* 0x9E37_79B9_7F4A_7C15) ^ (w1 &* 0xC2B2_AE3D_27D4_EB4F) ^ ((w2 ^ UInt64(length)) &* 0x1656_67B1_9E37_79F9)
        return Int(truncatingIfNeeded: (h ^ (h >> 29)) >> UInt64(64 - KeywordLookup.slotBits))
    }
}

enum KeywordLookup {
    static let slotBits = 10

    private struct Slot {
        var key = KeywordKey()
        var length: UInt16 = 0
        var keyword: UInt16 = 0
    }

    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<Slot> = {
        let count = 1 << slotBits
        let slots = UnsafeMutablePointer<Slot>.allocate(capacity: count)
        slots.initialize(repeating: Slot(), count: count)
        for raw in 1..<KeywordTable.names.count {
            let name = KeywordTable.names[raw]
            let key = name.withUTF8Buffer { KeywordKey.of(UnsafeRawBufferPointer($0))! }
            var slot = key.slot(length: name.utf8CodeUnitCount)
            while slots[slot].keyword != 0 { slot = (slot + 1) & (count - 1) }
            slots[slot] = Slot(key: key, length: UInt16(name.utf8CodeUnitCount), keyword: UInt16(raw))
        }
        return slots
    }()

    nonisolated(unsafe) static let categories: UnsafeMutablePointer<KeywordCategory> = {
        let table = UnsafeMutablePointer<KeywordCategory>.allocate(capacity: KeywordTable.categories.count)
        table.initialize(from: KeywordTable.categories, count: KeywordTable.categories.count)
        return table
    }()

    nonisolated(unsafe) static let bareLabels: UnsafeMutablePointer<Bool> = {
        let table = UnsafeMutablePointer<Bool>.allocate(capacity: KeywordTable.bareLabel.count)
        table.initialize(from: KeywordTable.bareLabel, count: KeywordTable.bareLabel.count)
        return table
    }()

    /// The keyword with this key and length, or `.notKeyword`.
    @inline(__always)
    static func lookup(_ key: KeywordKey, length: Int) -> Keyword {
        guard length <= KeywordKey.maxLength else { return .notKeyword }
        let slots = Self.slots
        var slot = key.slot(length: length)
        while true {
            let entry = slots[slot]
            if entry.keyword == 0 { return .notKeyword }
            if entry.key == key && Int(entry.length) == length { return Keyword(rawValue: entry.keyword)! }
            slot = (slot + 1) & ((1 << slotBits) - 1)
        }
    }

    /// The keyword spelled by `bytes` in any case, or `.notKeyword`.
    static func lookup(_ bytes: UnsafeRawBufferPointer) -> Keyword {
        guard let key = KeywordKey.of(bytes) else { return .notKeyword }
        return lookup(key, length: bytes.count)
    }
}
