// Casts to and from text: the character types' length rules, and the input
// functions for integers, booleans, bytea and uuid, each with PostgreSQL's
// accepted forms and messages. (Numeric, float and date/time input live with
// their types: SQLNumeric+Text, SQLFloatText, SQLDateTime+Parse.)

extension SQLCast {
    // MARK: - text, varchar(n), char(n)

    static func toText(_ value: SQLValue, from source: SQLType, to target: SQLType, explicit: Bool) throws(MemFluxError) -> String {
        var text: String
        if case .text(let string) = value {
            // bpchar → text drops the padding.
            if case .char = source { text = trimmingTrailingSpaces(string) } else { text = string }
        } else {
            text = value.text(type: source)
        }
        switch target {
        case .varchar(let length?):
            text = try fitted(text, length: length, explicit: explicit, type: target)
        case .char(let declared):
            let length = declared ?? 1
            text = try fitted(text, length: length, explicit: explicit, type: target)
            let count = text.unicodeScalars.count
            if count < length { text += String(repeating: " ", count: length - count) }
        default:
            break
        }
        return text
    }

    /// At most `length` characters: an explicit cast cuts the rest, an
    /// assignment may only cut spaces (`value too long for type character varying(3)`).
    private static func fitted(_ text: String, length: Int, explicit: Bool, type: SQLType) throws(MemFluxError) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > length else { return text }
        let cut = scalars.index(scalars.startIndex, offsetBy: max(length, 0))
        if !explicit && !scalars[cut...].allSatisfy({ $0 == " " }) {
            throw MemFluxError(.err, "value too long for type \(type.postgresName)")
        }
        return String(scalars[..<cut])
    }

    package static func trimmingTrailingSpaces(_ text: String) -> String {
        var scalars = text.unicodeScalars[...]
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }

    // MARK: - integers

    /// int2in/int4in/int8in: spaces around, a sign, decimal digits; `target`
    /// is smallint, integer or bigint (its range is checked).
    public static func parseInteger(_ text: String, _ target: SQLType) throws(MemFluxError) -> Int64 {
        var utf8 = text
        let parsed = utf8.withUTF8(integerDigits)
        let outOfRange = { MemFluxError(.err, "value \"\(text)\" is out of range for type \(target.postgresName)") }
        switch parsed {
        case .invalid: throw invalidSyntax(text[...], target)
        case .overflow: throw outOfRange()
        case .value(let value):
            do {
                return try checkRange(value, target)
            } catch {
                throw outOfRange()
            }
        }
    }

    private enum ParsedInteger { case value(Int64), overflow, invalid }

    /// int8in's grammar: spaces, an optional sign, decimal digits, spaces.
    private static func integerDigits(_ bytes: UnsafeBufferPointer<UInt8>) -> ParsedInteger {
        var i = 0
        while i < bytes.count && isSpace(bytes[i]) { i += 1 }
        var negative = false
        if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        // Accumulated negatively so Int64.min is reachable.
        var value: Int64 = 0
        var digits = 0
        var overflow = false
        while i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(Int64(bytes[i] - UInt8(ascii: "0")))
            if o1 || o2 { overflow = true } else { value = next }
            digits += 1
            i += 1
        }
        while i < bytes.count && isSpace(bytes[i]) { i += 1 }
        guard digits > 0 && i == bytes.count else { return .invalid }
        if overflow { return .overflow }
        if !negative {
            guard value != Int64.min else { return .overflow }
            value = -value
        }
        return .value(value)
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    // MARK: - booleans

    /// boolin: spaces around; t/true, f/false, y/yes, n/no (any unique prefix),
    /// on/off (two letters at least), 1/0; any case.
    static func parseBoolean(_ text: Substring) -> Bool? {
        var bytes = Array(text.utf8)[...]
        while let first = bytes.first, isSpace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isSpace(last) { bytes = bytes.dropLast() }
        let word = bytes.map { $0 | 0x20 }
        func isPrefix(of full: String, minimum: Int = 1) -> Bool {
            word.count >= minimum && word.count <= full.utf8.count && full.utf8.starts(with: word)
        }
        guard let first = bytes.first else { return nil }
        switch first | 0x20 {
        case UInt8(ascii: "t"): return isPrefix(of: "true") ? true : nil
        case UInt8(ascii: "f"): return isPrefix(of: "false") ? false : nil
        case UInt8(ascii: "y"): return isPrefix(of: "yes") ? true : nil
        case UInt8(ascii: "n"): return isPrefix(of: "no") ? false : nil
        case UInt8(ascii: "o"):
            if isPrefix(of: "on", minimum: 2) { return true }
            return isPrefix(of: "off", minimum: 2) ? false : nil
        case UInt8(ascii: "1"): return word.count == 1 ? true : nil
        case UInt8(ascii: "0"): return word.count == 1 ? false : nil
        default: return nil
        }
    }

    // MARK: - bytea

    static func toBytes(_ value: SQLValue, from source: SQLType) throws(MemFluxError) -> [UInt8] {
        switch value {
        case .bytes(let bytes): return bytes
        case .text(let text): return try parseBytea(text)
        default: throw cannotCast(value, from: source, to: .bytea)
        }
    }

    /// byteain: `\x` then hex digit pairs (white space between pairs), or the
    /// escape format (`\\` for a backslash, `\ooo` octal, other bytes as they are).
    static func parseBytea(_ text: String) throws(MemFluxError) -> [UInt8] {
        let input = Array(text.utf8)
        var out = [UInt8]()
        if input.count >= 2 && input[0] == UInt8(ascii: "\\") && input[1] == UInt8(ascii: "x") {
            out.reserveCapacity((input.count - 2) / 2)
            var i = 2
            while i < input.count {
                let c = input[i]
                if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                    i += 1
                    continue
                }
                guard let high = hexValue(c) else { throw invalidHexDigit(c) }
                guard i + 1 < input.count else { throw MemFluxError(.err, "invalid hexadecimal data: odd number of digits") }
                guard let low = hexValue(input[i + 1]) else { throw invalidHexDigit(input[i + 1]) }
                out.append(high << 4 | low)
                i += 2
            }
            return out
        }
        var i = 0
        while i < input.count {
            let c = input[i]
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                i += 1
                continue
            }
            if i + 1 < input.count && input[i + 1] == UInt8(ascii: "\\") {
                out.append(c)
                i += 2
            } else if let octal = octalByte(input, at: i + 1) {
                out.append(octal)
                i += 4
            } else {
                throw MemFluxError(.err, "invalid input syntax for type bytea")
            }
        }
        return out
    }

    /// Three octal digits `[0-3][0-7][0-7]` at `start`, as one byte.
    private static func octalByte(_ input: [UInt8], at start: Int) -> UInt8? {
        guard start + 3 <= input.count else { return nil }
        let (a, b, c) = (input[start], input[start + 1], input[start + 2])
        guard a >= UInt8(ascii: "0") && a <= UInt8(ascii: "3"),
              b >= UInt8(ascii: "0") && b <= UInt8(ascii: "7"),
              c >= UInt8(ascii: "0") && c <= UInt8(ascii: "7") else { return nil }
        return (a - UInt8(ascii: "0")) << 6 | (b - UInt8(ascii: "0")) << 3 | (c - UInt8(ascii: "0"))
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func invalidHexDigit(_ c: UInt8) -> MemFluxError {
        MemFluxError(.err, "invalid hexadecimal digit: \"\(String(decoding: [c], as: UTF8.self))\"")
    }

    // MARK: - uuid

    static func toUUID(_ value: SQLValue, from source: SQLType) throws(MemFluxError) -> SQLUUID {
        switch value {
        case .uuid(let uuid): return uuid
        case .text(let text):
            guard let uuid = parseUUID(text) else { throw invalidSyntax(text[...], .uuid) }
            return uuid
        default: throw cannotCast(value, from: source, to: .uuid)
        }
    }

    /// uuid_in: 32 hex digits in any case, a hyphen allowed after any group of
    /// four (never last), the whole optionally in braces; no spaces.
    public static func parseUUID(_ text: String) -> SQLUUID? {
        let input = Array(text.utf8)
        var i = 0
        let braced = input.first == UInt8(ascii: "{")
        if braced { i = 1 }
        var high: UInt64 = 0, low: UInt64 = 0
        for byteIndex in 0..<16 {
            guard i + 1 < input.count, let a = hexValue(input[i]), let b = hexValue(input[i + 1]) else { return nil }
            let byte = UInt64(a << 4 | b)
            if byteIndex < 8 { high = high << 8 | byte } else { low = low << 8 | byte }
            i += 2
            if byteIndex % 2 == 1 && byteIndex < 15 && i < input.count && input[i] == UInt8(ascii: "-") { i += 1 }
        }
        if braced {
            guard i < input.count && input[i] == UInt8(ascii: "}") else { return nil }
            i += 1
        }
        return i == input.count ? SQLUUID(high: high, low: low) : nil
    }
}
