// NUMERIC's text forms, as PostgreSQL's numeric_in and numeric_out read and
// write them.
//
// Input: optional whitespace, sign, digits with at most one point (at least
// one digit), an optional exponent (`e`/`E`, sign, digits), whitespace.
// The scale is the digits written after the point less the exponent, never
// below zero: `1.50e1` is 15.0, `1e5` is 100000, `1.5e-3` is 0.0015.
// The special values are spelled as float8in spells them, in any case:
// `NaN`, `Infinity`, `inf`, each infinity with an optional sign. Leading
// zeros are skipped as they are read, so an input's cost is linear and only
// its significant digits are kept (and those are bounded by the overflow
// check).
//
// Output keeps the scale (`1.50`), never uses an exponent, prints zero
// without a sign, and the special values as `NaN`, `Infinity`, `-Infinity`.

extension SQLNumeric {
    /// PostgreSQL's numeric input. Nil for bad syntax (the caller names the
    /// type in its message: `invalid input syntax for type numeric: "x"`).
    ///
    ///     try SQLNumeric.parse(" -1.50 ")?.description   // "-1.50"
    ///     try SQLNumeric.parse("1e-3")?.description      // "0.001"
    ///     try SQLNumeric.parse("abc")                     // nil
    ///
    /// - Throws: `value overflows numeric format` past 131072 digits before
    ///   the point or 16383 after.
    /// - Complexity: O(n) in the length of the text.
    public static func parse(_ text: Substring) throws(MemFluxError) -> SQLNumeric? {
        var text = text
        return try text.withUTF8 { bytes in
            Result { () throws(MemFluxError) in try parse(bytes) }
        }.get()
    }

    /// As `parse(_: Substring)`, over UTF-8 bytes.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(MemFluxError) -> SQLNumeric? {
        var i = 0
        let n = bytes.count
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        while i < n && isSpace(bytes[i]) { i += 1 }
        if let (special, length) = specialPrefix(bytes, at: i) {
            i += length
            while i < n && isSpace(bytes[i]) { i += 1 }
            return i == n ? special : nil
        }
        var negative = false
        if i < n && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        // Significant digits (from the first nonzero), and how many digits followed the point.
        var digits = [UInt8]()
        var fractionDigits = 0
        var sawDigit = false
        var sawPoint = false
        while i < n {
            let c = bytes[i]
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                sawDigit = true
                if sawPoint { fractionDigits += 1 }
                if c != UInt8(ascii: "0") || !digits.isEmpty {
                    digits.append(c)
                    if digits.count > maxIntegerDigits + maxScale { throw overflowError }
                }
            } else if c == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            i += 1
        }
        guard sawDigit else { return nil }
        var exponent = 0
        if i < n && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            var exponentNegative = false
            if i < n && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            let start = i
            var tooLarge = false
            while i < n && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") {
                if exponent < exponentLimit { exponent = exponent * 10 + Int(bytes[i] - UInt8(ascii: "0")) }
                if exponent >= exponentLimit { tooLarge = true }
                i += 1
            }
            guard i > start else { return nil }
            // PostgreSQL's own cut-off (INT_MAX / 2), past which it reports overflow outright.
            if tooLarge { throw overflowError }
            if exponentNegative { exponent = -exponent }
        }
        while i < n && isSpace(bytes[i]) { i += 1 }
        guard i == n else { return nil }

        // value = digits * 10^(exponent - fractionDigits)
        let shift = exponent - fractionDigits
        let scale = max(0, -shift)
        if scale > maxScale { throw overflowError }
        if !digits.isEmpty && digits.count + shift > maxIntegerDigits { throw overflowError }
        var limbs = NumericMagnitude.fromDecimalDigits(digits[...])
        if shift > 0 { limbs = NumericMagnitude.shiftedUp(limbs, by: shift) }
        return SQLNumeric(isNegative: negative, limbs: limbs, scale: scale)
    }

    private static let exponentLimit = 1_073_741_823

    /// numeric_in's spellings of the special values, tried in its order (so
    /// `Infinity` wins over its prefix `inf`), compared without case.
    private static let specialSpellings: [(text: [UInt8], value: SQLNumeric)] = [
        (Array("nan".utf8), .nan), (Array("infinity".utf8), .infinity), (Array("+infinity".utf8), .infinity),
        (Array("-infinity".utf8), .negativeInfinity), (Array("inf".utf8), .infinity), (Array("+inf".utf8), .infinity),
        (Array("-inf".utf8), .negativeInfinity),
    ]

    /// The special value spelled at `start`, and the spelling's length.
    private static func specialPrefix(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (SQLNumeric, Int)? {
        spellings: for (text, value) in specialSpellings where bytes.count - start >= text.count {
            for (k, expected) in text.enumerated() {
                let c = bytes[start + k]
                // ASCII lower case: letters gain 0x20, signs are compared as they are.
                let lowered = c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c | 0x20 : c
                if lowered != expected { continue spellings }
            }
            return (value, text.count)
        }
        return nil
    }

    /// The text as PostgreSQL prints it: every digit of the scale, no exponent.
    ///
    ///     SQLNumeric.parse("1.50")?.description   // "1.50"
    ///     SQLNumeric.parse("-0.00")?.description  // "0.00"
    public var description: String {
        var out = [UInt8]()
        appendText(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `description`'s bytes.
    public func appendText(to out: inout [UInt8]) {
        switch kind {
        case .finite: break
        case .nan: return out.append(contentsOf: "NaN".utf8)
        case .infinity: return out.append(contentsOf: "Infinity".utf8)
        case .negativeInfinity: return out.append(contentsOf: "-Infinity".utf8)
        }
        var digits = [UInt8]()
        NumericMagnitude.decimalDigits(limbs, into: &digits)
        if isNegative { out.append(UInt8(ascii: "-")) }
        let integerDigits = digits.count - scale
        if integerDigits > 0 {
            out.append(contentsOf: digits[0..<integerDigits])
        } else {
            out.append(UInt8(ascii: "0"))
        }
        guard scale > 0 else { return }
        out.append(UInt8(ascii: "."))
        if integerDigits < 0 {
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -integerDigits))
            out.append(contentsOf: digits)
        } else {
            out.append(contentsOf: digits[integerDigits...])
        }
    }
}

extension SQLNumeric: CustomStringConvertible {}
