// The digits PostgreSQL's float8out/float4out choose, from the stdlib's.
//
// Both pick the shortest decimal that reads back as the value, and the one
// nearest the value among those. They differ on one point: PostgreSQL builds
// ryu without STRICTLY_SHORTEST, so a decimal lying exactly on the boundary
// of the value's rounding interval (the midpoint to a neighbouring float)
// is never accepted, while the stdlib accepts it when the boundary rounds to
// the value (ties to even). So 1e23 prints as `9.999999999999999e+22` in
// PostgreSQL and `1e+23` in Swift; 5.6097888e+07::real likewise.
//
// A decimal D x 10^k can only be such a midpoint when it is a short binary
// fraction: for k < 0, 5^-k must divide D; for k >= 0, the value must be at
// least 2^(p-1), where midpoints are integers. Only those rare candidates are
// checked, exactly (SQLNumeric), and then replaced by the shortest
// correctly rounded decimal strictly inside the interval, as ryu finds it.

enum ShortestDigits {
    /// Digits d1...dn (ASCII, no trailing zeros) and the exponent of 0.d1...dn x 10^e.
    static func postgres(
        shortest: String, exact value: Double, below: Double, above: Double?, significandBits: Int, maxDigits: Int
    ) -> (digits: [UInt8], pointExponent: Int) {
        var text = shortest
        var digits = [UInt8](repeating: 0, count: 32)
        let (count, pointExponent) = text.withUTF8 { utf8 in
            digits.withUnsafeMutableBufferPointer { JSONPrinter.decimalDigits(of: utf8, into: $0) }
        }
        let significant = Array(digits[0..<count])
        guard mayBeMidpoint(significant, exponent: pointExponent - count, value: value, significandBits: significandBits),
              let exact = SQLNumeric(exactly: value), let lower = midpoint(exact, below)
        else { return (significant, pointExponent) }
        // The largest float has no neighbour above: nothing there is a boundary.
        let upper = above.flatMap { midpoint(exact, $0) } ?? beyondEveryFloat
        let candidate = decimal(significant, exponent: pointExponent - count)
        guard candidate == lower || candidate == upper else { return (significant, pointExponent) }
        func inside(_ x: SQLNumeric) -> Bool { x > lower && x < upper }
        let totalDigits = NumericMagnitude.digitCount(exact.limbs)
        for length in count...maxDigits {
            guard let rounded = try? exact.roundedHalfEven(scale: exact.scale - (totalDigits - length)) else { break }
            if inside(rounded) { return digitsAndExponent(rounded) }
            // Rounded onto the excluded lower boundary: ryu takes the next decimal up.
            if rounded == lower, let next = try? rounded.adding(unit(of: rounded, length: length)), inside(next) {
                return digitsAndExponent(next)
            }
        }
        return (significant, pointExponent)
    }

    private static let powersOfFive: [UInt64] = (0...27).map { k in (0..<k).reduce(UInt64(1)) { power, _ in power * 5 } }

    private static func mayBeMidpoint(_ digits: [UInt8], exponent k: Int, value: Double, significandBits: Int) -> Bool {
        if k >= 0 { return value >= Double(sign: .plus, exponent: significandBits - 1, significand: 1) }
        guard -k < powersOfFive.count, digits.count <= 19 else { return false }
        var d: UInt64 = 0
        for digit in digits { d = d * 10 + UInt64(digit - UInt8(ascii: "0")) }
        return d % powersOfFive[-k] == 0
    }

    private static let beyondEveryFloat = SQLNumeric(isNegative: false, limbs: NumericMagnitude.powerOfTen(400), scale: 0)

    /// digits x 10^k as a numeric.
    private static func decimal(_ digits: [UInt8], exponent k: Int) -> SQLNumeric {
        let limbs = NumericMagnitude.fromDecimalDigits(digits[...])
        if k >= 0 { return SQLNumeric(isNegative: false, limbs: NumericMagnitude.shiftedUp(limbs, by: k), scale: 0) }
        return SQLNumeric(isNegative: false, limbs: limbs, scale: -k)
    }

    /// The exact midpoint between `exact` and the neighbouring float `neighbour`.
    private static func midpoint(_ exact: SQLNumeric, _ neighbour: Double) -> SQLNumeric? {
        guard let other = SQLNumeric(exactly: neighbour) else { return nil }
        let half = SQLNumeric(isNegative: false, limbs: [5], scale: 1)
        return try? exact.adding(other).multiplying(half)
    }

    /// One unit in the last of `length` significant digits of `value`.
    private static func unit(of value: SQLNumeric, length: Int) -> SQLNumeric {
        let position = value.leadingDigitExponent - length  // exponent of the last kept digit
        return position >= 0
            ? SQLNumeric(isNegative: false, limbs: NumericMagnitude.powerOfTen(position), scale: 0)
            : SQLNumeric(isNegative: false, limbs: [1], scale: -position)
    }

    private static func digitsAndExponent(_ value: SQLNumeric) -> (digits: [UInt8], pointExponent: Int) {
        var digits = [UInt8]()
        NumericMagnitude.decimalDigits(value.limbs, into: &digits)
        while digits.count > 1 && digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, value.leadingDigitExponent)
    }
}
