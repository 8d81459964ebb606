// The little-endian, varint-length encoding shared by log records and
// snapshots: writers append to a [UInt8]; a reader walks a byte range and
// throws `ByteReader.Truncated` instead of reading past its end.

import MemFluxCore

extension Array where Element == UInt8 {
    @inline(__always)
    public mutating func appendUInt32(_ v: UInt32) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }

    @inline(__always)
    public mutating func appendUInt64(_ v: UInt64) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }

    @inline(__always)
    public mutating func appendInt64(_ v: Int64) { appendUInt64(UInt64(bitPattern: v)) }

    /// LEB128: seven bits per byte, low first.
    @inline(__always)
    public mutating func appendVarint(_ v: Int) {
        var v = UInt64(v)
        while v >= 0x80 {
            append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        append(UInt8(v))
    }

    /// Zigzag LEB128: small magnitudes of either sign take few bytes.
    public mutating func appendSignedVarint(_ v: Int64) {
        var z = UInt64(bitPattern: (v << 1) ^ (v >> 63))
        while z >= 0x80 {
            append(UInt8(truncatingIfNeeded: z) | 0x80)
            z >>= 7
        }
        append(UInt8(z))
    }

    /// A length-prefixed byte string.
    @inline(__always)
    public mutating func appendBytes(_ b: Bytes) {
        appendVarint(b.count)
        b.withUnsafeBytes { append(contentsOf: $0) }
    }

    /// Overwrites four bytes at `offset` (a header filled in once its payload is known).
    public mutating func storeUInt32(_ v: UInt32, at offset: Int) {
        withUnsafeMutableBytes { $0.storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt32.self) }
    }
}

/// Reads what the `[UInt8]` extensions above wrote. The buffer must outlive the reader.
public struct ByteReader {
    public struct Truncated: Error {}

    let base: UnsafeRawBufferPointer
    public private(set) var offset: Int

    public init(_ base: UnsafeRawBufferPointer, offset: Int = 0) {
        self.base = base
        self.offset = offset
    }

    public var remaining: Int { base.count - offset }
    public var isAtEnd: Bool { offset >= base.count }

    public mutating func uint8() throws(Truncated) -> UInt8 {
        guard remaining >= 1 else { throw Truncated() }
        defer { offset += 1 }
        return base[offset]
    }

    public mutating func uint32() throws(Truncated) -> UInt32 {
        guard remaining >= 4 else { throw Truncated() }
        defer { offset += 4 }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    public mutating func uint64() throws(Truncated) -> UInt64 {
        guard remaining >= 8 else { throw Truncated() }
        defer { offset += 8 }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    public mutating func int64() throws(Truncated) -> Int64 { Int64(bitPattern: try uint64()) }

    public mutating func varint() throws(Truncated) -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try uint8()
            guard shift < 63 else { throw Truncated() }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        guard result <= UInt64(Int.max) else { throw Truncated() }
        return Int(result)
    }

    public mutating func signedVarint() throws(Truncated) -> Int64 {
        var z: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try uint8()
            // The tenth byte may carry only the top bit.
            guard shift < 63 || (shift == 63 && byte <= 1) else { throw Truncated() }
            z |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1)
    }

    /// A count of items each at least one byte long: never more than the bytes left,
    /// so a damaged count cannot make a reader reserve unbounded memory.
    public mutating func count() throws(Truncated) -> Int {
        let n = try varint()
        guard n <= remaining else { throw Truncated() }
        return n
    }

    /// A length-prefixed byte string read in place: valid while the reader's buffer is.
    public mutating func rawBytes() throws(Truncated) -> UnsafeRawBufferPointer {
        let n = try varint()
        guard n <= remaining else { throw Truncated() }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: base[offset..<(offset + n)])
    }

    public mutating func bytes() throws(Truncated) -> Bytes {
        let n = try varint()
        guard n <= remaining else { throw Truncated() }
        defer { offset += n }
        return Bytes(UnsafeRawBufferPointer(rebasing: base[offset..<(offset + n)]))
    }
}
