// RESPEncoder: writes a `Reply` onto the wire as RESP2 or RESP3.
//
// The common replies (`+OK`, `+PONG`, `$-1`, `:0`, `:1`) are written from
// static strings; integers and length headers are formatted straight into
// the output buffer, with no String in between. RESP2 clients get RESP3-only
// shapes degraded the way Redis degrades them:
//
//   reply       RESP3                 RESP2
//   map         %<pairs> k v ...      *<2*pairs> k v ...
//   set         ~<n> ...              *<n> ...
//   double      ,<text>               $<len> <text>
//   bool        #t / #f               :1 / :0
//   null        _                     $-1
//   nullArray   _                     *-1
//
// Doubles print as Redis 7.2's d2string does: integral values as integers,
// others in the shortest form that reads back the same, with fpconv's
// choice between plain and exponent notation; inf, -inf, nan.

import MemFlux
import MemFluxCore
import NIOCore

public struct RESPEncoder: Sendable {
    /// 2 or 3, as chosen by HELLO.
    public var protocolVersion: Int

    public init(protocolVersion: Int = 2) {
        self.protocolVersion = protocolVersion
    }

    /// Appends `reply` to `buffer`.
    ///
    ///     var out = ByteBuffer()
    ///     RESPEncoder().write(.map([.bulk("a"), .integer(1)]), into: &out)   // *2\r\n$1\r\na\r\n:1\r\n
    ///
    /// - Complexity: O(size of the reply).
    public func write(_ reply: Reply, into buffer: inout ByteBuffer) {
        switch reply {
        case .status(let text):
            // Static bytes for the two statuses nearly every request answers.
            if text == "OK" {
                buffer.writeStaticString("+OK\r\n")
            } else if text == "PONG" {
                buffer.writeStaticString("+PONG\r\n")
            } else {
                buffer.writeInteger(UInt8(ascii: "+"))
                writeLine(text, into: &buffer)
            }
        case .error(let error):
            buffer.writeInteger(UInt8(ascii: "-"))
            writeLine(error.code.rawValue, into: &buffer, terminate: false)
            buffer.writeInteger(UInt8(ascii: " "))
            writeLine(error.message, into: &buffer)
        case .integer(let value):
            switch value {
            case 0: buffer.writeStaticString(":0\r\n")
            case 1: buffer.writeStaticString(":1\r\n")
            default: writeHeader(UInt8(ascii: ":"), value, into: &buffer)
            }
        case .bulk(let bytes):
            writeBulk(bytes, into: &buffer)
        case .null:
            if protocolVersion == 3 { buffer.writeStaticString("_\r\n") } else { buffer.writeStaticString("$-1\r\n") }
        case .nullArray:
            if protocolVersion == 3 { buffer.writeStaticString("_\r\n") } else { buffer.writeStaticString("*-1\r\n") }
        case .double(let value):
            let text = Self.format(value)
            if protocolVersion == 3 {
                buffer.writeInteger(UInt8(ascii: ","))
                writeLine(text, into: &buffer)
            } else {
                writeHeader(UInt8(ascii: "$"), Int64(text.utf8.count), into: &buffer)
                writeLine(text, into: &buffer)
            }
        case .bool(let value):
            if protocolVersion == 3 {
                buffer.writeStaticString(value ? "#t\r\n" : "#f\r\n")
            } else {
                buffer.writeStaticString(value ? ":1\r\n" : ":0\r\n")
            }
        case .array(let items):
            writeAggregate(UInt8(ascii: "*"), items.count, items, into: &buffer)
        case .set(let items):
            writeAggregate(protocolVersion == 3 ? UInt8(ascii: "~") : UInt8(ascii: "*"), items.count, items, into: &buffer)
        case .map(let items):
            if protocolVersion == 3 {
                writeAggregate(UInt8(ascii: "%"), items.count / 2, items, into: &buffer)
            } else {
                writeAggregate(UInt8(ascii: "*"), items.count, items, into: &buffer)
            }
        }
    }

    private func writeAggregate(_ type: UInt8, _ count: Int, _ items: [Reply], into buffer: inout ByteBuffer) {
        writeHeader(type, Int64(count), into: &buffer)
        for item in items { write(item, into: &buffer) }
    }

    /// `$<length>\r\n<bytes>\r\n`; a short string is written in one reservation.
    @inline(__always)
    func writeBulk(_ bytes: Bytes, into buffer: inout ByteBuffer) {
        guard bytes.count <= 4096 else {
            writeHeader(UInt8(ascii: "$"), Int64(bytes.count), into: &buffer)
            bytes.withUnsafeBytes { raw in _ = buffer.writeBytes(raw) }
            buffer.writeStaticString("\r\n")
            return
        }
        bytes.withUnsafeBytes { raw in
            _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: raw.count + 10) { out in
                let n = raw.count
                var i = 1
                out[0] = UInt8(ascii: "$")
                if n >= 1000 { out[i] = UInt8(ascii: "0") &+ UInt8(n / 1000); i += 1 }
                if n >= 100 { out[i] = UInt8(ascii: "0") &+ UInt8(n / 100 % 10); i += 1 }
                if n >= 10 { out[i] = UInt8(ascii: "0") &+ UInt8(n / 10 % 10); i += 1 }
                out[i] = UInt8(ascii: "0") &+ UInt8(n % 10)
                out[i + 1] = UInt8(ascii: "\r")
                out[i + 2] = UInt8(ascii: "\n")
                i += 3
                if n > 0 { (out.baseAddress! + i).copyMemory(from: raw.baseAddress!, byteCount: n) }
                out[i + n] = UInt8(ascii: "\r")
                out[i + n + 1] = UInt8(ascii: "\n")
                return i + n + 2
            }
        }
    }

    /// `<type><decimal>\r\n`, formatted in place.
    @inline(__always)
    func writeHeader(_ type: UInt8, _ value: Int64, into buffer: inout ByteBuffer) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 24) { out in
            out[0] = type
            var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
            return withUnsafeMutableBytes(of: &scratch) { scratch in
                let start = Bytes.formatDecimal(value, endingAt: scratch)
                let length = scratch.count - start
                (out.baseAddress! + 1).copyMemory(from: scratch.baseAddress! + start, byteCount: length)
                out[length + 1] = UInt8(ascii: "\r")
                out[length + 2] = UInt8(ascii: "\n")
                return length + 3
            }
        }
    }

    /// A status or error text; CR and LF become spaces so a message can never break the framing.
    private func writeLine(_ text: String, into buffer: inout ByteBuffer, terminate: Bool = true) {
        for byte in text.utf8 {
            buffer.writeInteger(byte == 0x0D || byte == 0x0A ? UInt8(ascii: " ") : byte)
        }
        if terminate { buffer.writeStaticString("\r\n") }
    }
}
