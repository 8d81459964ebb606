// Bytes: the binary-safe byte string used for every key and byte value.
//
// Keys are hashed on every lookup, so the hash is computed once, when the
// bytes are made, and cached beside them; `Hashable` feeds only that cached
// word to the hasher. Storage is a contiguous array so that memcmp-style
// comparison and copying to the wire are single calls. The representation is
// private to this file so a small-string form can replace it without touching
// callers.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct Bytes: Sendable {
    @usableFromInline var storage: ContiguousArray<UInt8>
    @usableFromInline var cachedHash: Int

    @inlinable
    public init() {
        storage = []
        cachedHash = Bytes.hash(of: storage)
    }

    @inlinable
    public init(_ array: ContiguousArray<UInt8>) {
        storage = array
        cachedHash = Bytes.hash(of: array)
    }

    @inlinable
    public init<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        self.init(ContiguousArray(bytes))
    }

    @inlinable
    public init(_ buffer: UnsafeRawBufferPointer) {
        self.init(ContiguousArray(buffer))
    }

    @inlinable
    public init(_ string: String) {
        self.init(ContiguousArray(string.utf8))
    }

    @inlinable public var count: Int { storage.count }
    @inlinable public var isEmpty: Bool { storage.isEmpty }
    @inlinable public var array: ContiguousArray<UInt8> { storage }

    @inlinable
    public subscript(index: Int) -> UInt8 { storage[index] }

    /// The bytes `range` of this string; the range must lie inside it.
    @inlinable
    public subscript(range: Range<Int>) -> Bytes { Bytes(storage[range]) }

    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        storage.withUnsafeBytes(body)
    }

    /// Mutates the bytes in place (copy-on-write) and refreshes the cached hash.
    @inlinable
    public mutating func mutate<R>(_ body: (inout ContiguousArray<UInt8>) -> R) -> R {
        let result = body(&storage)
        cachedHash = Bytes.hash(of: storage)
        return result
    }

    /// UTF-8 decoding with replacement characters; for messages, never for keys on hot paths.
    public var string: String { String(decoding: storage, as: UTF8.self) }

    /// 64-bit multiply-xorshift hash over 8-byte words: a few cycles per word,
    /// good enough spread for open hashing, computed once per value.
    @inlinable
    static func hash(of bytes: ContiguousArray<UInt8>) -> Int {
        bytes.withUnsafeBytes { raw -> Int in
            var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: raw.count)
            var i = 0
            let n = raw.count
            while i + 8 <= n {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
                h ^= h >> 32
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(raw[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
            h ^= h >> 29
            return Int(bitPattern: UInt(h))
        }
    }
}

extension Bytes: Hashable {
    @inlinable
    public static func == (lhs: Bytes, rhs: Bytes) -> Bool {
        guard lhs.cachedHash == rhs.cachedHash else { return false }
        return lhs.storage.withUnsafeBytes { a in
            rhs.storage.withUnsafeBytes { b in
                a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
            }
        }
    }

    @inlinable
    public func hash(into hasher: inout Hasher) { hasher.combine(cachedHash) }

    @inlinable
    public var fastHash: Int { cachedHash }
}

extension Bytes: Comparable {
    /// Byte-wise lexicographic order, as Redis compares strings (memcmp, then length).
    @inlinable
    public static func < (lhs: Bytes, rhs: Bytes) -> Bool {
        lhs.storage.withUnsafeBytes { a in
            rhs.storage.withUnsafeBytes { b in
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
        guard lowercase.utf8CodeUnitCount == storage.count else { return false }
        return lowercase.withUTF8Buffer { expected in
            storage.withUnsafeBufferPointer { actual in
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
        var copy = storage
        for i in copy.indices where copy[i] >= 65 && copy[i] <= 90 { copy[i] |= 0x20 }
        return Bytes(copy)
    }

    /// Index of the first occurrence of `byte`, if any.
    @inlinable
    public func firstIndex(of byte: UInt8) -> Int? { storage.firstIndex(of: byte) }

    @inlinable
    public static func + (lhs: Bytes, rhs: Bytes) -> Bytes {
        var s = lhs.storage
        s.append(contentsOf: rhs.storage)
        return Bytes(s)
    }
}

// Inline form for short keys: the storage engine keeps keys of up to 16
// bytes inside its table slots instead of pointing at a heap buffer, so a
// lookup compares two words in the slot it already loaded (no second cache
// miss) and a short key costs no allocation. The length is implied by zero
// padding, so a key qualifies when it is empty or its last byte is not 0.
extension Bytes {
    /// The bytes zero-padded into two words, or nil when the key does not qualify.
    @inlinable
    public var inlineWords: (UInt64, UInt64)? {
        let n = storage.count
        guard n <= 16, n == 0 || storage[n - 1] != 0 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { destination in
            storage.withUnsafeBytes { source in
                destination.baseAddress!.copyMemory(from: source.baseAddress ?? UnsafeRawPointer(destination.baseAddress!), byteCount: n)
            }
        }
        return words
    }

    /// The key that `inlineWords` gave `words`; `hash` is its cached hash.
    public init(inlineWords words: (UInt64, UInt64), hash: Int) {
        var copy = words
        let bytes = Swift.withUnsafeBytes(of: &copy) { raw -> ContiguousArray<UInt8> in
            var n = 16
            while n > 0 && raw[n - 1] == 0 { n -= 1 }
            return ContiguousArray(raw[0..<n])
        }
        storage = bytes
        cachedHash = hash
    }

    /// Bytes whose hash is already known (rebuilt from storage that kept it).
    public init(_ array: ContiguousArray<UInt8>, hash: Int) {
        storage = array
        cachedHash = hash
    }
}
