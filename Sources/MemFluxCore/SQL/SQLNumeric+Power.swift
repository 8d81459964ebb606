// numeric ^ numeric with PostgreSQL's result scales (power_var).
//
// An integral exponent that fits int32 gives a result at scale
// max(16, the base's scale), computed by squaring and multiplying in exact
// decimals: 1.1 ^ 50 = 117.3908528796953165, 2 ^ -2 = 0.2500000000000000.
// Intermediate products are rounded to the working scale (the result's
// scale plus guard digits, more when the base is small), which keeps the
// cost bounded and the digits that survive the final rounding exact in all
// but contrived cases.
//
// Any other exponent is exp(exponent * ln(base)) in exact decimals
// (SQLNumeric+Transcendental), at PostgreSQL's scale: 16 significant digits
// from the estimated weight of the result (100 ^ 1.5 = 1000.0000000000000,
// 2 ^ 0.5 = 1.4142135623730950).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

package enum SQLNumericPower {
    static func power(_ base: SQLNumeric, _ exponent: SQLNumeric) throws(MemFluxError) -> SQLNumeric {
        if let special = try specialPower(base, exponent) { return special }
        if base.isZero && exponent.sign < 0 { throw MemFluxError(.err, "zero raised to a negative power is undefined") }
        let integral = exponent.truncated(scale: 0) == exponent
        if base.sign < 0 && !integral {
            throw MemFluxError(.err, "a negative number raised to a non-integer power yields a complex result")
        }
        if integral, let n = try? exponent.int64(rounding: false), n >= Int64(Int32.min) && n <= Int64(Int32.max) {
            let scale = min(max(SQLNumeric.divisionSignificantDigits, base.scale), SQLNumeric.maxDivisionScale)
            return try integerPower(base, n, scale: scale)
        }
        return try generalPower(base, exponent)
    }

    private static func integerPower(_ base: SQLNumeric, _ n: Int64, scale: Int) throws(MemFluxError) -> SQLNumeric {
        let one = SQLNumeric(Int64(1))
        if n == 0 { return try one.rounded(scale: scale) }
        if base.isZero { return SQLNumeric(isNegative: false, limbs: [], scale: scale) }
        // log10 of |base|^|n|, to refuse overflow and shortcut underflow before computing.
        let magnitudeLog = approximateLog10(base) * Double(n.magnitude)
        let resultLog = n > 0 ? magnitudeLog : -magnitudeLog
        if resultLog > Double(SQLNumeric.maxIntegerDigits) + 1 { throw SQLNumeric.overflowError }
        if resultLog < -Double(scale) - 2 { return SQLNumeric(isNegative: false, limbs: [], scale: scale) }
        // 1/p needs p to a relative precision: more digits when p is small.
        let extra = n < 0 && magnitudeLog < 0 ? Int(-2 * magnitudeLog) + 1 : 0
        let workingScale = min(scale + 24 + extra, SQLNumeric.maxScale / 2)
        var result = one
        var square = SQLNumeric(isNegative: false, limbs: base.limbs, scale: base.scale)
        var remaining = n.magnitude
        while true {
            if remaining & 1 == 1 { result = try trimmed(result.multiplying(square), to: workingScale) }
            remaining >>= 1
            if remaining == 0 { break }
            square = try trimmed(square.multiplying(square), to: workingScale)
        }
        if n < 0 { result = try one.dividing(by: result, scale: scale) }
        let negative = base.isNegative && n.magnitude & 1 == 1
        let rounded = try result.rounded(scale: scale)
        return negative ? rounded.negated() : rounded
    }

    private static func trimmed(_ value: SQLNumeric, to scale: Int) throws(MemFluxError) -> SQLNumeric {
        value.scale > scale ? try value.rounded(scale: scale) : value
    }

    /// base ^ exponent = exp(exponent * ln(base)) for base > 0 (power_var's general case),
    /// |base| with the sign restored for a negative base and an integral exponent.
    private static func generalPower(_ base: SQLNumeric, _ exponent: SQLNumeric) throws(MemFluxError) -> SQLNumeric {
        if base.isZero { return SQLNumeric(isNegative: false, limbs: [], scale: max(16, base.scale, exponent.scale)) }
        let magnitude = SQLNumeric(isNegative: false, limbs: base.limbs, scale: base.scale)
        // PostgreSQL estimates ln(result) first: far beyond the limits is overflow, or zero at scale 1000.
        let lnResult = approximateLog10(magnitude) * 2.302585092994046 * exponent.doubleValue
        if lnResult.magnitude > 2000 * 3.01 {
            if lnResult > 0 { throw SQLNumeric.overflowError }
            return SQLNumeric(isNegative: false, limbs: [], scale: SQLNumeric.maxDivisionScale)
        }
        let weight = Int(lnResult * 0.434294481903252)
        let scale = min(max(SQLNumeric.divisionSignificantDigits - weight, base.scale, exponent.scale, 0), SQLNumeric.maxDivisionScale)
        let significant = max(scale + weight, 0)
        let lnScale = max(significant - magnitude.lnDecimalWeight + 8, 0)
        let lnBase = try magnitude.naturalLogarithm(scale: lnScale)
        let result = try lnBase.multiplying(exponent).rounded(scale: lnScale).exponential(scale: scale)
        let odd = base.isNegative && NumericMagnitude.digit(exponent.truncated(scale: 0).limbs, at: 0) % 2 == 1
        return odd ? result.negated() : result
    }

    /// log10(|value|) for a nonzero value, from its leading digits (no double overflow for 1e400).
    package static func approximateLog10(_ value: SQLNumeric) -> Double {
        let digitCount = NumericMagnitude.digitCount(value.limbs)
        let kept = min(digitCount, 17)
        var leading = 0.0
        for k in 0..<kept { leading = leading * 10 + Double(NumericMagnitude.digit(value.limbs, at: digitCount - 1 - k)) }
        return log10(leading) + Double(digitCount - kept - value.scale)
    }
}
