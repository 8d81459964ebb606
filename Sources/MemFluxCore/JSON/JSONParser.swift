// JSONParser: strict RFC 8259 parsing straight over the bytes of a request.
//
// Every JSON.SET and every SQL row write lands here, so the parser walks an
// `UnsafeRawBufferPointer` with an integer cursor: no Foundation, no String
// per character, no intermediate tokens. Strict means what RedisJSON
// (serde_json) rejects we reject: trailing garbage, leading zeros, `1.`, `.5`,
// NaN/Infinity, raw control characters and invalid UTF-8 in strings, unpaired
// surrogates in `\u` escapes, and nesting deeper than 512. Errors name the
// byte offset so a client can find the mistake in a long document.
//
// Strings have two paths. The fast one scans 8 bytes at a time for a quote,
// a backslash, a control character or a non-ASCII byte; a string with no
// escapes becomes a `String` made once from the input bytes. Only a string
// with an escape is decoded into `scratch`, a buffer reused for every string.
// Numbers take Clinger's fast path (exact mantissa, |exponent| <= 22: one
// multiply or divide is correctly rounded); longer ones go to the stdlib's
// correctly rounded `Double(String)`.

import Collections

extension JSONValue {
    /// Parses a complete JSON text; leading and trailing JSON whitespace is allowed.
    ///
    ///     try JSONValue.parse(#"{"a":[1,2.5,"x"]}"#)   // .object(["a": .array([.int(1), .double(2.5), .string("x")])])
    ///     try JSONValue.parse("01")   // throws ERR invalid JSON: leading zero in number at offset 0
    ///
    /// - Complexity: O(n) in the length of the text.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(MemFluxError) -> JSONValue {
        var parser = JSONParser(bytes)
        return try parser.parseDocument()
    }

    /// Parses a complete JSON text held in `bytes`.
    public static func parse(_ bytes: Bytes) throws(MemFluxError) -> JSONValue {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(MemFluxError) in try parse(raw) }
        }.get()
    }

    /// Parses a complete JSON text held in `text`.
    public static func parse(_ text: String) throws(MemFluxError) -> JSONValue {
        var text = text
        return try text.withUTF8 { buffer in
            Result { () throws(MemFluxError) in try parse(UnsafeRawBufferPointer(buffer)) }
        }.get()
    }
}

/// One parse over one buffer; not reusable.
struct JSONParser {
    static let maxDepth = 512

    let bytes: UnsafeRawBufferPointer
    var pos = 0
    var depth = 0
    /// Decoded bytes of the current escaped string; reused to avoid an allocation per string.
    var scratch = ContiguousArray<UInt8>()
    /// Elements and field names of the open containers, innermost last (see `popTail`).
    var valueStack: [JSONValue] = []
    var keyStack: [String] = []

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func parseDocument() throws(MemFluxError) -> JSONValue {
        skipWhitespace()
        if pos < bytes.count && (bytes[pos] == UInt8(ascii: "{") || bytes[pos] == UInt8(ascii: "[")) {
            // One allocation each up front rather than growing from empty.
            valueStack.reserveCapacity(32)
            keyStack.reserveCapacity(16)
        }
        let value = try parseValue()
        skipWhitespace()
        if pos != bytes.count { throw Self.fail("unexpected character after JSON value", at: pos) }
        return value
    }

    @inline(never)
    static func fail(_ what: String, at offset: Int) -> MemFluxError {
        MemFluxError(.err, "invalid JSON: \(what) at offset \(offset)", position: offset)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos &+= 1
            default: return
            }
        }
    }

    /// Parses one value at `pos` (whitespace already skipped) and leaves `pos` after it.
    mutating func parseValue() throws(MemFluxError) -> JSONValue {
        guard pos < bytes.count else { throw Self.fail("unexpected end of input", at: pos) }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw Self.fail("expected value", at: pos)
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(MemFluxError) {
        let start = pos
        let matches = literal.withUTF8Buffer { word -> Bool in
            guard start + word.count <= bytes.count else { return false }
            for k in 0..<word.count where bytes[start + k] != word[k] { return false }
            return true
        }
        guard matches else { throw Self.fail("expected value", at: start) }
        pos = start + literal.utf8CodeUnitCount
    }

    mutating func enterContainer() throws(MemFluxError) {
        depth &+= 1
        if depth > Self.maxDepth {
            throw Self.fail("nesting deeper than \(Self.maxDepth) levels", at: pos)
        }
    }

    mutating func parseArray() throws(MemFluxError) -> JSONValue {
        try enterContainer()
        pos &+= 1
        let base = valueStack.count
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") {
            pos &+= 1
            depth &-= 1
            return .array([])
        }
        while true {
            skipWhitespace()
            let item = try parseValue()
            valueStack.append(item)
            skipWhitespace()
            guard pos < bytes.count else { throw Self.fail("unexpected end of input", at: pos) }
            let c = bytes[pos]
            pos &+= 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "]") { break }
            throw Self.fail("expected ',' or ']'", at: pos &- 1)
        }
        depth &-= 1
        return .array(Self.popTail(of: &valueStack, from: base))
    }

    mutating func parseObject() throws(MemFluxError) -> JSONValue {
        try enterContainer()
        pos &+= 1
        let base = valueStack.count
        let keyBase = keyStack.count
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") {
            pos &+= 1
            depth &-= 1
            return .object([:])
        }
        while true {
            skipWhitespace()
            guard pos < bytes.count else { throw Self.fail("unexpected end of input", at: pos) }
            guard bytes[pos] == UInt8(ascii: "\"") else { throw Self.fail("expected string key", at: pos) }
            let key = try parseString()
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
                throw Self.fail("expected ':'", at: pos)
            }
            pos &+= 1
            skipWhitespace()
            let value = try parseValue()
            keyStack.append(key)
            valueStack.append(value)
            skipWhitespace()
            guard pos < bytes.count else { throw Self.fail("unexpected end of input", at: pos) }
            let c = bytes[pos]
            pos &+= 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "}") { break }
            throw Self.fail("expected ',' or '}'", at: pos &- 1)
        }
        depth &-= 1
        let keys = Self.popTail(of: &keyStack, from: keyBase)
        let values = Self.popTail(of: &valueStack, from: base)
        return .object(Self.makeObject(keys: keys, values: values))
    }

    /// Pops `stack[base...]` into a new array of exactly that size. Containers collect their
    /// elements on the parser's shared stacks, which grow once per document, so each container
    /// costs one exact allocation instead of its own array growing 1, 2, 4, 8... (measured:
    /// ~10% fewer instructions for a 7-field object, ~15% faster on a 3 MB document).
    @inline(__always)
    static func popTail<T>(of stack: inout [T], from base: Int) -> [T] {
        let count = stack.count &- base
        guard count > 0 else { return [] }
        var tail = [T]()
        tail.reserveCapacity(count)
        tail.append(contentsOf: stack[base...])
        stack.removeLast(count)
        return tail
    }

    /// Small objects (no hash table below 16 keys) check for duplicate keys pairwise and are
    /// built in one go; large ones, and any with a duplicate, insert key by key. A duplicate
    /// keeps its first position and its last value, as serde_json's map does.
    static func makeObject(keys: [String], values: [JSONValue]) -> OrderedDictionary<String, JSONValue> {
        if keys.count <= 15 {
            var unique = true
            search: for i in keys.indices.dropFirst() {
                for j in 0..<i where keys[i] == keys[j] {
                    unique = false
                    break search
                }
            }
            if unique { return OrderedDictionary(uncheckedUniqueKeys: keys, values: values) }
        }
        var fields = OrderedDictionary<String, JSONValue>(minimumCapacity: keys.count)
        for i in keys.indices { fields[keys[i]] = values[i] }
        return fields
    }
}

// MARK: - Numbers

extension JSONParser {
    /// Exact powers of ten: every one up to 1e22 is representable, which is what makes Clinger's fast path exact.
    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    @inline(__always)
    func isDigit(at j: Int) -> Bool {
        j < bytes.count && bytes[j] &- UInt8(ascii: "0") < 10
    }

    mutating func parseNumber() throws(MemFluxError) -> JSONValue {
        let start = pos
        var j = pos
        let negative = bytes[j] == UInt8(ascii: "-")
        if negative { j &+= 1 }
        guard isDigit(at: j) else { throw Self.fail("invalid number", at: j) }

        var mantissa: UInt64 = 0
        var exact = true  // mantissa holds every digit
        var exponent = 0
        @inline(__always) func accumulate(_ digit: UInt8) -> Bool {
            guard mantissa <= (UInt64.max - 9) / 10 else { exact = false; return false }
            mantissa = mantissa &* 10 &+ UInt64(digit &- UInt8(ascii: "0"))
            return true
        }

        if bytes[j] == UInt8(ascii: "0") {
            j &+= 1
            if isDigit(at: j) { throw Self.fail("leading zero in number", at: start) }
        } else {
            while isDigit(at: j) {
                _ = accumulate(bytes[j])
                j &+= 1
            }
        }
        var isInteger = true
        if j < bytes.count && bytes[j] == UInt8(ascii: ".") {
            isInteger = false
            j &+= 1
            guard isDigit(at: j) else { throw Self.fail("invalid number", at: j) }
            while isDigit(at: j) {
                if accumulate(bytes[j]) { exponent -= 1 }
                j &+= 1
            }
        }
        if j < bytes.count && (bytes[j] | 0x20) == UInt8(ascii: "e") {
            isInteger = false
            j &+= 1
            var exponentNegative = false
            if j < bytes.count && (bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-")) {
                exponentNegative = bytes[j] == UInt8(ascii: "-")
                j &+= 1
            }
            guard isDigit(at: j) else { throw Self.fail("invalid number", at: j) }
            var written = 0
            while isDigit(at: j) {
                if written < 100_000 { written = written * 10 + Int(bytes[j] &- UInt8(ascii: "0")) }
                j &+= 1
            }
            exponent += exponentNegative ? -written : written
        }
        pos = j

        if isInteger && exact {
            if negative {
                if mantissa <= UInt64(1) << 63 { return .int(Int64(bitPattern: 0 &- mantissa)) }
            } else if mantissa <= UInt64(Int64.max) {
                return .int(Int64(mantissa))
            }
        }
        if exact && mantissa <= UInt64(1) << 53 && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 {
                value /= Self.powersOfTen[-exponent]
            } else {
                value *= Self.powersOfTen[exponent]
            }
            return .double(negative ? -value : value)
        }
        return .double(try slowDouble(start..<j))
    }

    /// Correctly rounded conversion of a validated number text; rejects values too large for a Double.
    @inline(never)
    func slowDouble(_ range: Range<Int>) throws(MemFluxError) -> Double {
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw Self.fail("number out of range", at: range.lowerBound)
        }
        return value
    }
}

// MARK: - Strings

extension JSONParser {
    /// True if any of the 8 bytes in `word` is a quote, a backslash, below 0x20 or above 0x7F:
    /// the classic "has zero byte" / "has byte less than" bit tricks, one test per 8 bytes.
    @inline(__always)
    static func needsAttention(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (word &- ones &* 0x20) & ~word
        return (hasQuote | hasBackslash | hasControl | word) & highs != 0
    }

    /// Index of the first byte at or after `j` that is not plain printable ASCII
    /// (or is a quote or backslash), or `bytes.count`.
    @inline(__always)
    func skipPlainASCII(from start: Int) -> Int {
        var j = start
        while j &+ 8 <= bytes.count && !Self.needsAttention(bytes.loadUnaligned(fromByteOffset: j, as: UInt64.self)) {
            j &+= 8
        }
        while j < bytes.count {
            let b = bytes[j]
            if b < 0x20 || b >= 0x80 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { break }
            j &+= 1
        }
        return j
    }

    /// Parses the string whose opening quote is at `pos`; leaves `pos` after the closing quote.
    mutating func parseString() throws(MemFluxError) -> String {
        let start = pos &+ 1
        var j = start
        while true {
            j = skipPlainASCII(from: j)
            guard j < bytes.count else { throw Self.fail("unterminated string", at: j) }
            let b = bytes[j]
            if b == UInt8(ascii: "\"") {
                pos = j &+ 1
                // Validated above, so decoding never substitutes a replacement character.
                return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<j]), as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") { return try parseEscapedString(start: start, firstEscape: j) }
            if b < 0x20 { throw Self.fail("control character in string", at: j) }
            guard let next = JSONUTF8.scalarEnd(bytes, at: j) else { throw Self.fail("invalid UTF-8", at: j) }
            j = next
        }
    }

    /// The slow path: decodes the string into `scratch`, starting with the plain bytes before the first escape.
    mutating func parseEscapedString(start: Int, firstEscape: Int) throws(MemFluxError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<firstEscape]))
        var j = firstEscape
        while true {
            let runStart = j
            j = skipPlainASCII(from: j)
            if j > runStart { scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<j])) }
            guard j < bytes.count else { throw Self.fail("unterminated string", at: j) }
            let b = bytes[j]
            if b == UInt8(ascii: "\"") {
                pos = j &+ 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") {
                j = try decodeEscape(at: j)
                continue
            }
            if b < 0x20 { throw Self.fail("control character in string", at: j) }
            guard let next = JSONUTF8.scalarEnd(bytes, at: j) else { throw Self.fail("invalid UTF-8", at: j) }
            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[j..<next]))
            j = next
        }
    }

    /// Decodes the escape whose backslash is at `j` into `scratch`; returns the index after it.
    mutating func decodeEscape(at j: Int) throws(MemFluxError) -> Int {
        guard j &+ 1 < bytes.count else { throw Self.fail("unterminated string", at: j &+ 1) }
        let simple: UInt8
        switch bytes[j &+ 1] {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): return try decodeUnicodeEscape(at: j)
        default: throw Self.fail("invalid escape", at: j)
        }
        scratch.append(simple)
        return j &+ 2
    }

    /// `\uXXXX`, or a `\uD8xx\uDCxx` surrogate pair; a surrogate on its own is not a scalar and is rejected.
    mutating func decodeUnicodeEscape(at j: Int) throws(MemFluxError) -> Int {
        guard let unit = hex4(at: j &+ 2) else { throw Self.fail("invalid \\u escape", at: j) }
        var scalar = unit
        var next = j &+ 6
        if unit >= 0xD800 && unit <= 0xDBFF {
            guard next &+ 1 < bytes.count, bytes[next] == UInt8(ascii: "\\"), bytes[next &+ 1] == UInt8(ascii: "u"),
                  let low = hex4(at: next &+ 2), low >= 0xDC00 && low <= 0xDFFF
            else { throw Self.fail("invalid UTF-8: unpaired surrogate in \\u escape", at: j) }
            scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            next &+= 6
        } else if unit >= 0xDC00 && unit <= 0xDFFF {
            throw Self.fail("invalid UTF-8: unpaired surrogate in \\u escape", at: j)
        }
        JSONUTF8.append(scalar: scalar, to: &scratch)
        return next
    }

    func hex4(at j: Int) -> UInt32? {
        guard j &+ 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for k in j..<(j &+ 4) {
            let c = bytes[k]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
