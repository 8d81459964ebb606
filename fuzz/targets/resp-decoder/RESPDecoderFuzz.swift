// Fuzzes RESPDecoder (Sources/MemFluxServer/RESP/RESPDecoder.swift): the input
// is the byte stream a client sends, decoded as the connection decodes it.
//
// Each input is decoded twice, with the default limits and with an
// unauthenticated client's (authRequired, 64-byte bulk limit), and each time
// whole, in a few reads (cut where a hash of the input says) through the
// public ByteBuffer API, and byte by byte (inputs up to 1 KiB).
//
// Properties checked (a failure traps, which libFuzzer reports as a crash):
//   - the decoder reads only the bytes it is given: whole and byte-by-byte
//     decoding run over exact-size heap buffers, so ASan reports a read past
//     the end of a read;
//   - `step` never consumes more than it was given, consumes everything when
//     it returns no request, and something when it returns one; `next` drains
//     the ByteBuffer when it returns nil;
//   - no empty request comes out; no argument is longer than the bulk limit
//     (or the line limit, inline) and all arguments together hold at most as
//     many bytes as the input;
//   - the state kept between reads stays within the line and bulk limits;
//   - the requests and the error are the same wherever the reads are cut
//     (inputs no longer than the 64 KiB line limit, where Redis too differs).

import MemFluxCore
import NIOCore


@inline(never)
func fail(_ what: String, _ input: UnsafeRawBufferPointer) -> Never {
    let text = String(decoding: input.prefix(512), as: UTF8.self)
    fatalError("resp-decoder: \(what); input (\(input.count) bytes): \(text.debugDescription)")
}

struct Outcome: Equatable, CustomStringConvertible {
    var requests: [[Bytes]] = []
    var error: MemFluxError?

    var description: String {
        "\(requests.map { $0.map { $0.string.debugDescription } }) then \(error.map { "-\($0)" } ?? "no error")"
    }
}

struct Limits {
    var authRequired: Bool
    var maxBulkLength: Int

    func decoder() -> RESPDecoder {
        var decoder = RESPDecoder(maxBulkLength: maxBulkLength)
        decoder.authRequired = authRequired
        return decoder
    }
}

/// Checks one request and adds it to `outcome`.
func accept(_ request: [Bytes], _ limits: Limits, into outcome: inout Outcome, _ input: UnsafeRawBufferPointer) {
    guard !request.isEmpty else { fail("empty request", input) }
    let longest = max(limits.maxBulkLength, RESPDecoder.maxLineLength, input.count)
    for argument in request where argument.count > longest {
        fail("argument of \(argument.count) bytes, limit \(longest)", input)
    }
    outcome.requests.append(request)
}

func checkHeldState(_ decoder: RESPDecoder, _ limits: Limits, _ input: UnsafeRawBufferPointer) {
    guard decoder.stash.count <= RESPDecoder.maxLineLength else { fail("stash holds \(decoder.stash.count) bytes", input) }
    guard decoder.payload.count <= limits.maxBulkLength else { fail("payload holds \(decoder.payload.count) bytes", input) }
}

/// Feeds `reads` to `step` one after another, each drained before the next.
func decodeWithStep(_ reads: [UnsafeRawBufferPointer], _ limits: Limits, _ input: UnsafeRawBufferPointer) -> Outcome {
    var decoder = limits.decoder()
    var outcome = Outcome()
    for read in reads {
        var offset = 0
        while true {
            let rest = UnsafeRawBufferPointer(rebasing: read[offset...])
            let consumed: Int
            let request: [Bytes]?
            do {
                (consumed, request) = try decoder.step(rest)
            } catch {
                outcome.error = error
                return outcome
            }
            guard consumed >= 0, consumed <= rest.count else { fail("step consumed \(consumed) of \(rest.count) bytes", input) }
            offset += consumed
            checkHeldState(decoder, limits, input)
            guard let request else {
                guard consumed == rest.count else { fail("step returned nil with \(rest.count - consumed) bytes left", input) }
                break
            }
            guard consumed > 0 else { fail("a request out of no bytes", input) }
            accept(request, limits, into: &outcome, input)
        }
    }
    return outcome
}

/// Feeds `input` cut at `cuts` through the public `next(&ByteBuffer)`.
func decodeWithNext(_ input: UnsafeRawBufferPointer, cuts: [Int], _ limits: Limits) -> Outcome {
    var decoder = limits.decoder()
    var outcome = Outcome()
    let bounds = [0] + cuts + [input.count]
    for i in 0..<(bounds.count - 1) {
        var buffer = ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: input[bounds[i]..<bounds[i + 1]]))
        do {
            while let request = try decoder.next(&buffer) {
                accept(request, limits, into: &outcome, input)
            }
        } catch {
            outcome.error = error
            return outcome
        }
        guard buffer.readableBytes == 0 else { fail("next returned nil with \(buffer.readableBytes) bytes unread", input) }
        checkHeldState(decoder, limits, input)
    }
    return outcome
}

/// Up to three cut points in 0...count, from an FNV-1a hash of the input.
func cutPoints(_ input: UnsafeRawBufferPointer) -> [Int] {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in input { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    let count = Int(hash % 3) + 1
    return (0..<count).map { k in Int((hash >> (8 + 16 * UInt64(k))) & 0xFFFF) % (input.count + 1) }.sorted()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRESPDecoder(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    for limits in [Limits(authRequired: false, maxBulkLength: 512 * 1024 * 1024), Limits(authRequired: true, maxBulkLength: 64)] {
        let whole = decodeWithStep([input], limits, input)
        let payloadBytes = whole.requests.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }
        guard payloadBytes <= size else { fail("arguments hold \(payloadBytes) bytes, the input \(size)", input) }
        guard size <= RESPDecoder.maxLineLength else { continue }

        let cuts = cutPoints(input)
        let pieces = decodeWithNext(input, cuts: cuts, limits)
        guard pieces == whole else { fail("whole: \(whole); cut at \(cuts): \(pieces)", input) }

        guard size <= 1024 else { continue }
        // One exact-size allocation per byte: a read past any of them is an ASan error.
        let bytes = (0..<size).map { i -> UnsafeMutableRawBufferPointer in
            let one = UnsafeMutableRawBufferPointer.allocate(byteCount: 1, alignment: 1)
            one[0] = input[i]
            return one
        }
        defer { bytes.forEach { $0.deallocate() } }
        let byByte = decodeWithStep(bytes.map { UnsafeRawBufferPointer($0) }, limits, input)
        guard byByte == whole else { fail("whole: \(whole); byte by byte: \(byByte)", input) }
    }
    return 0
}
