// Frames: the self-delimiting, checksummed unit of both files. A frame is
//
//     payload length (u32 LE) | CRC32C of the payload (u32 LE) | payload
//
// and a payload is never empty, so a run of zero bytes (what a file system
// may leave after a crash) never reads as a frame. What the payload means
// belongs to the layer above (a committed transaction, a block of snapshot
// entries).

public enum Frame {
    public static let headerSize = 8

    /// Appends one frame to `out`: `body` writes the payload, then the header is filled in.
    @inline(__always)
    public static func append(to out: inout [UInt8], _ body: (inout [UInt8]) throws -> Void) rethrows {
        let start = out.count
        out.appendUInt64(0)
        try body(&out)
        let length = out.count - start - headerSize
        precondition(length > 0 && length <= Int(UInt32.max), "frame payload must be 1 byte to 4 GiB")
        let crc = out.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[(start + headerSize)...])) }
        out.storeUInt32(UInt32(length), at: start)
        out.storeUInt32(crc, at: start + 4)
    }

    /// How a scan ended.
    public enum End: Equatable, Sendable {
        /// Every byte belonged to a good frame.
        case clean
        /// The frames stop at `offset` and nothing valid follows: a record cut
        /// short by a crash (or junk after the last one).
        case tornTail(offset: Int)
        /// A bad frame at `offset` with good frames after it: real damage.
        case damaged(offset: Int)
    }

    /// Calls `visit` with each frame's offset and payload from `start`, in order,
    /// until the bytes end or a frame is bad.
    public static func scan(
        _ bytes: UnsafeRawBufferPointer, from start: Int,
        _ visit: (Int, UnsafeRawBufferPointer) throws -> Void
    ) rethrows -> End {
        var offset = start
        while offset < bytes.count {
            guard let length = validLength(bytes, at: offset) else {
                for later in (offset + 1)..<bytes.count where validLength(bytes, at: later) != nil {
                    return .damaged(offset: offset)
                }
                return .tornTail(offset: offset)
            }
            try visit(offset, UnsafeRawBufferPointer(rebasing: bytes[(offset + headerSize)..<(offset + headerSize + length)]))
            offset += headerSize + length
        }
        return .clean
    }

    /// The payload length of a good frame at `offset`, nil when there is none.
    static func validLength(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        guard bytes.count - offset >= headerSize else { return nil }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        guard length > 0, length <= bytes.count - offset - headerSize else { return nil }
        let crc = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
        let payload = UnsafeRawBufferPointer(rebasing: bytes[(offset + headerSize)..<(offset + headerSize + length)])
        return CRC32C.checksum(payload) == crc ? length : nil
    }
}

/// The fixed header that starts each file: an 8-byte magic and a format
/// version, so a reader refuses a file that is not its own or is newer than it.
public struct FileHeader: Sendable {
    public static let size = 16
    public let magic: [UInt8]
    public let version: UInt32

    public init(magic: String, version: UInt32) {
        self.magic = Array(magic.utf8)
        self.version = version
        precondition(self.magic.count == 8)
    }

    public var encoded: [UInt8] {
        var out = magic
        out.appendUInt32(version)
        out.appendUInt32(0)
        return out
    }

    /// Checks the header of `bytes` (at least `size` long); throws naming `path` otherwise.
    public func check(_ bytes: UnsafeRawBufferPointer, path: String, kind: String) throws(PersistenceError) {
        guard bytes.count >= FileHeader.size, Array(bytes[0..<8]) == magic else {
            throw PersistenceError("\(path) is not a MemFlux \(kind) file (bad header at offset 0)")
        }
        let found = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        guard found <= version else {
            throw PersistenceError("\(path) has \(kind) format version \(found); this build reads up to \(version)")
        }
    }
}
