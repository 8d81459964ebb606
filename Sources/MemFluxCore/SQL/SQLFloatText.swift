// Doubles and reals as PostgreSQL prints and reads them (float8out/float4out,
// float8in/float4in).
//
// Output: the shortest digits that read back as the same value (PostgreSQL
// 12+ uses ryu; the stdlib's `description` gives the same digits except on
// an interval boundary, see ShortestDigits), laid out
// as PostgreSQL's to_chars does: fixed notation while the decimal point sits
// within -4 < exponent <= 15 (6 for real), else `d.ddde+XX` with at least two
// exponent digits. `0.1`, `1e+20`, `1e-05`, `100000000000000`, `-0`,
// `Infinity`, `-Infinity`, `NaN`.
//
// Input: spaces around, `NaN`, `Infinity`/`inf` with a sign, in any case,
// then decimal or hexadecimal (`0x10`) as strtod reads them; a value that
// overflows, or underflows to zero, is `"1e400" is out of range for type
// double precision`.

enum SQLFloatText {
    /// Appends a double's text as float8out prints it.
    static func appendDouble(_ value: Double, to out: inout [UInt8]) {
        guard appendSignOrWhole(value, to: &out) else { return }
        let magnitude = value.magnitude
        let (digits, pointExponent) = ShortestDigits.postgres(
            shortest: magnitude.description, exact: magnitude, below: magnitude.nextDown,
            above: magnitude.nextUp.isFinite ? magnitude.nextUp : nil, significandBits: 53, maxDigits: 17)
        layOut(digits, pointExponent: pointExponent, fixedLimit: 15, to: &out)
    }

    /// Appends a real's text as float4out prints it (the shortest digits of the Float).
    static func appendReal(_ value: Float, to out: inout [UInt8]) {
        guard appendSignOrWhole(value, to: &out) else { return }
        let magnitude = value.magnitude
        let (digits, pointExponent) = ShortestDigits.postgres(
            shortest: magnitude.description, exact: Double(magnitude), below: Double(magnitude.nextDown),
            above: magnitude.nextUp.isFinite ? Double(magnitude.nextUp) : nil, significandBits: 24, maxDigits: 9)
        layOut(digits, pointExponent: pointExponent, fixedLimit: 6, to: &out)
    }

    /// Appends the whole text of NaN, an infinity or a zero (false: done),
    /// else the sign of a finite non-zero value (true: its digits follow).
    private static func appendSignOrWhole<F: BinaryFloatingPoint>(_ value: F, to out: inout [UInt8]) -> Bool {
        guard value.isFinite else {
            appendNonFinite(isNaN: value.isNaN, negative: value < 0, to: &out)
            return false
        }
        if value.sign == .minus { out.append(UInt8(ascii: "-")) }
        guard value != 0 else {
            out.append(UInt8(ascii: "0"))
            return false
        }
        return true
    }

    private static func appendNonFinite(isNaN: Bool, negative: Bool, to out: inout [UInt8]) {
        if isNaN {
            out.append(contentsOf: "NaN".utf8)
        } else {
            out.append(contentsOf: (negative ? "-Infinity" : "Infinity").utf8)
        }
    }

    /// Digits d1...dn of the value 0.d1...dn x 10^pointExponent, in fixed or scientific notation.
    private static func layOut(_ significant: [UInt8], pointExponent: Int, fixedLimit: Int, to out: inout [UInt8]) {
        let count = significant.count
        if pointExponent > -4 && pointExponent <= fixedLimit {
            if pointExponent <= 0 {
                out.append(contentsOf: "0.".utf8)
                out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -pointExponent))
                out.append(contentsOf: significant)
            } else if pointExponent >= count {
                out.append(contentsOf: significant)
                out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: pointExponent - count))
            } else {
                out.append(contentsOf: significant[0..<pointExponent])
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: significant[pointExponent...])
            }
            return
        }
        out.append(significant[0])
        if count > 1 {
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: significant[1...])
        }
        let exponent = pointExponent - 1
        out.append(UInt8(ascii: "e"))
        out.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        if exponent.magnitude < 10 { out.append(UInt8(ascii: "0")) }
        SQLValue.appendInteger(Int64(exponent.magnitude), to: &out)
    }

    /// float8in: nil for bad syntax, with `outOfRange` set when the text is a
    /// number the double range cannot hold (the caller words both errors).
    static func parseDouble(_ text: Substring) -> (value: Double?, outOfRange: Bool) {
        var trimmed = text[...]
        while let first = trimmed.utf8.first, first == 0x20 || (first >= 0x09 && first <= 0x0D) { trimmed = trimmed.dropFirst() }
        while let last = trimmed.utf8.last, last == 0x20 || (last >= 0x09 && last <= 0x0D) { trimmed = trimmed.dropLast() }
        var body = trimmed
        var negative = false
        if let sign = body.utf8.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "nan": return (.nan, false)
        case "inf", "infinity": return (negative ? -.infinity : .infinity, false)
        default: break
        }
        // strtod's grammar minus what Double(String) accepts beyond it (nan(...), "infinity" spellings handled above).
        guard let firstByte = body.utf8.first,
              (firstByte >= UInt8(ascii: "0") && firstByte <= UInt8(ascii: "9")) || firstByte == UInt8(ascii: "."),
              body.utf8.allSatisfy({ c in
                  (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: ".") || c == UInt8(ascii: "+")
                      || c == UInt8(ascii: "-") || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "f"))
                      || c | 0x20 == UInt8(ascii: "x") || c | 0x20 == UInt8(ascii: "p")
              }),
              let magnitude = Double(body)
        else { return (nil, false) }
        if magnitude.isInfinite { return (nil, true) }
        if magnitude == 0 && !isZeroMantissa(body) { return (nil, true) }
        return (negative ? -magnitude : magnitude, false)
    }

    /// True when the digits before any exponent are all zero (`0e5`, `0.000`): zero written as zero.
    private static func isZeroMantissa(_ body: Substring) -> Bool {
        let isHex = body.utf8.count > 1 && body.utf8.dropFirst().first.map { $0 | 0x20 == UInt8(ascii: "x") } == true
        let mantissa = isHex ? body.dropFirst(2).prefix { $0 != "p" && $0 != "P" } : body.prefix { $0 != "e" && $0 != "E" }
        return !mantissa.utf8.contains { c in
            if isHex { return c != UInt8(ascii: "0") && c != UInt8(ascii: ".") }
            return c >= UInt8(ascii: "1") && c <= UInt8(ascii: "9")
        }
    }
}
