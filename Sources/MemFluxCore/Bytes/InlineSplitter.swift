// InlineSplitter: splits a telnet-style inline request into arguments with
// Redis's sdssplitargs rules, so `SET k "a b\x41"` means what it means to
// redis-server:
//   - arguments are separated by whitespace (space, \t, \n, \v, \f, \r);
//   - "..." allows \n \r \t \b \a, \xHH and \<any> escapes;
//   - '...' allows only \' ;
//   - a quote may start mid-word (`a"b c"` is `ab c`), but a closing quote
//     must be followed by whitespace or the end of the line;
//   - a NUL byte ends the line, as it ends the C string Redis parses.
// An unterminated quote or a closing quote followed by a letter is an error
// (nil), which the decoder answers with "unbalanced quotes in request".
// The embedded text front door also learns which words were a bare `?`
// (unquoted), the placeholders its parameters are bound to.

public enum InlineSplitter {
    public static func split(_ line: UnsafeRawBufferPointer) -> [Bytes]? {
        var placeholders: [Int]? = nil
        return split(line, placeholders: &placeholders)
    }

    /// Splits `line`; when `placeholders` is non-nil, appends to it the index of
    /// every word that was an unquoted `?`.
    public static func split(_ line: UnsafeRawBufferPointer, placeholders: inout [Int]?) -> [Bytes]? {
        let n = line.count
        // Reading past the end yields 0, like the C string's terminator.
        @inline(__always) func at(_ i: Int) -> UInt8 { i < n ? line[i] : 0 }

        var words: [Bytes] = []
        var p = 0
        while true {
            while at(p) != 0 && isSpace(at(p)) { p += 1 }
            if at(p) == 0 { return words }
            var current = ContiguousArray<UInt8>()
            var inDouble = false, inSingle = false, done = false, quoted = false
            while !done {
                let c = at(p)
                if inDouble {
                    if c == UInt8(ascii: "\\") && at(p + 1) == UInt8(ascii: "x") && isHex(at(p + 2)) && isHex(at(p + 3)) {
                        current.append(hexValue(at(p + 2)) << 4 | hexValue(at(p + 3)))
                        p += 3
                    } else if c == UInt8(ascii: "\\") && at(p + 1) != 0 {
                        p += 1
                        current.append(unescape(at(p)))
                    } else if c == UInt8(ascii: "\"") {
                        if at(p + 1) != 0 && !isSpace(at(p + 1)) { return nil }
                        done = true
                    } else if c == 0 {
                        return nil
                    } else {
                        current.append(c)
                    }
                } else if inSingle {
                    if c == UInt8(ascii: "\\") && at(p + 1) == UInt8(ascii: "'") {
                        p += 1
                        current.append(UInt8(ascii: "'"))
                    } else if c == UInt8(ascii: "'") {
                        if at(p + 1) != 0 && !isSpace(at(p + 1)) { return nil }
                        done = true
                    } else if c == 0 {
                        return nil
                    } else {
                        current.append(c)
                    }
                } else {
                    switch c {
                    case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"), 0:
                        done = true
                    case UInt8(ascii: "\""):
                        inDouble = true
                        quoted = true
                    case UInt8(ascii: "'"):
                        inSingle = true
                        quoted = true
                    default:
                        current.append(c)
                    }
                }
                if at(p) != 0 { p += 1 }
            }
            if !quoted && current.count == 1 && current[0] == UInt8(ascii: "?") { placeholders?.append(words.count) }
            words.append(Bytes(current))
        }
    }

    @inline(__always)
    public static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || (c >= 0x09 && c <= 0x0D)
    }

    @inline(__always)
    static func isHex(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "f"))
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8 {
        c <= UInt8(ascii: "9") ? c - UInt8(ascii: "0") : (c | 0x20) - UInt8(ascii: "a") + 10
    }

    static func unescape(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "a"): return 0x07
        default: return c
        }
    }
}
