// sqrt(numeric), exact: the integer square root of the coefficient scaled
// to one digit past the result's scale, then rounded half away from zero,
// which is what PostgreSQL's sqrt_var gives. The scale is numeric_sqrt's:
// 16 significant digits from the base-10000 weight, never below the
// argument's scale (sqrt(2) = 1.414213562373095, sqrt(1e-10) =
// 0.000010000000000000000).

extension SQLNumeric {
    /// The square root at PostgreSQL's result scale.
    ///
    /// - Throws: `cannot take square root of a negative number` (-Infinity included; NaN and Infinity are their own roots).
    public func squareRoot() throws(MemFluxError) -> SQLNumeric {
        if isNaN || kind == .infinity { return self }
        guard !isNegative else { throw MemFluxError(.err, "cannot take square root of a negative number") }
        let weight = isZero ? 0 : leadingBase10000Digit.weight
        let halfWeight = (weight + 1) * 4 / 2 - 1
        let resultScale = min(max(Self.divisionSignificantDigits - halfWeight, scale, 0), Self.maxDivisionScale)
        return try squareRoot(scale: resultScale)
    }

    /// The square root of a non-negative value, rounded half away from zero at `resultScale`.
    func squareRoot(scale resultScale: Int) throws(MemFluxError) -> SQLNumeric {
        if isZero { return SQLNumeric(isNegative: false, limbs: [], scale: resultScale) }
        // sqrt(C * 10^-s) * 10^(r+1) = sqrt(C * 10^(2(r+1) - s)); when s > 2(r+1), the
        // digits of C past 10^-(2(r+1)) cannot reach the root's digits and are dropped.
        let shift = 2 * (resultScale + 1) - scale
        let scaled = shift >= 0 ? NumericMagnitude.shiftedUp(limbs, by: shift) : NumericMagnitude.shiftedDown(limbs, by: -shift)
        let root = NumericMagnitude.squareRoot(scaled)
        return try SQLNumeric(isNegative: false, limbs: root, scale: resultScale + 1).rounded(scale: resultScale)
    }
}

extension NumericMagnitude {
    /// floor(sqrt(n)) by Newton's iteration from an overestimate.
    static func squareRoot(_ n: [UInt32]) -> [UInt32] {
        guard !n.isEmpty else { return [] }
        // 10^ceil(digits / 2) is above the root.
        var x = powerOfTen((digitCount(n) + 1) / 2)
        while true {
            let y = divide(add(x, divide(n, x).quotient), small: 2).quotient
            if compare(y, x) >= 0 { return x }
            x = y
        }
    }
}
