// Fuzzes InlineSplitter.split (Sources/MemFluxCore/Bytes/InlineSplitter.swift),
// which splits a telnet-style request line into arguments with Redis's
// sdssplitargs quote rules.
//
// Properties checked (a failure traps, which libFuzzer reports as a crash):
//   - the splitter reads only the input: it runs over libFuzzer's exact-size
//     heap copy, so ASan reports a read past the end;
//   - a NUL ends the line: splitting the bytes before the first NUL gives the
//     same result;
//   - only quotes can make a line invalid;
//   - arguments never hold more bytes than the line: their lengths plus one
//     separator between each two fit in the line;
//   - a line without quotes splits into exactly its sub-slices between
//     separators (skipped: isspace; ended by space, \t, \n, \r);
//   - re-quoting the arguments ("..." with \\, \" and \xHH escapes) and
//     joining them with spaces splits back to the same arguments.

import MemFluxCore


@inline(never)
func fail(_ what: String, _ input: UnsafeRawBufferPointer) -> Never {
    let text = String(decoding: input.prefix(512), as: UTF8.self)
    fatalError("inline-splitter: \(what); input (\(input.count) bytes): \(text.debugDescription)")
}

func show(_ words: [Bytes]?) -> String {
    words.map { "\($0.map { $0.string.debugDescription })" } ?? "nil (unbalanced quotes)"
}

/// The words of a quote-free line, as sub-slices of it.
func plainWords(_ line: UnsafeRawBufferPointer) -> [Bytes] {
    var words: [Bytes] = []
    var p = 0
    while true {
        while p < line.count && InlineSplitter.isSpace(line[p]) { p += 1 }
        if p == line.count { return words }
        let start = p
        while p < line.count && ![0x20, 0x09, 0x0A, 0x0D].contains(line[p]) { p += 1 }
        words.append(Bytes(UnsafeRawBufferPointer(rebasing: line[start..<p])))
        if p < line.count { p += 1 }
    }
}

/// `words` as one line that splits back to them.
func requoted(_ words: [Bytes]) -> [UInt8] {
    let hex = Array("0123456789abcdef".utf8)
    var line: [UInt8] = []
    for (i, word) in words.enumerated() {
        if i > 0 { line.append(0x20) }
        line.append(UInt8(ascii: "\""))
        for byte in word.array {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                line += [UInt8(ascii: "\\"), byte]
            case 0x20...0x7E:
                line.append(byte)
            default:
                line += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        line.append(UInt8(ascii: "\""))
    }
    return line
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInlineSplitter(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let words = InlineSplitter.split(input)

    let end = input.firstIndex(of: 0) ?? size
    let line = UnsafeRawBufferPointer(rebasing: input[..<end])
    if end < size {
        let beforeNUL = InlineSplitter.split(line)
        guard beforeNUL == words else { fail("\(show(words)), but \(show(beforeNUL)) before the NUL", input) }
    }
    let quoted = line.contains(UInt8(ascii: "\"")) || line.contains(UInt8(ascii: "'"))

    guard let words else {
        if !quoted { fail("rejected a line without quotes", input) }
        return 0
    }
    let used = words.reduce(0) { $0 + $1.count } + max(words.count - 1, 0)
    guard used <= line.count else { fail("\(show(words)) hold \(used) bytes, the line \(line.count)", input) }
    if !quoted {
        let expected = plainWords(line)
        guard words == expected else { fail("\(show(words)), expected the sub-slices \(show(expected))", input) }
    }
    let again = requoted(words).withUnsafeBytes { InlineSplitter.split($0) }
    guard again == words else { fail("\(show(words)) re-quoted split to \(show(again))", input) }
    return 0
}
