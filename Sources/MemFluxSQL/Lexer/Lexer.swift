// Lexer: PostgreSQL 16's lexical rules (scan.l) over the UTF-8 bytes of a
// statement, in one pass into an array of tokens.
//
// Names: unquoted ones are keywords (any case) or identifiers, folded to
// lowercase when the parser reads them; `"Quoted"` ones are kept verbatim
// (`""` is a quote). Numbers: `42`, `1.5`, `.5`, `1e10`, `1_000` (16's
// underscores between digits); a letter right after one is "trailing junk".
// Strings: `'...'` (`''` is a quote; two literals separated by whitespace with
// a newline are one), `E'...'` with backslash escapes, `$$...$$` and
// `$tag$...$tag$`. Parameters: `$n` and `?` (numbered 1, 2, ... in order; the
// two styles cannot be mixed). Operators are read as PostgreSQL reads them (a
// run of operator characters, cut at `--` or `/*`, trailing `+`/`-` given back
// unless the run holds one of `~!@#^&|`%`), then matched against the ones the
// syntax tree has; any other is an `.other` token, a syntax error when the
// parser reaches it. Comments: `--` to the end of the line, `/* */` nested.
//
// The first lexical error ends the stream with an `.error` token: the parser
// reports it when it reaches that token, so an earlier syntax error wins, as
// with PostgreSQL's lexer called by its parser one token at a time.

import MemFluxCore

struct Lexer {
    let bytes: UnsafeRawBufferPointer
    var pos = 0
    var tokens = ContiguousArray<Token>()
    /// Texts of the strings and quoted identifiers that had escapes, by token payload.
    var decoded: [String] = []
    /// The error the `.error` token stands for.
    var error: MemFluxError?
    /// Highest `$n`, or the number of `?`.
    var parameterCount = 0
    var usedQuestionMarks = false
    var usedDollarParameters = false

    static let maxParameter = 65535

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Lexes the whole statement; the last token is `.end` or `.error`.
    mutating func run() {
        tokens.reserveCapacity(bytes.count / 5 + 8)
        while true {
            let token = next()
            tokens.append(token)
            if token.kind == .end || token.kind == .error { return }
        }
    }

    // MARK: Character classes

    @inline(__always) static func isIdentifierStart(_ b: UInt8) -> Bool {
        (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") || b == UInt8(ascii: "_") || b >= 0x80
    }

    @inline(__always) static func isIdentifierContinue(_ b: UInt8) -> Bool {
        isIdentifierStart(b) || isDigit(b) || b == UInt8(ascii: "$")
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D)
    }

    /// PostgreSQL's operator characters, less `?` (a parameter here).
    @inline(__always) static func isOperatorCharacter(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "@"), UInt8(ascii: "#"), UInt8(ascii: "^"),
            UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "`"), UInt8(ascii: "+"), UInt8(ascii: "-"),
            UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"), UInt8(ascii: "<"), UInt8(ascii: ">"),
            UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }

    @inline(__always) func byte(_ i: Int) -> UInt8 { i < bytes.count ? bytes[i] : 0 }

    // MARK: Errors

    private mutating func fail(_ error: MemFluxError, at start: Int) -> Token {
        self.error = error
        return Token(.error, start: start, end: bytes.count)
    }

    /// `message at or near "<bytes start..<end>"`, a syntax error (42601).
    private mutating func fail(_ message: String, start: Int, end: Int) -> Token {
        fail(SourceLocation.near(.syntax, message, bytes, start: start, end: end), at: start)
    }

    // MARK: Tokens

    mutating func next() -> Token {
        let n = bytes.count
        // Whitespace and comments.
        while pos < n {
            let b = bytes[pos]
            if b == 0x20 {
                var i = pos + 1
                while i < n && bytes[i] == 0x20 { i += 1 }
                pos = i
            } else if Self.isWhitespace(b) {
                pos += 1
            } else if b == UInt8(ascii: "-") && byte(pos + 1) == UInt8(ascii: "-") {
                pos += 2
                while pos < n && bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
            } else if b == UInt8(ascii: "/") && byte(pos + 1) == UInt8(ascii: "*") {
                let start = pos
                var depth = 1
                pos += 2
                while depth > 0 {
                    guard pos < n else { return fail("unterminated /* comment", start: start, end: n) }
                    if bytes[pos] == UInt8(ascii: "*") && byte(pos + 1) == UInt8(ascii: "/") {
                        depth -= 1
                        pos += 2
                    } else if bytes[pos] == UInt8(ascii: "/") && byte(pos + 1) == UInt8(ascii: "*") {
                        depth += 1
                        pos += 2
                    } else {
                        pos += 1
                    }
                }
            } else {
                break
            }
        }
        let start = pos
        guard pos < n else { return Token(.end, start: n, end: n) }
        let b = bytes[pos]

        if Self.isIdentifierStart(b) {
            if b | 0x20 == UInt8(ascii: "e") && byte(pos + 1) == UInt8(ascii: "'") {
                return lexString(start: start, body: pos + 2, extended: true)
            }
            return lexIdentifier(start: start)
        }
        if Self.isDigit(b) || (b == UInt8(ascii: ".") && Self.isDigit(byte(pos + 1))) {
            return lexNumber(start: start)
        }
        switch b {
        case UInt8(ascii: "'"):
            return lexString(start: start, body: pos + 1, extended: false)
        case UInt8(ascii: "\""):
            return lexQuotedIdentifier(start: start)
        case UInt8(ascii: "$"):
            if Self.isDigit(byte(pos + 1)) { return lexDollarParameter(start: start) }
            return lexDollarString(start: start)
        case UInt8(ascii: "?"):
            pos += 1
            if usedDollarParameters { return fail("syntax error", start: start, end: pos) }
            usedQuestionMarks = true
            parameterCount += 1
            var token = Token(.parameter, start: start, end: pos)
            token.payload = parameterCount
            return token
        case UInt8(ascii: "("): return single(.leftParen)
        case UInt8(ascii: ")"): return single(.rightParen)
        case UInt8(ascii: "["): return single(.leftBracket)
        case UInt8(ascii: "]"): return single(.rightBracket)
        case UInt8(ascii: ","): return single(.comma)
        case UInt8(ascii: ";"): return single(.semicolon)
        case UInt8(ascii: "."):
            if byte(pos + 1) == UInt8(ascii: ".") {
                pos += 2
                return Token(.other, start: start, end: pos)
            }
            return single(.dot)
        case UInt8(ascii: ":"):
            if byte(pos + 1) == UInt8(ascii: ":") {
                pos += 2
                return Token(.doubleColon, start: start, end: pos)
            }
            if byte(pos + 1) == UInt8(ascii: "=") {
                pos += 2
                return Token(.other, start: start, end: pos)
            }
            return single(.colon)
        default:
            if Self.isOperatorCharacter(b) { return lexOperator(start: start) }
            // A stray character: PostgreSQL returns it as a token of its own, which no rule accepts.
            return single(.other)
        }
    }

    @inline(__always) private mutating func single(_ kind: TokenKind) -> Token {
        pos += 1
        return Token(kind, start: pos - 1, end: pos)
    }

    private mutating func lexIdentifier(start: Int) -> Token {
        let n = bytes.count
        var hasCapitals = false
        var ascii = true
        var key = KeywordKey()
        var i = pos
        while i < n {
            var b = bytes[i]
            guard Self.isIdentifierContinue(b) else { break }
            if b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") {
                hasCapitals = true
                b |= 0x20
            } else if b >= 0x80 {
                ascii = false
            }
            if i - start < KeywordKey.maxLength { key.add(b, at: i - start) }
            i += 1
        }
        pos = i
        var token = Token(.identifier, start: start, end: pos)
        if ascii { token.keyword = KeywordLookup.lookup(key, length: pos - start) }
        token.decoded = hasCapitals
        return token
    }

    private mutating func lexQuotedIdentifier(start: Int) -> Token {
        let n = bytes.count
        pos += 1
        var hasEscapes = false
        while true {
            guard pos < n else { return fail("unterminated quoted identifier", start: start, end: n) }
            if bytes[pos] == UInt8(ascii: "\"") {
                if byte(pos + 1) == UInt8(ascii: "\"") {
                    hasEscapes = true
                    pos += 2
                    continue
                }
                pos += 1
                break
            }
            pos += 1
        }
        if pos - start == 2 { return fail("zero-length delimited identifier", start: start, end: pos) }
        var token = Token(.quotedIdentifier, start: start, end: pos)
        if hasEscapes {
            var text = [UInt8]()
            text.reserveCapacity(pos - start - 2)
            var i = start + 1
            while i < pos - 1 {
                text.append(bytes[i])
                i += bytes[i] == UInt8(ascii: "\"") ? 2 : 1
            }
            token.decoded = true
            token.payload = decoded.count
            decoded.append(String(decoding: text, as: UTF8.self))
        }
        return token
    }

    /// Digits with single underscores between them (PostgreSQL 16); false when an underscore is misplaced.
    private mutating func skipDigits() -> Bool {
        let n = bytes.count
        while pos < n {
            let b = bytes[pos]
            if Self.isDigit(b) {
                pos += 1
            } else if b == UInt8(ascii: "_") {
                guard Self.isDigit(byte(pos + 1)), pos > 0, Self.isDigit(bytes[pos - 1]) else { return false }
                pos += 1
            } else {
                break
            }
        }
        return true
    }

    private mutating func lexNumber(start: Int) -> Token {
        var kind = TokenKind.integer
        var wellFormed = skipDigits()
        if wellFormed && byte(pos) == UInt8(ascii: ".") && byte(pos + 1) != UInt8(ascii: ".") {
            kind = .decimal
            pos += 1
            wellFormed = skipDigits()
        }
        if wellFormed && byte(pos) | 0x20 == UInt8(ascii: "e") {
            kind = .decimal
            var i = pos + 1
            if byte(i) == UInt8(ascii: "+") || byte(i) == UInt8(ascii: "-") { i += 1 }
            if Self.isDigit(byte(i)) {
                pos = i
                wellFormed = skipDigits()
            } else {
                // `1e`, `1e+`: PostgreSQL's realfail.
                pos = i
                wellFormed = false
            }
        }
        if !wellFormed || Self.isIdentifierStart(byte(pos)) {
            while pos < bytes.count && Self.isIdentifierContinue(bytes[pos]) { pos += 1 }
            return fail("trailing junk after numeric literal", start: start, end: pos)
        }
        return Token(kind, start: start, end: pos)
    }

    private mutating func lexDollarParameter(start: Int) -> Token {
        pos += 1
        var value = 0
        while pos < bytes.count && Self.isDigit(bytes[pos]) {
            value = min(value * 10 + Int(bytes[pos] &- UInt8(ascii: "0")), Int(Int32.max) + 1)
            pos += 1
        }
        if Self.isIdentifierStart(byte(pos)) {
            while pos < bytes.count && Self.isIdentifierContinue(bytes[pos]) { pos += 1 }
            return fail("trailing junk after parameter", start: start, end: pos)
        }
        if usedQuestionMarks { return fail("syntax error", start: start, end: pos) }
        if value > Self.maxParameter { return fail("parameter number too large", start: start, end: pos) }
        if value == 0 {
            return fail(SourceLocation.error(.err, "there is no parameter $0", bytes, at: start), at: start)
        }
        usedDollarParameters = true
        parameterCount = max(parameterCount, value)
        var token = Token(.parameter, start: start, end: pos)
        token.payload = value
        return token
    }

    /// `$tag$...$tag$` (the tag may be empty), or a lone `$`.
    private mutating func lexDollarString(start: Int) -> Token {
        let n = bytes.count
        var i = start + 1
        if i < n && Self.isIdentifierStart(bytes[i]) {
            i += 1
            while i < n && Self.isIdentifierContinue(bytes[i]) && bytes[i] != UInt8(ascii: "$") { i += 1 }
        }
        guard i < n && bytes[i] == UInt8(ascii: "$") else {
            pos = start + 1
            return Token(.other, start: start, end: pos)
        }
        let tagLength = i + 1 - start
        let body = i + 1
        var j = body
        while j < n {
            if bytes[j] == UInt8(ascii: "$") && j + tagLength <= n {
                var k = 1
                while k < tagLength && bytes[j + k] == bytes[start + k] { k += 1 }
                if k == tagLength {
                    pos = j + tagLength
                    var token = Token(.string, start: start, end: pos)
                    token.payload = body
                    token.payload2 = j
                    return token
                }
            }
            j += 1
        }
        return fail("unterminated dollar-quoted string", start: start, end: n)
    }

    /// After a closing quote at `i - 1`: the offset of the next literal's opening quote when only whitespace
    /// and `--` comments holding a newline lie between (PostgreSQL's quote continuation), else nil.
    private func continuation(after i: Int) -> Int? {
        let n = bytes.count
        var j = i
        var sawNewline = false
        while j < n {
            let b = bytes[j]
            if b == UInt8(ascii: "\n") {
                sawNewline = true
            } else if b == UInt8(ascii: "-") && byte(j + 1) == UInt8(ascii: "-") {
                while j < n && bytes[j] != UInt8(ascii: "\n") { j += 1 }
                continue
            } else if !Self.isWhitespace(b) {
                break
            }
            j += 1
        }
        return sawNewline && j < n && bytes[j] == UInt8(ascii: "'") ? j : nil
    }

    private mutating func lexString(start: Int, body: Int, extended: Bool) -> Token {
        let n = bytes.count
        var i = body
        var segment = body
        var buffer: [UInt8]? = nil
        var validate = false
        while true {
            guard i < n else { return fail("unterminated quoted string", start: start, end: n) }
            let b = bytes[i]
            if b == UInt8(ascii: "'") {
                if byte(i + 1) == UInt8(ascii: "'") {
                    append(&buffer, segment, i + 1)
                    i += 2
                    segment = i
                    continue
                }
                if let next = continuation(after: i + 1) {
                    append(&buffer, segment, i)
                    i = next + 1
                    segment = i
                    continue
                }
                pos = i + 1
                var token = Token(.string, start: start, end: pos)
                guard buffer != nil else {
                    token.payload = body
                    token.payload2 = i
                    return token
                }
                append(&buffer, segment, i)
                if validate, let bad = Self.invalidUTF8(buffer!) {
                    let length = Self.sequenceLength(buffer![bad])
                    let shown = buffer![bad..<min(buffer!.count, bad + length)]
                    let hex = shown.map { "0x" + String($0, radix: 16) }.joined(separator: " ")
                    return fail(SourceLocation.error(.err, "invalid byte sequence for encoding \"UTF8\": \(hex)", bytes, at: start), at: start)
                }
                token.decoded = true
                token.payload = decoded.count
                decoded.append(String(decoding: buffer!, as: UTF8.self))
                return token
            }
            if b == UInt8(ascii: "\\") && extended {
                append(&buffer, segment, i)
                switch unescape(at: i, into: &buffer!) {
                case .success(let (next, needsValidation)):
                    i = next
                    validate = validate || needsValidation
                case .failure(let error):
                    return fail(error, at: start)
                }
                segment = i
                continue
            }
            i += 1
        }
    }

    @inline(__always) private func append(_ buffer: inout [UInt8]?, _ from: Int, _ to: Int) {
        if buffer == nil {
            buffer = []
            buffer!.reserveCapacity(to - from + 16)
        }
        buffer!.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[from..<to]))
    }

    @inline(__always) private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// One backslash escape of an `E'...'` string at `i`: the offset after it, and whether it wrote raw bytes
    /// (octal or hex) that must be checked as UTF-8.
    private func unescape(at i: Int, into out: inout [UInt8]) -> Result<(Int, Bool), MemFluxError> {
        let n = bytes.count
        guard i + 1 < n else { return .success((i + 1, false)) }  // the unterminated-string check follows
        let c = bytes[i + 1]
        switch c {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var value: UInt32 = 0
            var j = i + 1
            while j < n && j < i + 4 && bytes[j] >= UInt8(ascii: "0") && bytes[j] <= UInt8(ascii: "7") {
                value = value * 8 + UInt32(bytes[j] - UInt8(ascii: "0"))
                j += 1
            }
            out.append(UInt8(truncatingIfNeeded: value))
            return .success((j, true))
        case UInt8(ascii: "x"):
            var j = i + 2
            var value: UInt32 = 0
            while j < n && j < i + 4, let digit = Self.hexValue(bytes[j]) {
                value = value * 16 + digit
                j += 1
            }
            if j == i + 2 {
                out.append(c)  // `\x` without digits is an `x`
                return .success((i + 2, false))
            }
            out.append(UInt8(value))
            return .success((j, true))
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            guard let (first, afterFirst) = unicodeEscape(at: i) else {
                return .failure(SourceLocation.error(.err, "invalid Unicode escape", bytes, at: i))
            }
            var scalar = first
            var next = afterFirst
            if first >= 0xD800 && first <= 0xDBFF {
                guard next < n, bytes[next] == UInt8(ascii: "\\"), let (second, afterSecond) = unicodeEscape(at: next),
                    second >= 0xDC00 && second <= 0xDFFF
                else {
                    return .failure(SourceLocation.near(.syntax, "invalid Unicode surrogate pair", bytes, start: next, end: min(n, next + 1)))
                }
                scalar = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                next = afterSecond
            } else if first >= 0xDC00 && first <= 0xDFFF {
                return .failure(SourceLocation.near(.syntax, "invalid Unicode surrogate pair", bytes, start: i, end: afterFirst))
            }
            guard scalar != 0, let unicode = Unicode.Scalar(scalar) else {
                return .failure(SourceLocation.near(.syntax, "invalid Unicode escape value", bytes, start: i, end: next))
            }
            out.append(contentsOf: String(Character(unicode)).utf8)
            return .success((next, false))
        default:
            // `\'`, `\\` and any other character stand for themselves; copy a whole UTF-8 sequence.
            out.append(c)
            return .success((i + 2, false))
        }
        return .success((i + 2, false))
    }

    /// `\uXXXX` or `\UXXXXXXXX` at `i` (the backslash): the code point and the offset after it.
    private func unicodeEscape(at i: Int) -> (UInt32, Int)? {
        guard i + 1 < bytes.count else { return nil }
        let digits: Int
        switch bytes[i + 1] {
        case UInt8(ascii: "u"): digits = 4
        case UInt8(ascii: "U"): digits = 8
        default: return nil
        }
        guard i + 2 + digits <= bytes.count else { return nil }
        var value: UInt32 = 0
        for j in (i + 2)..<(i + 2 + digits) {
            guard let digit = Self.hexValue(bytes[j]) else { return nil }
            value = value &* 16 &+ digit
        }
        return (value, i + 2 + digits)
    }

    /// How many bytes PostgreSQL shows for a bad sequence starting with `b`.
    static func sequenceLength(_ b: UInt8) -> Int {
        if b & 0xE0 == 0xC0 { return 2 }
        if b & 0xF0 == 0xE0 { return 3 }
        if b & 0xF8 == 0xF0 { return 4 }
        return 1
    }

    /// Index of the first byte that does not start a valid UTF-8 sequence (NUL counts as invalid), or nil.
    static func invalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0 { return i }
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var minimum: UInt32
            var value: UInt32
            if b & 0xE0 == 0xC0 {
                length = 2; minimum = 0x80; value = UInt32(b & 0x1F)
            } else if b & 0xF0 == 0xE0 {
                length = 3; minimum = 0x800; value = UInt32(b & 0x0F)
            } else if b & 0xF8 == 0xF0 {
                length = 4; minimum = 0x10000; value = UInt32(b & 0x07)
            } else {
                return i
            }
            guard i + length <= n else { return i }
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return i }
                value = value << 6 | UInt32(c & 0x3F)
            }
            if value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF) { return i }
            i += length
        }
        return nil
    }

    private mutating func lexOperator(start: Int) -> Token {
        let n = bytes.count
        var end = start
        var hasSpecial = false
        while end < n && Self.isOperatorCharacter(bytes[end]) {
            let b = bytes[end]
            if end > start {
                if b == UInt8(ascii: "-") && bytes[end - 1] == UInt8(ascii: "-") { end -= 1; break }
                if b == UInt8(ascii: "*") && bytes[end - 1] == UInt8(ascii: "/") { end -= 1; break }
            }
            end += 1
        }
        var i = start
        while i < end {
            switch bytes[i] {
            case UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "@"), UInt8(ascii: "#"), UInt8(ascii: "^"),
                UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "`"), UInt8(ascii: "%"):
                hasSpecial = true
            default: break
            }
            i += 1
        }
        if !hasSpecial {
            while end - start > 1 && (bytes[end - 1] == UInt8(ascii: "+") || bytes[end - 1] == UInt8(ascii: "-")) { end -= 1 }
        }
        pos = end
        let length = end - start
        let c0 = bytes[start]
        let c1 = length > 1 ? bytes[start + 1] : 0
        let c2 = length > 2 ? bytes[start + 2] : 0
        let kind: TokenKind
        switch length {
        case 1:
            switch c0 {
            case UInt8(ascii: "+"): kind = .plus
            case UInt8(ascii: "-"): kind = .minus
            case UInt8(ascii: "*"): kind = .star
            case UInt8(ascii: "/"): kind = .slash
            case UInt8(ascii: "%"): kind = .percent
            case UInt8(ascii: "^"): kind = .caret
            case UInt8(ascii: "<"): kind = .less
            case UInt8(ascii: ">"): kind = .greater
            case UInt8(ascii: "="): kind = .equal
            case UInt8(ascii: "~"): kind = .tilde
            default: kind = .other
            }
        case 2:
            switch (c0, c1) {
            case (UInt8(ascii: "<"), UInt8(ascii: "=")): kind = .lessOrEqual
            case (UInt8(ascii: ">"), UInt8(ascii: "=")): kind = .greaterOrEqual
            case (UInt8(ascii: "<"), UInt8(ascii: ">")), (UInt8(ascii: "!"), UInt8(ascii: "=")): kind = .notEqual
            case (UInt8(ascii: "|"), UInt8(ascii: "|")): kind = .concat
            case (UInt8(ascii: "-"), UInt8(ascii: ">")): kind = .arrow
            case (UInt8(ascii: "#"), UInt8(ascii: ">")): kind = .hashArrow
            case (UInt8(ascii: "@"), UInt8(ascii: ">")): kind = .contains
            case (UInt8(ascii: "<"), UInt8(ascii: "@")): kind = .containedBy
            case (UInt8(ascii: "~"), UInt8(ascii: "*")): kind = .tildeStar
            case (UInt8(ascii: "!"), UInt8(ascii: "~")): kind = .notTilde
            default: kind = .other
            }
        case 3:
            switch (c0, c1, c2) {
            case (UInt8(ascii: "-"), UInt8(ascii: ">"), UInt8(ascii: ">")): kind = .arrowText
            case (UInt8(ascii: "#"), UInt8(ascii: ">"), UInt8(ascii: ">")): kind = .hashArrowText
            case (UInt8(ascii: "!"), UInt8(ascii: "~"), UInt8(ascii: "*")): kind = .notTildeStar
            default: kind = .other
            }
        default:
            kind = .other
        }
        return Token(kind, start: start, end: end)
    }
}
