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
// Any other exponent goes through the double pow(): the scale is PostgreSQL's
// (16 significant digits from the estimated weight of the result: 100 ^ 1.5
// = 1000.0000000000000), but a double holds about 16 significant digits, so
// the last digit may differ from PostgreSQL's exact ln/exp (2 ^ 0.5 gives
// 1.4142135623730951 where PostgreSQL prints ...950).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum SQLNumericPower {
    static func power(_ base: SQLNumeric, _ exponent: SQLNumeric) throws(MemFluxError) -> SQLNumeric {
        if base.isZero && exponent.sign < 0 { throw MemFluxError(.err, "zero raised to a negative power is undefined") }
        let integral = exponent.truncated(scale: 0) == exponent
        if base.sign < 0 && !integral {
            throw MemFluxError(.err, "a negative number raised to a non-integer power yields a complex result")
        }
        if integral, let n = try? exponent.int64(rounding: false), n >= Int64(Int32.min) && n <= Int64(Int32.max) {
            let scale = min(max(SQLNumeric.divisionSignificantDigits, base.scale), SQLNumeric.maxDivisionScale)
            return try integerPower(base, n, scale: scale)
        }
        return try doublePower(base, exponent)
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

    private static func doublePower(_ base: SQLNumeric, _ exponent: SQLNumeric) throws(MemFluxError) -> SQLNumeric {
        let exponentValue = exponent.doubleValue
        if base.isZero { return SQLNumeric(isNegative: false, limbs: [], scale: max(16, base.scale, exponent.scale)) }
        // PostgreSQL estimates ln(result) first: far beyond the limits is overflow, or zero at scale 1000.
        let lnResult = approximateLog10(base) * 2.302585092994046 * exponentValue
        if lnResult.magnitude > 2000 * 3.01 {
            if lnResult > 0 { throw SQLNumeric.overflowError }
            return SQLNumeric(isNegative: false, limbs: [], scale: SQLNumeric.maxDivisionScale)
        }
        var scale = SQLNumeric.divisionSignificantDigits - Int(lnResult * 0.434294481903252)
        scale = min(max(scale, base.scale, exponent.scale, 0), SQLNumeric.maxDivisionScale)
        let result = pow(base.doubleValue, exponentValue)
        guard let exact = SQLNumeric(exactly: result) else { throw SQLNumeric.overflowError }
        return try exact.rounded(scale: scale)
    }

    /// log10(|value|) for a nonzero value, from its leading digits (no double overflow for 1e400).
    static func approximateLog10(_ value: SQLNumeric) -> Double {
        let digitCount = NumericMagnitude.digitCount(value.limbs)
        let kept = min(digitCount, 17)
        var leading = 0.0
        for k in 0..<kept { leading = leading * 10 + Double(NumericMagnitude.digit(value.limbs, at: digitCount - 1 - k)) }
        return log10(leading) + Double(digitCount - kept - value.scale)
    }
}
