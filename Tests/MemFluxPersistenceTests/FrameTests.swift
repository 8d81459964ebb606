import Testing

@testable import MemFluxPersistence

@Suite struct FrameTests {
    @Test func crc32cCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([]) == 0)
        // Slicing by eight must agree with byte-at-a-time over any split.
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = CRC32C.checksum(bytes)
        for split in [0, 1, 7, 8, 9, 500, 999] {
            let first = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<split])) }
            let both = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[split...]), continuing: first) }
            #expect(both == whole)
        }
    }

    private func frames(_ payloads: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for p in payloads { Frame.append(to: &out) { $0.append(contentsOf: p) } }
        return out
    }

    private func scan(_ bytes: [UInt8]) -> ([[UInt8]], Frame.End) {
        var seen: [[UInt8]] = []
        let end = bytes.withUnsafeBytes { raw in Frame.scan(raw, from: 0) { _, payload in seen.append(Array(payload)) } }
        return (seen, end)
    }

    @Test func cleanScanReturnsEveryPayload() {
        let (seen, end) = scan(frames([[1, 2, 3], [4], Array(repeating: 9, count: 300)]))
        #expect(seen == [[1, 2, 3], [4], Array(repeating: 9, count: 300)])
        #expect(end == .clean)
    }

    @Test func truncatedLastFrameIsATornTail() {
        let bytes = frames([[1, 2, 3], [4, 5, 6, 7]])
        for cut in 12..<bytes.count {
            let (seen, end) = scan(Array(bytes[0..<cut]))
            #expect(seen == [[1, 2, 3]])
            #expect(end == .tornTail(offset: 11))
        }
    }

    @Test func garbageAndZerosAfterTheLastFrameAreATornTail() {
        let good = frames([[1, 2, 3]])
        for junk: [UInt8] in [[0xFF], Array(repeating: 0, count: 64), (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 97) }] {
            let (seen, end) = scan(good + junk)
            #expect(seen == [[1, 2, 3]])
            #expect(end == .tornTail(offset: good.count))
        }
    }

    @Test func corruptFrameFollowedByGoodOnesIsDamage() {
        var bytes = frames([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        bytes[11 + 9] ^= 0x40  // a payload byte of the second frame
        let (seen, end) = scan(bytes)
        #expect(seen == [[1, 2, 3]])
        #expect(end == .damaged(offset: 11))
    }

    @Test func byteReaderRefusesToReadPastTheEnd() {
        var out: [UInt8] = []
        out.appendVarint(300)
        out.appendUInt64(42)
        out.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            #expect((try? reader.varint()) == 300)
            #expect((try? reader.uint64()) == 42)
            #expect(reader.isAtEnd)
            #expect(throws: ByteReader.Truncated.self) { try reader.uint8() }
        }
        // A count larger than the bytes left is refused before anything is reserved.
        var big: [UInt8] = []
        big.appendVarint(1 << 40)
        big.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            #expect(throws: ByteReader.Truncated.self) { try reader.count() }
        }
    }
}
