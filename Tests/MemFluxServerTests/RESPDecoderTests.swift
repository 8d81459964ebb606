// RESPDecoder without sockets: pipelined input fed at every split point (and
// byte by byte) must decode to the same requests; malformed input must fail
// with Redis's exact error text wherever the read boundaries fall.

import MemFluxCore
import NIOCore
import Testing
@testable import MemFluxServer

/// What feeding a decoder produced: requests, then an error if one ended it.
struct Decoded: Equatable {
    var requests: [[String]] = []
    var error: String?
}

/// Feeds `chunks` one after another, draining each, as the connection does.
func decode(_ chunks: [[UInt8]], authRequired: Bool = false, maxBulkLength: Int = 512 * 1024 * 1024) -> Decoded {
    var decoder = RESPDecoder(maxBulkLength: maxBulkLength)
    decoder.authRequired = authRequired
    var result = Decoded()
    for chunk in chunks {
        var buffer = ByteBuffer(bytes: chunk)
        do {
            while let request = try decoder.next(&buffer) {
                result.requests.append(request.map(\.string))
            }
        } catch {
            result.error = "-" + error.description
            return result
        }
        #expect(buffer.readableBytes == 0, "a drained read leaves nothing behind")
    }
    return result
}

func decode(_ text: String) -> Decoded { decode([Array(text.utf8)]) }

/// Every way of cutting `bytes` in two, plus one byte at a time, must give `expected`.
func expectAtEverySplit(_ bytes: [UInt8], _ expected: Decoded, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(decode([bytes]) == expected, "whole", sourceLocation: sourceLocation)
    for cut in 0...bytes.count {
        let got = decode([Array(bytes[..<cut]), Array(bytes[cut...])])
        #expect(got == expected, "split at \(cut)", sourceLocation: sourceLocation)
    }
    #expect(decode(bytes.map { [$0] }) == expected, "byte by byte", sourceLocation: sourceLocation)
}

@Suite struct RESPDecoderTests {
    @Test func pipelinedRequestsAtEverySplitPoint() {
        let payload = "x\r\ny\r\n$3\r\n*1\r\n"  // framing bytes inside a payload are data
        let text = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$\(payload.utf8.count)\r\n\(payload)\r\n"
            + "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"
            + "PING\r\n"
            + "ECHO \"a b\" 'c d'\n"
            + "*0\r\n*-1\r\n\r\n   \r\n"
            + "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"
            + "*1\r\n$4\r\nPING\r\n"
        let expected = Decoded(requests: [
            ["SET", "k", payload], ["GET", "k"], ["PING"], ["ECHO", "a b", "c d"], ["ECHO", ""], ["PING"],
        ])
        expectAtEverySplit(Array(text.utf8), expected)
    }

    @Test func binaryPayloads() {
        var bytes = Array("*2\r\n$4\r\nECHO\r\n$256\r\n".utf8)
        let payload = (0..<256).map { UInt8($0) }
        bytes += payload + Array("\r\n".utf8)
        var decoder = RESPDecoder()
        var buffer = ByteBuffer(bytes: bytes)
        let request = try? decoder.next(&buffer)
        #expect(request?.count == 2)
        #expect(request?[1].array == ContiguousArray(payload))
    }

    @Test func largePayloadSpanningManyReads() {
        let size = 1_000_000
        var bytes = Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$\(size)\r\n".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "v"), count: size) + Array("\r\n*1\r\n$4\r\nPING\r\n".utf8)
        var chunks: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            chunks.append(Array(bytes[i..<min(i + 4093, bytes.count)]))
            i += 4093
        }
        let got = decode(chunks)
        #expect(got.error == nil)
        #expect(got.requests.count == 2)
        #expect(got.requests.first?[2].utf8.count == size)
        #expect(got.requests.last == ["PING"])
    }

    @Test func announcedSizeIsNotAllocatedUpFront() throws {
        var decoder = RESPDecoder()
        var buffer = ByteBuffer(string: "*2\r\n$3\r\nSET\r\n$536870912\r\nabc")
        #expect(try decoder.next(&buffer) == nil)
        #expect(decoder.payload.capacity < 1024 * 1024, "only what arrived (plus a small chunk) is held")
        #expect(decoder.payload.count == 3)
    }

    /// A bulk length near Int.max is allowed when proto_max_bulk_len is; the
    /// fast path's `length + 2` overflowed there.
    @Test func bulkLengthNearIntMaxWaitsForThePayload() {
        let got = decode([Array("*1\r\n$9223372036854775806\r\nabc".utf8)], maxBulkLength: Int.max)
        #expect(got == Decoded())
    }

    @Test func inlineQuoteRules() {
        let cases: [(String, [String]?)] = [
            ("SET k v\r\n", ["SET", "k", "v"]),
            ("  SET   k\tv  \n", ["SET", "k", "v"]),
            ("SET k \"a b\"\r\n", ["SET", "k", "a b"]),
            ("SET k \"\\x41\\x4a\\n\\t\\\\\\\"\"\r\n", ["SET", "k", "AJ\n\t\\\""]),
            ("SET k \"\\xZZ\"\r\n", ["SET", "k", "xZZ"]),
            ("SET k 'it\\'s'\r\n", ["SET", "k", "it's"]),
            ("SET k 'a\\nb'\r\n", ["SET", "k", "a\\nb"]),
            ("SET k a\"b c\"\r\n", ["SET", "k", "ab c"]),
            ("SET k \"\"\r\n", ["SET", "k", ""]),
            ("SET k \"a\r\n", nil),
            ("SET k 'a\r\n", nil),
            ("SET k \"a\"b\r\n", nil),
            ("SET k 'a'b\r\n", nil),
        ]
        for (line, words) in cases {
            let expected = words.map { Decoded(requests: [$0]) }
                ?? Decoded(error: "-ERR Protocol error: unbalanced quotes in request")
            #expect(decode(line) == expected, "\(line.debugDescription)")
        }
        // A NUL ends the line, as it ends the C string Redis splits.
        #expect(decode([Array("GET k\0junk\r\n".utf8)]) == Decoded(requests: [["GET", "k"]]))
    }

    @Test func malformedInputAtEverySplitPoint() {
        let cases: [(String, String)] = [
            ("*abc\r\n", "invalid multibulk length"),
            ("*1048577\r\n", "invalid multibulk length"),
            ("*99999999999999999999999\r\n", "invalid multibulk length"),
            ("*+1\r\n", "invalid multibulk length"),
            ("*1\r\n:1\r\n", "expected '$', got ':'"),
            ("*2\r\n*1\r\n$4\r\nPING\r\n", "expected '$', got '*'"),
            ("*1\r\n$-1\r\n", "invalid bulk length"),
            ("*1\r\n$abc\r\n", "invalid bulk length"),
            ("*1\r\n$10737418240\r\n", "invalid bulk length"),
            ("*1\r\n$01\r\n", "invalid bulk length"),
            ("PING\r\nSET \"a\r\nPING\r\n", "unbalanced quotes in request"),
        ]
        for (text, message) in cases {
            var expected = Decoded(error: "-ERR Protocol error: " + message)
            if text.hasPrefix("PING") { expected.requests = [["PING"]] }
            expectAtEverySplit(Array(text.utf8), expected)
        }
    }

    @Test func emptyAndNegativeCountsAreSkipped() {
        #expect(decode("*0\r\n*-1\r\n*-100\r\nPING\r\n") == Decoded(requests: [["PING"]]))
    }

    @Test func lineLimits() {
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: RESPDecoder.maxLineLength + 1)
        #expect(decode([long]) == Decoded(error: "-ERR Protocol error: too big inline request"))
        #expect(decode([Array("*1".utf8) + [UInt8](repeating: UInt8(ascii: "1"), count: RESPDecoder.maxLineLength)])
            == Decoded(error: "-ERR Protocol error: too big mbulk count string"))
        #expect(decode([Array("*1\r\n$1".utf8) + [UInt8](repeating: UInt8(ascii: "1"), count: RESPDecoder.maxLineLength)])
            == Decoded(error: "-ERR Protocol error: too big bulk count string"))
        // Just under the limit, spread over many reads, is fine.
        let line = Array("ECHO ".utf8) + [UInt8](repeating: UInt8(ascii: "b"), count: 60_000) + Array("\r\n".utf8)
        let chunks = stride(from: 0, to: line.count, by: 1000).map { Array(line[$0..<min($0 + 1000, line.count)]) }
        #expect(decode(chunks).requests.first?[1].utf8.count == 60_000)
    }

    @Test func bulkLengthLimit() {
        #expect(decode([Array("*1\r\n$2048\r\n".utf8)], maxBulkLength: 1024)
            == Decoded(error: "-ERR Protocol error: invalid bulk length"))
        #expect(decode([Array("*1\r\n$1024\r\n".utf8)], maxBulkLength: 1024) == Decoded())
    }

    @Test func unauthenticatedLimits() {
        #expect(decode([Array("*11\r\n".utf8)], authRequired: true)
            == Decoded(error: "-ERR Protocol error: unauthenticated multibulk length"))
        #expect(decode([Array("*2\r\n$4\r\nAUTH\r\n$16385\r\n".utf8)], authRequired: true)
            == Decoded(error: "-ERR Protocol error: unauthenticated bulk length"))
        #expect(decode([Array("*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n".utf8)], authRequired: true)
            == Decoded(requests: [["AUTH", "pw"]]))
    }

    @Test func idleOnlyBetweenRequests() throws {
        var decoder = RESPDecoder()
        #expect(decoder.isIdle)
        var buffer = ByteBuffer(string: "*1\r\n$4\r\nPI")
        #expect(try decoder.next(&buffer) == nil)
        #expect(!decoder.isIdle)
        buffer = ByteBuffer(string: "NG\r\n")
        #expect(try decoder.next(&buffer)?.map(\.string) == ["PING"])
        #expect(decoder.isIdle)
    }
}
