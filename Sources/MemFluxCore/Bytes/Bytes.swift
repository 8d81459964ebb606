// Bytes: the binary-safe byte string used for every key, value, list element,
// set member and hash field.
//
// Two forms, chosen by length so each string has exactly one:
// - up to 16 bytes live inline in two zero-padded words: most keys, counters,
//   field names and small values cost no allocation at all, and comparing two
//   of them is two word compares;
// - longer strings are a contiguous heap array.
// Keys are hashed on every lookup, so a 32-bit hash is computed once, when the
// bytes are made, and kept beside them; `Hashable` feeds only that word to the
// hasher. The whole struct is 24 bytes.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct Bytes: Sendable {
    @usableFromInline
    enum Storage: Sendable {
        /// The bytes zero-padded into two words; the count is `inlineCount`.
        case inline(UInt64, UInt64)
        case heap(ContiguousArray<UInt8>)
    }

    @usableFromInline static let inlineCapacity = 16

    @usableFromInline var storage: Storage
    @usableFromInline var inlineCount: UInt8
    @usableFromInline var cachedHash: UInt32

    @inlinable
    public init() {
        storage = .inline(0, 0)
        inlineCount = 0
        cachedHash = Bytes.hash(0, 0, count: 0)
    }

    @inlinable
    public init(_ buffer: UnsafeRawBufferPointer) {
        let n = buffer.count
        if n <= Bytes.inlineCapacity {
            var words: (UInt64, UInt64) = (0, 0)
            if n > 0 {
                withUnsafeMutableBytes(of: &words) { $0.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: n) }
            }
            storage = .inline(words.0, words.1)
            inlineCount = UInt8(n)
            cachedHash = Bytes.hash(words.0, words.1, count: n)
        } else {
            storage = .heap(ContiguousArray(buffer))
            inlineCount = 0
            cachedHash = Bytes.hash(buffer)
        }
    }

    @inlinable
    public init(_ array: ContiguousArray<UInt8>) {
        if array.count <= Bytes.inlineCapacity {
            self = array.withUnsafeBytes { Bytes($0) }
        } else {
            storage = .heap(array)
            inlineCount = 0
            cachedHash = array.withUnsafeBytes { Bytes.hash($0) }
        }
    }

    @inlinable
    public init<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        self.init(ContiguousArray(bytes))
    }

    @inlinable
    public init(_ string: String) {
        var string = string
        self = string.withUTF8 { Bytes(UnsafeRawBufferPointer($0)) }
    }

    @inlinable
    public var count: Int {
        if case .heap(let a) = storage { return a.count }
        return Int(inlineCount)
    }

    @inlinable public var isEmpty: Bool { count == 0 }

    /// The bytes as an array (allocates for the inline form).
    @inlinable
    public var array: ContiguousArray<UInt8> {
        switch storage {
        case .heap(let a): return a
        case .inline: return withUnsafeBytes { ContiguousArray($0) }
        }
    }

    @inlinable
    public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < count, "Bytes index out of range")
        return withUnsafeBytes { $0[index] }
    }

    /// The bytes `range` of this string; the range must lie inside it.
    @inlinable
    public subscript(range: Range<Int>) -> Bytes {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "Bytes range out of bounds")
        return withUnsafeBytes { Bytes(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case .heap(let a):
            return try a.withUnsafeBytes(body)
        case .inline(let w0, let w1):
            var words = (w0, w1)
            let n = Int(inlineCount)
            return try Swift.withUnsafeBytes(of: &words) { try body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }

    /// Whether the bytes start with `prefix`. Both inline (the usual key and
    /// table prefix) is a masked compare of two words, no call.
    @inlinable @inline(__always)
    public func hasPrefix(_ prefix: Bytes) -> Bool {
        #if _endian(little)
        if case .inline(let w0, let w1) = storage, case .inline(let p0, let p1) = prefix.storage {
            let n = Int(prefix.inlineCount)
            guard Int(inlineCount) >= n else { return false }
            // Byte i of an inline form is bits 8i..<8i+8 of its words; the prefix is zero past its end.
            if n <= 8 { return w0 & (n == 8 ? ~0 : (1 << (8 * n)) &- 1) == p0 }
            return w0 == p0 && w1 & (n == 16 ? ~0 : (1 << (8 * (n - 8))) &- 1) == p1
        }
        #endif
        return hasPrefixComparingBytes(prefix)
    }

    @usableFromInline
    func hasPrefixComparingBytes(_ prefix: Bytes) -> Bool {
        withUnsafeBytes { k in
            prefix.withUnsafeBytes { p in k.count >= p.count && (p.isEmpty || memcmp(k.baseAddress!, p.baseAddress!, p.count) == 0) }
        }
    }

    /// Mutates the bytes in place (copy-on-write for the heap form) and
    /// re-picks the form and the hash.
    @inlinable
    public mutating func mutate<R>(_ body: (inout ContiguousArray<UInt8>) -> R) -> R {
        var bytes = array
        storage = .inline(0, 0)  // drop our reference so a heap array is uniquely held
        let result = body(&bytes)
        self = Bytes(bytes)
        return result
    }

    /// Heap bytes this string holds beyond its 24-byte struct: none inline;
    /// otherwise the array (32-byte header plus bytes) in a 16-byte malloc chunk.
    @inlinable
    public var heapBytes: Int {
        guard case .heap(let a) = storage else { return 0 }
        return (32 + a.count + 8 + 15) & ~15
    }

    /// UTF-8 decoding with replacement characters; for messages, never for keys on hot paths.
    public var string: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    // 64-bit multiply-xorshift over 8-byte words (a few cycles per word),
    // folded to 32 bits. The inline form hashes its zero-padded words, which
    // are exactly the words and tail the byte loop reads.

    @inlinable @inline(__always)
    static func mix(_ h: UInt64, _ word: UInt64) -> UInt64 {
        let m = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
        return m ^ (m >> 32)
    }

    @inlinable @inline(__always)
    static func finish(_ h: UInt64, tail: UInt64) -> UInt32 {
        var f = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        f ^= f >> 29
        return UInt32(truncatingIfNeeded: f ^ (f >> 32))
    }

    @inlinable @inline(__always)
    static func hash(_ w0: UInt64, _ w1: UInt64, count n: Int) -> UInt32 {
        let seed = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        if n < 8 { return finish(seed, tail: w0) }
        if n < 16 { return finish(mix(seed, w0), tail: w1) }
        return finish(mix(mix(seed, w0), w1), tail: 0)
    }

    @inlinable
    static func hash(_ raw: UnsafeRawBufferPointer) -> UInt32 {
        let n = raw.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        while i + 8 <= n {
            h = mix(h, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(raw[i]) << shift
            shift += 8
            i += 1
        }
        return finish(h, tail: tail)
    }
}

extension Bytes: Hashable {
    @inlinable
    public static func == (lhs: Bytes, rhs: Bytes) -> Bool {
        guard lhs.cachedHash == rhs.cachedHash else { return false }
        switch (lhs.storage, rhs.storage) {
        case let (.inline(a0, a1), .inline(b0, b1)):
            return a0 == b0 && a1 == b1 && lhs.inlineCount == rhs.inlineCount
        case let (.heap(a), .heap(b)):
            return a.withUnsafeBytes { pa in
                b.withUnsafeBytes { pb in
                    pa.count == pb.count && memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0
                }
            }
        default:
            return false  // one form per length
        }
    }

    @inlinable
    public func hash(into hasher: inout Hasher) { hasher.combine(cachedHash) }

    /// What Set and Dictionary hash with: the cached hash mixed with their
    /// per-table seed by one multiply, instead of a SipHash run per lookup
    /// (a transaction's read and write sets hash every key they note, and
    /// again each time they grow).
    @inlinable
    public func _rawHashValue(seed: Int) -> Int {
        let mixed = (UInt64(cachedHash) ^ UInt64(bitPattern: Int64(seed))) &* 0x9E37_79B9_7F4A_7C15
        return Int(bitPattern: UInt(mixed ^ (mixed >> 29)))
    }

    /// The cached 32-bit hash: the keyspace picks a shard from its low bits
    /// and a table slot from the rest.
    @inlinable
    public var fastHash: Int { Int(cachedHash) }
}

extension Bytes: Comparable {
    /// Byte-wise lexicographic order, as Redis compares strings (memcmp, then length).
    @inlinable
    public static func < (lhs: Bytes, rhs: Bytes) -> Bool {
        lhs.withUnsafeBytes { a in
            rhs.withUnsafeBytes { b in
                let common = min(a.count, b.count)
                let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
                return order < 0 || (order == 0 && a.count < b.count)
            }
        }
    }
}

extension Bytes: ExpressibleByStringLiteral {
    @inlinable
    public init(stringLiteral value: String) { self.init(value) }
}

extension Bytes: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { string }
    public var debugDescription: String { "Bytes(\(string.debugDescription))" }
}

extension Bytes {
    /// ASCII case-insensitive comparison with a lowercase ASCII literal; for option words.
    @inlinable
    public func equalsIgnoringCase(_ lowercase: StaticString) -> Bool {
        guard lowercase.utf8CodeUnitCount == count else { return false }
        return lowercase.withUTF8Buffer { expected in
            withUnsafeBytes { actual in
                for i in 0..<actual.count {
                    var c = actual[i]
                    if c >= 65 && c <= 90 { c |= 0x20 }
                    if c != expected[i] { return false }
                }
                return true
            }
        }
    }

    /// The same bytes with ASCII letters lowered; used to look up command names.
    @inlinable
    public func lowercasedASCII() -> Bytes {
        if case .inline(let w0, let w1) = storage {
            let (l0, l1) = (Bytes.lowercased(w0), Bytes.lowercased(w1))
            var copy = self
            copy.storage = .inline(l0, l1)
            copy.cachedHash = Bytes.hash(l0, l1, count: Int(inlineCount))
            return copy
        }
        var copy = array
        for i in copy.indices where copy[i] >= 65 && copy[i] <= 90 { copy[i] |= 0x20 }
        return Bytes(copy)
    }

    /// Eight bytes with ASCII capitals lowered at once: a byte's top bit in
    /// `atLeastA ^ aboveZ` is set exactly when it lies in 'A'...'Z'.
    @inlinable @inline(__always)
    static func lowercased(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low7 = w & (0x7F &* ones)
        let atLeastA = low7 &+ (0x80 - 0x41) &* ones
        let aboveZ = low7 &+ (0x80 - 0x5B) &* ones
        let capitals = (atLeastA ^ aboveZ) & ~w & (0x80 &* ones)
        return w | (capitals >> 2)
    }

    /// Index of the first occurrence of `byte`, if any. The inline form is
    /// searched a word at a time: the keyspace looks for a key's first `:` on
    /// every insert (and, once a prefix is tracked, on every write).
    @inlinable
    public func firstIndex(of byte: UInt8) -> Int? {
        #if _endian(little)
        if case .inline(let w0, let w1) = storage {
            let n = Int(inlineCount)
            if let i = Bytes.lowestByte(byte, in: w0) { return i < n ? i : nil }
            guard n > 8, let i = Bytes.lowestByte(byte, in: w1) else { return nil }
            return i + 8 < n ? i + 8 : nil
        }
        #endif
        return withUnsafeBytes { $0.firstIndex(of: byte) }
    }

    /// The position of the lowest byte of `word` equal to `byte`: a zero byte
    /// of `x = word ^ pattern` gets its top bit set in `(x - 0x01..) & ~x & 0x80..`,
    /// exactly for the lowest one (only bytes above it can be set by the borrow).
    @inlinable @inline(__always)
    static func lowestByte(_ byte: UInt8, in word: UInt64) -> Int? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let x = word ^ (ones &* UInt64(byte))
        let found = (x &- ones) & ~x & (0x80 &* ones)
        return found == 0 ? nil : found.trailingZeroBitCount >> 3
    }

    @inlinable
    public static func + (lhs: Bytes, rhs: Bytes) -> Bytes { rhs.withUnsafeBytes { Bytes(lhs, followedBy: $0) } }

    /// `prefix` followed by `suffix`.
    @inlinable
    public init(_ prefix: Bytes, followedBy suffix: UnsafeRawBufferPointer) {
        let total = prefix.count + suffix.count
        guard total <= 32 else {
            var s = prefix.array
            s.append(contentsOf: suffix)
            self.init(s)
            return
        }
        // Short (a row key: a table prefix and a key): joined on the stack, no array in between.
        var scratch: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        self = withUnsafeMutableBytes(of: &scratch) { out in
            prefix.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: out[..<prefix.count]).copyMemory(from: $0) }
            UnsafeMutableRawBufferPointer(rebasing: out[prefix.count..<total]).copyMemory(from: suffix)
            return Bytes(UnsafeRawBufferPointer(rebasing: out[..<total]))
        }
    }
}
