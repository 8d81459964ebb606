// NaN, Infinity and -Infinity in NUMERIC arithmetic, with PostgreSQL 14+'s
// results (numeric.c's "Handle NaN and infinities" branches, which follow
// IEEE and POSIX pow(3)):
//
// - NaN in, NaN out, except NaN ^ 0 = 1 and 1 ^ NaN = 1.
// - Inf + -Inf, Inf - Inf, Inf * 0, Inf / Inf and Inf % x are NaN; any
//   division or remainder by zero is still `division by zero`.
// - finite / Inf is 0 and finite % Inf is the finite operand.
//
// Each function answers only when an operand is special (nil otherwise), so
// the finite arithmetic beside it stays as it was.

extension SQLNumeric {
    /// The infinity of this sign: 1 → Infinity, -1 → -Infinity.
    static func infinity(sign: Int) -> SQLNumeric {
        sign < 0 ? .negativeInfinity : .infinity
    }

    func specialSum(_ other: SQLNumeric) -> SQLNumeric? {
        if isFinite && other.isFinite { return nil }
        if isNaN || other.isNaN { return .nan }
        if isInfinite && other.isInfinite { return kind == other.kind ? self : .nan }
        return isInfinite ? self : other
    }

    func specialProduct(_ other: SQLNumeric) -> SQLNumeric? {
        if isFinite && other.isFinite { return nil }
        if isNaN || other.isNaN { return .nan }
        let signs = sign * other.sign
        return signs == 0 ? .nan : Self.infinity(sign: signs)
    }

    func specialQuotient(_ other: SQLNumeric) throws(MemFluxError) -> SQLNumeric? {
        if isFinite && other.isFinite { return nil }
        if isNaN || other.isNaN { return .nan }
        guard isInfinite else { return .zero }
        if other.isInfinite { return .nan }
        if other.isZero { throw Self.divisionByZero }
        return Self.infinity(sign: sign * other.sign)
    }

    func specialRemainder(_ other: SQLNumeric) throws(MemFluxError) -> SQLNumeric? {
        if isFinite && other.isFinite { return nil }
        if isNaN || other.isNaN { return .nan }
        guard isInfinite else { return self }
        if other.isZero { throw Self.divisionByZero }
        return .nan
    }

    /// `cannot convert NaN to integer`, `cannot convert infinity to bigint`: a
    /// special value cast to an integer type named `typeName`.
    public func conversionError(to typeName: String) -> MemFluxError {
        MemFluxError(.err, "cannot convert \(isNaN ? "NaN" : "infinity") to \(typeName)")
    }
}

extension SQLNumericPower {
    /// numeric_power's answers when either operand is special; nil when both are finite.
    static func specialPower(_ base: SQLNumeric, _ exponent: SQLNumeric) throws(MemFluxError) -> SQLNumeric? {
        if base.isFinite && exponent.isFinite { return nil }
        let one = SQLNumeric(Int64(1))
        if base.isNaN { return exponent.isZero ? one : .nan }
        if exponent.isNaN { return base == one ? one : .nan }
        if base.isZero && exponent.sign < 0 { throw MemFluxError(.err, "zero raised to a negative power is undefined") }
        // Infinities count as integral; NaN is handled above.
        if base.sign < 0 && exponent.isFinite && exponent.truncated(scale: 0) != exponent {
            throw MemFluxError(.err, "a negative number raised to a non-integer power yields a complex result")
        }
        if base == one || exponent.isZero { return one }
        if base.isZero { return .zero }
        if exponent.isInfinite {
            if base == one.negated() { return one }
            let baseAboveOne = base.isInfinite || SQLNumeric.compareMagnitudes(base, one) > 0
            return baseAboveOne == (exponent.sign > 0) ? .infinity : .zero
        }
        // The base is infinite and the exponent finite and nonzero.
        if base.kind == .infinity || exponent.sign < 0 {
            return exponent.sign > 0 ? .infinity : .zero
        }
        // -Infinity to a positive power: -Infinity for an odd integer, else Infinity.
        let isOddInteger = exponent.truncated(scale: 0) == exponent
            && NumericMagnitude.digit(exponent.limbs, at: exponent.scale) % 2 == 1
        return isOddInteger ? .negativeInfinity : .infinity
    }
}
