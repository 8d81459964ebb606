// NUMERIC arithmetic with PostgreSQL's result scales: + and - keep the larger
// scale, * the sum of the scales (so products are exact), % the larger scale
// (the remainder of a truncated division, signed like the dividend), and /
// the scale select_div_scale picks: enough for 16 significant digits, never
// below either operand's scale, at most 1000; the quotient is rounded half
// away from zero at that scale, as div_var does.
//
// Results are checked against PostgreSQL's bounds (`value overflows numeric
// format`); the size of a product or quotient is checked before it is
// computed, so a huge result is refused without being built.

extension SQLNumeric {
    /// PostgreSQL's limits: 131072 digits before the point (a base-10000
    /// weight of 32767), 16383 after (NUMERIC_DSCALE_MAX).
    public static let maxIntegerDigits = 131_072
    public static let maxScale = 16_383
    /// select_div_scale's bounds: 16 significant digits, at most 1000 after the point.
    package static let divisionSignificantDigits = 16
    package static let maxDivisionScale = 1000

    public static let overflowError = MemFluxError(.err, "value overflows numeric format")
    public static let divisionByZero = MemFluxError(.err, "division by zero")

    /// `self`, or `value overflows numeric format` if it is past PostgreSQL's bounds.
    func checked() throws(MemFluxError) -> SQLNumeric {
        if scale > Self.maxScale || (!limbs.isEmpty && leadingDigitExponent > Self.maxIntegerDigits) {
            throw Self.overflowError
        }
        return self
    }

    /// Both coefficients at the larger of the two scales.
    private static func aligned(_ a: SQLNumeric, _ b: SQLNumeric) -> (a: [UInt32], b: [UInt32], scale: Int) {
        let scale = max(a.scale, b.scale)
        return (NumericMagnitude.shiftedUp(a.limbs, by: scale - a.scale),
                NumericMagnitude.shiftedUp(b.limbs, by: scale - b.scale), scale)
    }

    /// `self + other`, at the larger scale: 1.5 + 1.50 = 3.00.
    public func adding(_ other: SQLNumeric) throws(MemFluxError) -> SQLNumeric {
        if let special = specialSum(other) { return special }
        let (a, b, scale) = Self.aligned(self, other)
        if isNegative == other.isNegative || b.isEmpty || a.isEmpty {
            let negative = a.isEmpty ? other.isNegative : isNegative
            return try SQLNumeric(isNegative: negative, limbs: NumericMagnitude.add(a, b), scale: scale).checked()
        }
        switch NumericMagnitude.compare(a, b) {
        case 0: return SQLNumeric(isNegative: false, limbs: [], scale: scale)
        case 1: return SQLNumeric(isNegative: isNegative, limbs: NumericMagnitude.subtract(a, b), scale: scale)
        default: return SQLNumeric(isNegative: other.isNegative, limbs: NumericMagnitude.subtract(b, a), scale: scale)
        }
    }

    /// `self - other`, at the larger scale: 2.00 - 2 = 0.00.
    public func subtracting(_ other: SQLNumeric) throws(MemFluxError) -> SQLNumeric {
        try adding(other.negated())
    }

    /// `self * other`, exact, at the sum of the scales: 1.50 * 2.0 = 3.000.
    public func multiplying(_ other: SQLNumeric) throws(MemFluxError) -> SQLNumeric {
        if let special = specialProduct(other) { return special }
        let scale = self.scale + other.scale
        if scale > Self.maxScale { throw Self.overflowError }
        if isZero || other.isZero { return SQLNumeric(isNegative: false, limbs: [], scale: scale) }
        // The product's leading digit sits at ea + eb or one below.
        if leadingDigitExponent + other.leadingDigitExponent - 1 > Self.maxIntegerDigits { throw Self.overflowError }
        let product = NumericMagnitude.multiply(limbs, other.limbs)
        return try SQLNumeric(isNegative: isNegative != other.isNegative, limbs: product, scale: scale).checked()
    }

    /// `self / other`, rounded half away from zero at PostgreSQL's division scale:
    /// 10.0 / 3 = 3.3333333333333333, 1 / 3 = 0.33333333333333333333.
    ///
    /// - Throws: `division by zero`; `value overflows numeric format`.
    public func dividing(by other: SQLNumeric) throws(MemFluxError) -> SQLNumeric {
        if let special = try specialQuotient(other) { return special }
        guard !other.isZero else { throw Self.divisionByZero }
        return try dividing(by: other, scale: Self.divisionScale(self, other))
    }

    /// `self / other` rounded half away from zero at `resultScale` digits after the point (both finite).
    func dividing(by other: SQLNumeric, scale resultScale: Int) throws(MemFluxError) -> SQLNumeric {
        guard !other.isZero else { throw Self.divisionByZero }
        if isZero { return SQLNumeric(isNegative: false, limbs: [], scale: resultScale) }
        if leadingDigitExponent - other.leadingDigitExponent > Self.maxIntegerDigits { throw Self.overflowError }
        // |self| / |other| * 10^resultScale = A * 10^(resultScale + sb - sa) / B.
        let shift = resultScale + other.scale - scale
        let numerator = shift > 0 ? NumericMagnitude.shiftedUp(limbs, by: shift) : limbs
        let denominator = shift < 0 ? NumericMagnitude.shiftedUp(other.limbs, by: -shift) : other.limbs
        var (quotient, remainder) = NumericMagnitude.divide(numerator, denominator)
        if NumericMagnitude.compare(NumericMagnitude.add(remainder, remainder), denominator) >= 0 {
            quotient = NumericMagnitude.add(quotient, [1])
        }
        return try SQLNumeric(isNegative: isNegative != other.isNegative, limbs: quotient, scale: resultScale).checked()
    }

    /// `self % other`: the remainder of the truncated quotient, signed like `self`,
    /// at the larger scale: 10.5 % 3 = 1.5, -10.5 % 3 = -1.5.
    ///
    /// - Throws: `division by zero`.
    public func remainder(dividingBy other: SQLNumeric) throws(MemFluxError) -> SQLNumeric {
        if let special = try specialRemainder(other) { return special }
        guard !other.isZero else { throw Self.divisionByZero }
        let (a, b, scale) = Self.aligned(self, other)
        let remainder = NumericMagnitude.divide(a, b).remainder
        return SQLNumeric(isNegative: isNegative, limbs: remainder, scale: scale)
    }

    /// PostgreSQL's select_div_scale, which reasons in base-10000 digits:
    /// the quotient's estimated weight from both operands' leading
    /// base-10000 digits, then 16 significant digits' worth of scale.
    static func divisionScale(_ a: SQLNumeric, _ b: SQLNumeric) -> Int {
        let (weightA, firstA) = a.leadingBase10000Digit
        let (weightB, firstB) = b.leadingBase10000Digit
        var quotientWeight = weightA - weightB
        if firstA <= firstB { quotientWeight -= 1 }
        var scale = divisionSignificantDigits - quotientWeight * 4
        scale = max(scale, a.scale, b.scale, 0)
        return min(scale, maxDivisionScale)
    }

    /// The weight and value of the leading nonzero base-10000 digit, the groups
    /// of four decimal digits aligned on the point PostgreSQL stores; (0, 0) for zero.
    var leadingBase10000Digit: (weight: Int, digit: Int) {
        guard !limbs.isEmpty else { return (0, 0) }
        let exponent = leadingDigitExponent - 1  // the leading digit is at 10^exponent
        let weight = exponent >= 0 ? exponent / 4 : -((-exponent + 3) / 4)
        // Digits of the coefficient from its top down to 10^(4 * weight).
        let digitCount = NumericMagnitude.digitCount(limbs)
        var digit = 0
        for k in 0...(exponent - 4 * weight) {
            let position = digitCount - 1 - k
            digit = digit * 10 + (position >= 0 ? Int(NumericMagnitude.digit(limbs, at: position)) : 0)
        }
        return (weight, digit)
    }
}
