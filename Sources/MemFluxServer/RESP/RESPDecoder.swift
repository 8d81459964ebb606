// RESPDecoder: turns the bytes a client sends into requests (`[Bytes]`), one
// at a time, the way Redis's processMultibulkBuffer/processInlineBuffer do —
// same accepted forms, same error texts — but as a streaming state machine.
//
// Why streaming: the decoder keeps its place between reads (which argument,
// how many payload bytes are still due), so every byte the socket delivers is
// looked at once and copied once, straight into the argument it belongs to.
// The caller never keeps a growing "query buffer": when a read ends inside a
// request, the few bytes of an unfinished header line go to `stash` and an
// unfinished payload goes to `payload`, and the caller's buffer is drained.
// A payload grows as its bytes arrive; the length a client announces is
// never allocated up front, so `$536870912` costs nothing until it is sent.
//
// Forms (Redis 7):
//   *<count>\r\n then <count> times $<len>\r\n<len bytes>\r\n
//   anything else: an inline line up to \n, split with Redis's quote rules
// Limits: header and inline lines 64 KB, at most 1M arguments, payloads up to
// `maxBulkLength`; unauthenticated clients 10 arguments of 16 KB, as Redis.
// Every error is fatal for the connection: the caller writes it and closes.

import MemFluxCore
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct RESPDecoder {
    /// Longest header or inline line (Redis PROTO_INLINE_MAX_SIZE).
    public static let maxLineLength = 64 * 1024
    /// Most arguments in one request.
    public static let maxArgumentCount: Int64 = 1024 * 1024
    /// Redis's stricter limits before AUTH, so an anonymous client cannot make us buffer much.
    static let maxUnauthenticatedArguments: Int64 = 10
    static let maxUnauthenticatedBulkLength: Int64 = 16 * 1024

    /// Longest accepted argument (`proto_max_bulk_len`).
    public var maxBulkLength: Int
    /// True until the client authenticates when a password is set.
    public var authRequired = false

    enum Phase {
        case start
        case count
        case bulkHeader
        case bulkPayload
        case inline
    }

    private var phase = Phase.start
    private var args: [Bytes] = []
    /// A finished request's emptied array, handed back through `recycle`, so
    /// the next request's arguments need no allocation.
    private var spareArgs: [Bytes] = []
    private var argsRemaining = 0
    /// Payload bytes of the current argument still to come, then its 2 terminator bytes.
    private var payloadRemaining = 0
    private var terminatorRemaining = 0
    /// The current argument's payload when it spans reads.
    private(set) var payload = ContiguousArray<UInt8>()
    /// An unfinished header or inline line.
    private(set) var stash = ContiguousArray<UInt8>()

    public init(maxBulkLength: Int = 512 * 1024 * 1024) {
        self.maxBulkLength = maxBulkLength
    }

    /// Takes back a request's array once it has been run; its storage is
    /// reused for the next request when nothing else kept a reference.
    public mutating func recycle(_ request: inout [Bytes]) {
        guard request.capacity <= 64 else { return }
        request.removeAll(keepingCapacity: true)
        swap(&request, &spareArgs)
    }

    /// True when no request is partly decoded.
    public var isIdle: Bool { phase == .start && stash.isEmpty }

    /// The next complete request in `buffer`, consuming its bytes; nil when
    /// `buffer` has been drained without completing one (the unfinished part
    /// is kept here). Throws the protocol error to send before closing.
    ///
    ///     var d = RESPDecoder()
    ///     var b = ByteBuffer(string: "*1\r\n$4\r\nPING\r\nECHO hi\r\n")
    ///     try d.next(&b)   // ["PING"]
    ///     try d.next(&b)   // ["ECHO", "hi"]
    ///     try d.next(&b)   // nil
    ///
    /// - Complexity: O(bytes consumed).
    public mutating func next(_ buffer: inout ByteBuffer) throws(MemFluxError) -> [Bytes]? {
        let (consumed, request) = try buffer.withUnsafeReadableBytes { raw throws(MemFluxError) in
            try step(raw)
        }
        buffer.moveReaderIndex(forwardBy: consumed)
        return request
    }

    /// Decodes from `raw` until a request completes or `raw` runs out.
    mutating func step(_ raw: UnsafeRawBufferPointer) throws(MemFluxError) -> (Int, [Bytes]?) {
        var p = 0
        let n = raw.count
        while true {
            switch phase {
            case .start:
                guard p < n else { return (p, nil) }
                phase = raw[p] == UInt8(ascii: "*") ? .count : .inline

            case .count:
                guard let line = try headerLine(raw, &p, tooBig: "too big mbulk count string") else { return (p, nil) }
                let count = withLine(raw, line) { Bytes.parseInt64(UnsafeRawBufferPointer(rebasing: $0.dropFirst())) }
                guard let count, count <= Self.maxArgumentCount else { throw protocolError("invalid multibulk length") }
                if authRequired && count > Self.maxUnauthenticatedArguments {
                    throw protocolError("unauthenticated multibulk length")
                }
                if count <= 0 {  // `*0` and `*-1` are empty requests: skipped, as Redis does.
                    phase = .start
                    continue
                }
                argsRemaining = Int(count)
                swap(&args, &spareArgs)
                args.reserveCapacity(min(argsRemaining, 1024))
                phase = .bulkHeader

            case .bulkHeader:
                guard let line = try headerLine(raw, &p, tooBig: "too big bulk count string") else { return (p, nil) }
                let (first, length) = withLine(raw, line) { bytes -> (UInt8, Int64?) in
                    (bytes.first ?? 0, Bytes.parseInt64(UnsafeRawBufferPointer(rebasing: bytes.dropFirst())))
                }
                guard first == UInt8(ascii: "$") else {
                    throw protocolError("expected '$', got '\(Character(Unicode.Scalar(first)))'")
                }
                guard let length, length >= 0, length <= Int64(maxBulkLength) else {
                    throw protocolError("invalid bulk length")
                }
                if authRequired && length > Self.maxUnauthenticatedBulkLength {
                    throw protocolError("unauthenticated bulk length")
                }
                payloadRemaining = Int(length)
                terminatorRemaining = 2
                phase = .bulkPayload

            case .bulkPayload:
                // Fast path: the whole payload is here; one copy into the argument.
                // (Compared as `n - p - 2`: the length may be near Int.max when
                // proto_max_bulk_len is, and `payloadRemaining + 2` would overflow.)
                if payload.isEmpty && terminatorRemaining == 2 && n - p - 2 >= payloadRemaining {
                    args.append(Bytes(UnsafeRawBufferPointer(rebasing: raw[p..<(p + payloadRemaining)])))
                    p += payloadRemaining + 2
                } else {
                    if payloadRemaining > 0 {
                        let take = min(payloadRemaining, n - p)
                        if payload.isEmpty { payload.reserveCapacity(min(payloadRemaining, max(take, 16 * 1024))) }
                        payload.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[p..<(p + take)]))
                        p += take
                        payloadRemaining -= take
                    }
                    if payloadRemaining == 0 {
                        // Redis skips the two bytes after a payload without looking at them.
                        let take = min(terminatorRemaining, n - p)
                        p += take
                        terminatorRemaining -= take
                    }
                    guard payloadRemaining == 0 && terminatorRemaining == 0 else { return (p, nil) }
                    args.append(Bytes(payload))
                    payload = []
                }
                argsRemaining -= 1
                if argsRemaining == 0 {
                    phase = .start
                    let request = args
                    args = []
                    return (p, request)
                }
                phase = .bulkHeader

            case .inline:
                guard let line = try inlineLine(raw, &p) else { return (p, nil) }
                let words = withLine(raw, line) { bytes -> [Bytes]? in
                    var bytes = bytes
                    if bytes.last == UInt8(ascii: "\r") { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
                    return InlineSplitter.split(bytes)
                }
                phase = .start
                guard let words else { throw protocolError("unbalanced quotes in request") }
                if words.isEmpty { continue }  // a blank line is no request
                return (p, words)
            }
        }
    }

    /// Where a finished line lies: in the input, or in `stash` (it spanned reads).
    enum Line {
        case input(Range<Int>)
        case stash
    }

    private mutating func withLine<R>(_ raw: UnsafeRawBufferPointer, _ line: Line, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch line {
        case .input(let range):
            return body(UnsafeRawBufferPointer(rebasing: raw[range]))
        case .stash:
            let result = stash.withUnsafeBytes(body)
            stash.removeAll(keepingCapacity: true)
            return result
        }
    }

    /// A header line: up to the first `\r`, which must be followed by one more
    /// byte (Redis skips it unchecked). nil: need more input, all of it stashed.
    private mutating func headerLine(_ raw: UnsafeRawBufferPointer, _ p: inout Int, tooBig: String) throws(MemFluxError) -> Line? {
        let n = raw.count
        if stash.last == UInt8(ascii: "\r") {  // the line ended with the previous read
            guard p < n else { return nil }
            stash.removeLast()
            p += 1
            return .stash
        }
        if let cr = Self.find(UInt8(ascii: "\r"), in: raw, from: p) {
            if cr + 1 < n {
                defer { p = cr + 2 }
                if stash.isEmpty { return .input(p..<cr) }
                stash.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[p..<cr]))
                return .stash
            }
        }
        try stashRest(raw, &p, tooBig: tooBig)
        return nil
    }

    /// An inline line: up to `\n` (the caller strips a `\r` before it).
    private mutating func inlineLine(_ raw: UnsafeRawBufferPointer, _ p: inout Int) throws(MemFluxError) -> Line? {
        guard let lf = Self.find(UInt8(ascii: "\n"), in: raw, from: p) else {
            try stashRest(raw, &p, tooBig: "too big inline request")
            return nil
        }
        defer { p = lf + 1 }
        if stash.isEmpty { return .input(p..<lf) }
        stash.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[p..<lf]))
        return .stash
    }

    private mutating func stashRest(_ raw: UnsafeRawBufferPointer, _ p: inout Int, tooBig: String) throws(MemFluxError) {
        let rest = raw.count - p
        guard stash.count + rest <= Self.maxLineLength else { throw protocolError(tooBig) }
        stash.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[p...]))
        p = raw.count
    }

    @inline(__always)
    static func find(_ byte: UInt8, in raw: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < raw.count, let base = raw.baseAddress else { return nil }
        guard let hit = memchr(base + start, Int32(byte), raw.count - start) else { return nil }
        return UnsafeRawPointer(hit) - base
    }

    private func protocolError(_ text: String) -> MemFluxError {
        MemFluxError(.err, "Protocol error: " + text)
    }
}
