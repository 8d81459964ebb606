// exp, ln and log of NUMERIC in exact decimal arithmetic, the way
// PostgreSQL's exp_var, ln_var and log_var compute them, with their result
// scales (16 significant digits from the estimated weight of the result,
// never below an argument's scale, at most 1000):
//
// - exp(x): x halved until |x| <= 0.01, the Taylor series, then squared back,
//   working with enough digits for the result's scale plus the digits the
//   squarings can lose, plus 8.
// - ln(x): square roots until 0.9 < x < 1.1 (one more working digit per
//   root), then 2 atanh((x - 1) / (x + 1)) as a series, times 2^roots.
// - log(b, x) = ln(x) / ln(b), each logarithm computed past the result's
//   digits.
//
// Working to a few digits more than the result and rounding once at the
// end gives PostgreSQL's digits: exp(1) = 2.7182818284590452, ln(2) =
// 0.6931471805599453. Non-integral powers use them too (SQLNumeric+Power).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SQLNumeric {
    private static let guardDigits = 8

    /// exp(self) at numeric_exp's scale: exp(1) = 2.7182818284590452, exp(10) = 22026.465794806717.
    ///
    /// - Throws: `value overflows numeric format` when the result would.
    public func exponential() throws(MemFluxError) -> SQLNumeric {
        // Per POSIX exp(-Infinity) is zero; NaN and Infinity are their own.
        if kind == .negativeInfinity { return .zero }
        guard isFinite else { return self }
        let weight = min(max(doubleValue * 0.434294481903252, -2000), 2000)
        let scale = min(max(Self.divisionSignificantDigits - Int(weight), self.scale, 0), Self.maxDivisionScale)
        return try exponential(scale: scale)
    }

    /// ln(self) at numeric_ln's scale: ln(2) = 0.6931471805599453.
    ///
    /// - Throws: `cannot take logarithm of zero`, `cannot take logarithm of a negative number`.
    public func naturalLogarithm() throws(MemFluxError) -> SQLNumeric {
        try checkLogarithmArgument()
        guard isFinite else { return self }
        let scale = min(max(Self.divisionSignificantDigits - lnDecimalWeight, self.scale, 0), Self.maxDivisionScale)
        return try naturalLogarithm(scale: scale)
    }

    /// log_base(self) at log_var's scale: log(2.0, 8) = 3.0000000000000000.
    ///
    /// - Throws: the logarithm errors for either argument; `division by zero` for base 1.
    public func logarithm(base: SQLNumeric) throws(MemFluxError) -> SQLNumeric {
        if !base.isFinite || !isFinite { return try Self.specialLogarithm(base: base, self) }
        try base.checkLogarithmArgument()
        try checkLogarithmArgument()
        let (baseWeight, numberWeight) = (base.lnDecimalWeight, lnDecimalWeight)
        let resultWeight = numberWeight - baseWeight
        let scale = min(max(Self.divisionSignificantDigits - resultWeight, base.scale, self.scale, 0), Self.maxDivisionScale)
        let lnBase = try base.naturalLogarithm(scale: max(scale + resultWeight - baseWeight + Self.guardDigits, 0))
        let lnNumber = try naturalLogarithm(scale: max(scale + resultWeight - numberWeight + Self.guardDigits, 0))
        return try lnNumber.dividing(by: lnBase, scale: scale)
    }

    /// numeric_log when either argument is special: negatives (-Infinity too) fail before zeros.
    private static func specialLogarithm(base: SQLNumeric, _ x: SQLNumeric) throws(MemFluxError) -> SQLNumeric {
        if base.isNaN || x.isNaN { return .nan }
        if base.sign < 0 || x.sign < 0 { throw MemFluxError(.err, "cannot take logarithm of a negative number") }
        if base.isZero || x.isZero { throw MemFluxError(.err, "cannot take logarithm of zero") }
        // log(Inf, Inf) is Inf / Inf; log(Inf, x) is zero (no underflow error); log(b, Inf) is Inf.
        if base.isInfinite { return x.isInfinite ? .nan : .zero }
        return .infinity
    }

    private func checkLogarithmArgument() throws(MemFluxError) {
        if isZero { throw MemFluxError(.err, "cannot take logarithm of zero") }
        if isNegative { throw MemFluxError(.err, "cannot take logarithm of a negative number") }
    }

    /// PostgreSQL's estimate_ln_dweight: the decimal exponent of ln(self)'s leading digit, roughly.
    package var lnDecimalWeight: Int {
        let low = SQLNumeric(isNegative: false, limbs: [9], scale: 1), high = SQLNumeric(isNegative: false, limbs: [11], scale: 1)
        if Self.compare(self, low) >= 0 && Self.compare(self, high) <= 0 {
            // Near 1, ln(x) is about x - 1.
            guard let difference = try? subtracting(SQLNumeric(Int64(1))), !difference.isZero else { return 0 }
            return difference.leadingDigitExponent - 1
        }
        let ln = SQLNumericPower.approximateLog10(self) * 2.302585092994046
        return Int(log10(ln.magnitude))
    }

    /// exp(self) rounded at `scale` (exp_var).
    func exponential(scale: Int) throws(MemFluxError) -> SQLNumeric {
        let estimate = doubleValue
        if estimate >= Double(Self.maxDivisionScale * 2 * 3) { throw Self.overflowError }
        if estimate <= -Double(Self.maxDivisionScale * 2 * 3) { return SQLNumeric(isNegative: false, limbs: [], scale: scale) }
        let resultWeight = Int(estimate * 0.434294481903252)
        // Halve until |x| <= 0.01 (exact: each halving adds one digit).
        var x = self
        var halvings = 0
        let half = SQLNumeric(isNegative: false, limbs: [5], scale: 1)
        let hundredth = SQLNumeric(isNegative: false, limbs: [1], scale: 2)
        while !x.isZero && Self.compareMagnitudes(x, hundredth) > 0 {
            x = try x.multiplying(half)
            halvings += 1
        }
        let significant = max(1 + resultWeight + scale + Int(Double(halvings) * 0.301029995663981), 0) + Self.guardDigits
        let workingScale = significant - 1
        if x.scale > workingScale { x = try x.rounded(scale: workingScale) }
        // Taylor series: 1 + x + x^2/2! + ...
        var sum = try SQLNumeric(Int64(1)).adding(x)
        var term = try x.multiplying(x).rounded(scale: workingScale)
        var n: Int64 = 2
        while true {
            term = try term.dividing(by: SQLNumeric(n), scale: workingScale)
            if term.isZero { break }
            sum = try sum.adding(term)
            term = try term.multiplying(x).rounded(scale: workingScale)
            n += 1
        }
        // Square back, keeping `significant` digits relative to the value's size.
        for _ in 0..<halvings {
            let squareScale = max(significant - 2 * sum.leadingDigitExponent, 0)
            sum = try sum.multiplying(sum).rounded(scale: min(squareScale, Self.maxScale / 2))
        }
        return try sum.rounded(scale: scale)
    }

    /// ln(self) rounded at `scale` (ln_var); self > 0.
    func naturalLogarithm(scale: Int) throws(MemFluxError) -> SQLNumeric {
        // Far from 1, split off the power of ten: ln(m * 10^e) = ln(m) + e ln(10) with
        // 1 <= m < 10, so the square roots below only ever see a value near 1.
        let exponent = leadingDigitExponent - 1
        if exponent > 1 || exponent < -1 {
            let mantissaScale = self.scale + exponent
            let mantissa = mantissaScale >= 0
                ? SQLNumeric(isNegative: false, limbs: limbs, scale: mantissaScale)
                : SQLNumeric(isNegative: false, limbs: NumericMagnitude.shiftedUp(limbs, by: -mantissaScale), scale: 0)
            let exponentDigits = String(exponent.magnitude).count
            let lnMantissa = try mantissa.naturalLogarithm(scale: scale + Self.guardDigits)
            let lnTen = try SQLNumeric(Int64(10)).naturalLogarithm(scale: scale + exponentDigits + Self.guardDigits)
            return try lnMantissa.adding(lnTen.multiplying(SQLNumeric(Int64(exponent)))).rounded(scale: scale)
        }
        var workingScale = scale + Self.guardDigits
        var x = self
        var factor: Int64 = 2
        let low = SQLNumeric(isNegative: false, limbs: [9], scale: 1), high = SQLNumeric(isNegative: false, limbs: [11], scale: 1)
        while Self.compare(x, low) <= 0 || Self.compare(x, high) >= 0 {
            workingScale += 1
            x = try x.squareRoot(scale: min(workingScale, Self.maxScale / 2))
            factor *= 2
        }
        // 0.5 ln((1 + z) / (1 - z)) = z + z^3/3 + z^5/5 + ..., z = (x - 1) / (x + 1).
        let one = SQLNumeric(Int64(1))
        let z = try x.subtracting(one).dividing(by: x.adding(one), scale: workingScale)
        let zSquared = try z.multiplying(z).rounded(scale: workingScale)
        var power = z
        var sum = z
        var n: Int64 = 3
        while true {
            power = try power.multiplying(zSquared).rounded(scale: workingScale)
            let term = try power.dividing(by: SQLNumeric(n), scale: workingScale)
            if term.isZero { break }
            sum = try sum.adding(term)
            n += 2
        }
        return try sum.multiplying(SQLNumeric(factor)).rounded(scale: scale)
    }
}
