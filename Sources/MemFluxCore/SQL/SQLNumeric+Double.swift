// Conversions between NUMERIC and binary doubles.
//
// NaN and the infinities map to the numeric special values both ways, as
// float8_numeric and numeric_float8 map them in PostgreSQL 14+. Three ways
// in, for three jobs:
// - `init?(exactly:)`: the double's exact decimal value (every finite double
//   is one), for exact comparisons.
// - `init(_:)`: the shortest digits that read back as the same double (the
//   stdlib's `description`); a JSON document's 0.30000000000000004 stays that.
// - `init(_:significantDigits:)`: PostgreSQL's float8 → numeric and
//   float4 → numeric casts, which print the double with printf's `%.15g`
//   (`%.6g` for real) and read that text back: (0.1 + 0.2)::numeric is 0.3.
//   printf rounds the exact binary value half to even, so this does too.
//
// The way out, `doubleValue`, is correctly rounded like PostgreSQL's
// numeric → float8 (strtod of the text), with Clinger's fast path when the
// coefficient and scale are small enough for one exact division.

extension SQLNumeric {
    /// The exact decimal value of a finite double; nil for NaN and infinities.
    ///
    ///     SQLNumeric(exactly: 0.5)?.description   // "0.5"
    ///     SQLNumeric(exactly: 0.1)?.description   // "0.1000000000000000055511151231257827021181583404541015625"
    public init?(exactly value: Double) {
        guard value.isFinite else { return nil }
        guard value != 0 else {
            self = .zero
            return
        }
        // value = significand * 2^exponent with an integer significand.
        let bits = value.significandBitPattern
        var significand = value.exponentBitPattern == 0 ? bits : bits | (1 << 52)
        var exponent = value.exponentBitPattern == 0 ? -1074 : Int(value.exponentBitPattern) - 1075
        while significand & 1 == 0 {
            significand >>= 1
            exponent += 1
        }
        var limbs = NumericMagnitude.fromUInt64(significand)
        if exponent >= 0 {
            // Times 2^exponent, 2^29 at a time (2^29 < 10^9 fits a small factor).
            var remaining = exponent
            while remaining > 0 {
                let step = min(remaining, 29)
                limbs = NumericMagnitude.multiply(limbs, small: 1 << UInt32(step))
                remaining -= step
            }
            self.init(isNegative: value < 0, limbs: limbs, scale: 0)
        } else {
            // significand / 2^k = significand * 5^k / 10^k, and an odd
            // significand times 5^k never ends in a zero: the scale is exactly k.
            var remaining = -exponent
            while remaining > 0 {
                let step = min(remaining, 12)  // 5^12 < 10^9
                limbs = NumericMagnitude.multiply(limbs, small: Self.powersOfFive[step])
                remaining -= step
            }
            self.init(isNegative: value < 0, limbs: limbs, scale: -exponent)
        }
    }

    private static let powersOfFive: [UInt32] = [1, 5, 25, 125, 625, 3125, 15625, 78125, 390_625, 1_953_125, 9_765_625, 48_828_125, 244_140_625]

    /// The shortest decimal that reads back as `value`: 0.1 → 0.1, 1e20 → 100000000000000000000.
    public init(_ value: Double) throws(MemFluxError) {
        if let special = Self.special(value) {
            self = special
            return
        }
        var text = value.description
        guard let parsed = try text.withUTF8({ bytes in
            Result { () throws(MemFluxError) in try SQLNumeric.parse(bytes) }
        }).get() else {
            preconditionFailure("Double.description is not a number: \(text)")
        }
        self = parsed
    }

    /// `value` rounded to `significantDigits` significant digits and trailing
    /// zeros dropped, as `%.<digits>g` prints it: PostgreSQL's float → numeric.
    ///
    ///     try SQLNumeric(0.1 + 0.2, significantDigits: 15).description   // "0.3"
    ///     try SQLNumeric(1e20, significantDigits: 15).description        // "100000000000000000000"
    public init(_ value: Double, significantDigits: Int) throws(MemFluxError) {
        if let special = Self.special(value) {
            self = special
            return
        }
        guard var exact = SQLNumeric(exactly: value), !exact.isZero else {
            self = .zero
            return
        }
        let excess = NumericMagnitude.digitCount(exact.limbs) - significantDigits
        if excess > 0 { exact = try exact.roundedHalfEven(scale: exact.scale - excess) }
        // %g drops trailing zeros after the point.
        let zeros = min(NumericMagnitude.trailingZeroDigits(exact.limbs), exact.scale)
        if zeros > 0 {
            exact = SQLNumeric(isNegative: exact.isNegative, limbs: NumericMagnitude.shiftedDown(exact.limbs, by: zeros), scale: exact.scale - zeros)
        }
        self = exact
    }

    /// NaN or an infinity as the numeric special value; nil for a finite double.
    private static func special(_ value: Double) -> SQLNumeric? {
        if value.isNaN { return .nan }
        if value.isInfinite { return value < 0 ? .negativeInfinity : .infinity }
        return nil
    }

    /// The nearest double (ties to even); ±infinity past the double range, ±0
    /// below it; NaN and the infinities for the special values.
    public var doubleValue: Double {
        switch kind {
        case .finite: break
        case .nan: return .nan
        case .infinity: return .infinity
        case .negativeInfinity: return -.infinity
        }
        if limbs.isEmpty { return 0 }
        // Clinger: both the coefficient and 10^scale are exact doubles, so one division rounds correctly.
        if scale <= 22, let coefficient = NumericMagnitude.toUInt64(limbs), coefficient <= 1 << 53 {
            let magnitude = Double(coefficient) / Self.exactPowersOfTen[scale]
            return isNegative ? -magnitude : magnitude
        }
        return Double(description) ?? 0
    }

    private static let exactPowersOfTen: [Double] = (0...22).map { k in
        var power = 1.0
        for _ in 0..<k { power *= 10 }
        return power
    }
}
