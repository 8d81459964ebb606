// RESPEncoder: the exact bytes of every reply shape in RESP2 and RESP3, and
// double formatting as Redis 7.2 prints it.

import MemFlux
import MemFluxCore
import NIOCore
import Testing
@testable import MemFluxServer

func wire(_ reply: Reply, _ version: Int) -> String {
    var buffer = ByteBuffer()
    RESPEncoder(protocolVersion: version).write(reply, into: &buffer)
    return String(buffer: buffer)
}

@Suite struct RESPEncoderTests {
    @Test func scalarsInBothProtocols() {
        let cases: [(Reply, String, String)] = [
            (.ok, "+OK\r\n", "+OK\r\n"),
            (.status("PONG"), "+PONG\r\n", "+PONG\r\n"),
            (.status("QUEUED"), "+QUEUED\r\n", "+QUEUED\r\n"),
            (.error(.wrongType), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
             "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
            (.error(MemFluxError(.err, "bad\r\nline")), "-ERR bad  line\r\n", "-ERR bad  line\r\n"),
            (.integer(0), ":0\r\n", ":0\r\n"),
            (.integer(1), ":1\r\n", ":1\r\n"),
            (.integer(-1), ":-1\r\n", ":-1\r\n"),
            (.integer(1234567890), ":1234567890\r\n", ":1234567890\r\n"),
            (.integer(.max), ":9223372036854775807\r\n", ":9223372036854775807\r\n"),
            (.integer(.min), ":-9223372036854775808\r\n", ":-9223372036854775808\r\n"),
            (.bulk("hello"), "$5\r\nhello\r\n", "$5\r\nhello\r\n"),
            (.bulk(""), "$0\r\n\r\n", "$0\r\n\r\n"),
            (.null, "$-1\r\n", "_\r\n"),
            (.nullArray, "*-1\r\n", "_\r\n"),
            (.bool(true), ":1\r\n", "#t\r\n"),
            (.bool(false), ":0\r\n", "#f\r\n"),
            (.double(1.5), "$3\r\n1.5\r\n", ",1.5\r\n"),
            (.double(3), "$1\r\n3\r\n", ",3\r\n"),
            (.double(.infinity), "$3\r\ninf\r\n", ",inf\r\n"),
            (.double(-.infinity), "$4\r\n-inf\r\n", ",-inf\r\n"),
        ]
        for (reply, resp2, resp3) in cases {
            #expect(wire(reply, 2) == resp2, "\(reply)")
            #expect(wire(reply, 3) == resp3, "\(reply)")
        }
    }

    @Test func aggregates() {
        let map = Reply.map([.bulk("a"), .integer(1), .bulk("b"), .null])
        #expect(wire(map, 2) == "*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n$-1\r\n")
        #expect(wire(map, 3) == "%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n_\r\n")
        let set = Reply.set([.bulk("x"), .bulk("y")])
        #expect(wire(set, 2) == "*2\r\n$1\r\nx\r\n$1\r\ny\r\n")
        #expect(wire(set, 3) == "~2\r\n$1\r\nx\r\n$1\r\ny\r\n")
        let nested = Reply.array([.array([]), .array([.integer(7), .double(0.5)]), .bool(true)])
        #expect(wire(nested, 2) == "*3\r\n*0\r\n*2\r\n:7\r\n$3\r\n0.5\r\n:1\r\n")
        #expect(wire(nested, 3) == "*3\r\n*0\r\n*2\r\n:7\r\n,0.5\r\n#t\r\n")
    }

    @Test func binaryBulk() {
        var buffer = ByteBuffer()
        RESPEncoder().write(.bulk(Bytes([0, 13, 10, 255])), into: &buffer)
        #expect(Array(buffer.readableBytesView) == Array("$4\r\n".utf8) + [0, 13, 10, 255] + Array("\r\n".utf8))
    }

    @Test func bulkLengthsAroundEveryDigitCount() {
        for n in [0, 1, 9, 10, 16, 17, 99, 100, 999, 1000, 4095, 4096, 4097, 10_000, 100_000] {
            let payload = String(repeating: "v", count: n)
            #expect(wire(.bulk(Bytes(payload)), 2) == "$\(n)\r\n\(payload)\r\n", "length \(n)")
        }
    }

    @Test func doublesAsRedisPrintsThem() {
        let cases: [(Double, String)] = [
            (0, "0"), (-0.0, "-0"), (.nan, "nan"), (1, "1"), (-2, "-2"), (1e15, "1000000000000000"),
            (1e17, "100000000000000000"), (1e20, "1e+20"), (1.5e300, "1.5e+300"), (-1.5e300, "-1.5e+300"),
            (0.1, "0.1"), (3.14, "3.14"), (-3.14, "-3.14"), (0.0001, "0.0001"), (1e-5, "0.00001"),
            (1.5e-7, "1.5e-7"), (1e-10, "1e-10"), (123.456, "123.456"), (1.0 / 3.0, "0.3333333333333333"),
            (2.5e-300, "2.5e-300"), (4611686018427387904.0 * 4, "18446744073709552000"),
        ]
        for (value, text) in cases {
            #expect(RESPEncoder.format(value) == text, "\(value)")
        }
    }
}
