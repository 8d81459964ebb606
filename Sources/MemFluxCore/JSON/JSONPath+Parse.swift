// Parsing both path spellings into `JSONPath` steps, and printing them back
// (see JSONPath.swift for the representation).

extension JSONPath {
    /// Parses either spelling; throws ERR on bad syntax (filters, slices and unions are not supported).
    ///
    ///     try JSONPath.parse("a[0].b")          // [.key("a"), .index(0), .key("b")]
    ///     try JSONPath.parse("$..price")        // isDollar, [.descendants, .key("price")]
    ///     try JSONPath.parse(#"$["a.b"]"#)      // [.key("a.b")]
    ///
    /// - Complexity: O(n) in the length of the text.
    public static func parse(_ text: Bytes) throws(MemFluxError) -> JSONPath {
        try text.withUnsafeBytes { raw in
            Result { () throws(MemFluxError) in
                var parser = JSONPathParser(bytes: raw)
                return try parser.parsePath()
            }
        }.get()
    }

    public static func parse(_ text: String) throws(MemFluxError) -> JSONPath {
        try parse(Bytes(text))
    }
}

struct JSONPathParser {
    let bytes: UnsafeRawBufferPointer
    var pos = 0
    var steps: [JSONPath.Step] = []

    static func fail(_ what: String, at offset: Int) -> MemFluxError {
        MemFluxError(.err, "invalid JSON path: \(what) at offset \(offset)", position: offset)
    }

    mutating func parsePath() throws(MemFluxError) -> JSONPath {
        let count = bytes.count
        var isDollar = false
        if count > 0 && bytes[0] == UInt8(ascii: "$") {
            isDollar = true
            pos = 1
        } else if count == 1 && bytes[0] == UInt8(ascii: ".") {
            return JSONPath(steps: [], isDollar: false)
        } else if count > 0 && bytes[0] != UInt8(ascii: ".") && bytes[0] != UInt8(ascii: "[") {
            try parseAfterDot()  // dot paths may start with a bare name: `a.b`
        }
        while pos < count {
            switch bytes[pos] {
            case UInt8(ascii: "."):
                pos += 1
                if pos < count && bytes[pos] == UInt8(ascii: ".") {
                    pos += 1
                    steps.append(.descendants)
                    if pos < count && bytes[pos] == UInt8(ascii: "[") {
                        try parseBracket()
                        continue
                    }
                }
                try parseAfterDot()
            case UInt8(ascii: "["):
                try parseBracket()
            default:
                throw Self.fail("expected '.' or '['", at: pos)
            }
        }
        // Bounds document depth: a value (at most 512 deep) set at a path (at most 512 steps)
        // keeps every recursive walk over the document well inside a thread's stack.
        if steps.count > JSONParser.maxDepth {
            throw Self.fail("path deeper than \(JSONParser.maxDepth) levels", at: 0)
        }
        return JSONPath(steps: steps, isDollar: isDollar)
    }

    /// `*` or a field name running to the next `.` or `[`.
    mutating func parseAfterDot() throws(MemFluxError) {
        let start = pos
        while pos < bytes.count && bytes[pos] != UInt8(ascii: ".") && bytes[pos] != UInt8(ascii: "[") { pos += 1 }
        guard pos > start else { throw Self.fail("expected a field name", at: start) }
        if pos == start + 1 && bytes[start] == UInt8(ascii: "*") {
            steps.append(.wildcard)
        } else {
            steps.append(.key(try string(start..<pos)))
        }
    }

    /// `[*]`, `[3]`, `[-1]`, `["key"]` (JSON string escapes) or `['key']`.
    mutating func parseBracket() throws(MemFluxError) {
        pos += 1
        skipSpaces()
        guard pos < bytes.count else { throw Self.fail("unexpected end of path", at: pos) }
        switch bytes[pos] {
        case UInt8(ascii: "*"):
            pos += 1
            steps.append(.wildcard)
        case UInt8(ascii: "\""):
            var json = JSONParser(bytes)
            json.pos = pos
            do throws(MemFluxError) {
                steps.append(.key(try json.parseString()))
            } catch {
                throw Self.fail("bad quoted field name", at: error.position ?? pos)
            }
            pos = json.pos
        case UInt8(ascii: "'"):
            steps.append(.key(try singleQuoted()))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            steps.append(.index(try integer()))
        default:
            throw Self.fail("expected an index, '*' or a quoted field name", at: pos)
        }
        skipSpaces()
        guard pos < bytes.count, bytes[pos] == UInt8(ascii: "]") else {
            throw Self.fail("expected ']' (filters, slices and unions are not supported)", at: pos)
        }
        pos += 1
    }

    mutating func skipSpaces() {
        while pos < bytes.count && bytes[pos] == UInt8(ascii: " ") { pos += 1 }
    }

    mutating func integer() throws(MemFluxError) -> Int {
        let start = pos
        let negative = bytes[pos] == UInt8(ascii: "-")
        if negative { pos += 1 }
        var value = 0
        var digits = 0
        while pos < bytes.count, case let digit = bytes[pos] &- UInt8(ascii: "0"), digit < 10 {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(Int(digit))  // negative side holds Int.min
            guard !o1 && !o2 else { throw Self.fail("index out of range", at: start) }
            value = next
            digits += 1
            pos += 1
        }
        guard digits > 0 else { throw Self.fail("expected an index", at: pos) }
        if negative { return value }
        guard value != Int.min else { throw Self.fail("index out of range", at: start) }
        return -value
    }

    /// `'...'` with `\'` and `\\` escapes.
    mutating func singleQuoted() throws(MemFluxError) -> String {
        let start = pos
        pos += 1
        var text = ContiguousArray<UInt8>()
        while true {
            guard pos < bytes.count else { throw Self.fail("unterminated quoted field name", at: start) }
            var c = bytes[pos]
            if c == UInt8(ascii: "'") { break }
            if c == UInt8(ascii: "\\") {
                pos += 1
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "'") || bytes[pos] == UInt8(ascii: "\\") else {
                    throw Self.fail("invalid escape", at: pos - 1)
                }
                c = bytes[pos]
            }
            text.append(c)
            pos += 1
        }
        pos += 1
        let invalid = text.withUnsafeBytes { JSONUTF8.firstInvalidOffset($0) }
        if let invalid { throw Self.fail("invalid UTF-8", at: start + 1 + invalid) }
        return String(decoding: text, as: UTF8.self)
    }

    func string(_ range: Range<Int>) throws(MemFluxError) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        if let invalid = JSONUTF8.firstInvalidOffset(raw) { throw Self.fail("invalid UTF-8", at: range.lowerBound + invalid) }
        return String(decoding: raw, as: UTF8.self)
    }
}

extension JSONPath: CustomStringConvertible {
    /// The path in its own spelling, parseable back to an equal path: `$.a[0]`, `.a["b.c"]`, `$..x`.
    public var description: String {
        if steps.isEmpty { return isDollar ? "$" : "." }
        var out = ContiguousArray<UInt8>()
        if isDollar { out.append(UInt8(ascii: "$")) }
        var afterDescendants = false
        for step in steps {
            switch step {
            case .key(let key):
                if Self.isPlainName(key) {
                    if !afterDescendants { out.append(UInt8(ascii: ".")) }
                    out.append(contentsOf: key.utf8)
                } else {
                    out.append(UInt8(ascii: "["))
                    JSONPrinter.appendString(key, to: &out)
                    out.append(UInt8(ascii: "]"))
                }
            case .index(let index):
                out.append(UInt8(ascii: "["))
                JSONPrinter.appendInteger(Int64(index), to: &out)
                out.append(UInt8(ascii: "]"))
            case .wildcard:
                if !afterDescendants { out.append(UInt8(ascii: ".")) }
                out.append(UInt8(ascii: "*"))
            case .descendants:
                out.append(contentsOf: "..".utf8)
            }
            afterDescendants = step == .descendants
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A name that needs no brackets: not `*`, no path punctuation, quotes or controls.
    static func isPlainName(_ key: String) -> Bool {
        !key.isEmpty && key != "*" && key.utf8.allSatisfy { c in
            c > 0x20 && c != UInt8(ascii: ".") && c != UInt8(ascii: "[") && c != UInt8(ascii: "]")
                && c != UInt8(ascii: "\"") && c != UInt8(ascii: "'") && c != UInt8(ascii: "\\")
        }
    }
}

