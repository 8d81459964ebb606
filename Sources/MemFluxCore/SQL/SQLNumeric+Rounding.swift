// Rounding NUMERIC to a scale, as PostgreSQL's round/trunc/floor/ceil and
// the numeric(p,s) and integer casts do. PostgreSQL rounds numeric half away
// from zero (round(2.5) = 3, round(-2.5) = -3); the result carries exactly
// the requested scale, padded with zeros when it is larger (round(1.2, 4)
// = 1.2000), and a negative scale rounds to tens, hundreds... with scale 0.
// NaN and the infinities round to themselves.

extension SQLNumeric {
    /// Rounded half away from zero to `scale` digits after the point.
    ///
    ///     SQLNumeric.parse("1.2345")?.rounded(scale: 2)   // 1.23
    ///     SQLNumeric.parse("1234.5")?.rounded(scale: -2)  // 1200
    ///
    /// - Throws: `value overflows numeric format` when rounding up carries past the limit.
    public func rounded(scale newScale: Int) throws(MemFluxError) -> SQLNumeric {
        guard isFinite else { return self }
        return try rescaled(to: newScale) { quotient, droppedDigits in
            NumericMagnitude.digit(limbs, at: droppedDigits - 1) >= 5
        }
    }

    /// Truncated toward zero to `scale` digits after the point (trunc(-2.57, 1) = -2.5).
    public func truncated(scale newScale: Int) -> SQLNumeric {
        guard isFinite else { return self }
        // Truncation never carries, so it cannot pass the bounds.
        return (try? rescaled(to: newScale) { _, _ in false }) ?? .zero
    }

    /// The largest integer not above `self`, scale 0 (floor(-1.5) = -2).
    public func floor() throws(MemFluxError) -> SQLNumeric {
        guard isFinite else { return self }
        return try rescaled(to: 0) { _, droppedDigits in
            isNegative && !NumericMagnitude.isZero(limbs, below: droppedDigits)
        }
    }

    /// The smallest integer not below `self`, scale 0 (ceil(1.001) = 2).
    public func ceil() throws(MemFluxError) -> SQLNumeric {
        guard isFinite else { return self }
        return try rescaled(to: 0) { _, droppedDigits in
            !isNegative && !NumericMagnitude.isZero(limbs, below: droppedDigits)
        }
    }

    /// Rounded half to even to `scale` digits: how printf rounds a double's exact value.
    func roundedHalfEven(scale newScale: Int) throws(MemFluxError) -> SQLNumeric {
        try rescaled(to: newScale) { quotient, droppedDigits in
            let first = NumericMagnitude.digit(limbs, at: droppedDigits - 1)
            if first != 5 { return first > 5 }
            if !NumericMagnitude.isZero(limbs, below: droppedDigits - 1) { return true }
            return (quotient.first ?? 0) % 2 == 1
        }
    }

    /// The value at `newScale` (clamped to what PostgreSQL accepts): the
    /// coefficient padded with zeros, or cut by `droppedDigits` digits and
    /// bumped by one unit in magnitude when `roundsAway` says so.
    private func rescaled(
        to newScale: Int, roundsAway: (_ quotient: [UInt32], _ droppedDigits: Int) -> Bool
    ) throws(MemFluxError) -> SQLNumeric {
        let target = min(max(newScale, -(Self.maxIntegerDigits + 1)), Self.maxScale)
        if target >= scale {
            return SQLNumeric(
                isNegative: isNegative, limbs: NumericMagnitude.shiftedUp(limbs, by: target - scale), scale: target)
        }
        let dropped = scale - target
        var quotient = NumericMagnitude.shiftedDown(limbs, by: dropped)
        if !limbs.isEmpty && roundsAway(quotient, dropped) { quotient = NumericMagnitude.add(quotient, [1]) }
        if target >= 0 {
            return try SQLNumeric(isNegative: isNegative, limbs: quotient, scale: target).checked()
        }
        if quotient.isEmpty { return .zero }
        // A negative scale: the rounded value is an integer ending in -target zeros.
        if NumericMagnitude.digitCount(quotient) - target > Self.maxIntegerDigits { throw Self.overflowError }
        return SQLNumeric(isNegative: isNegative, limbs: NumericMagnitude.shiftedUp(quotient, by: -target), scale: 0)
    }

    /// The value as an Int64: rounded half away from zero (the numeric → bigint
    /// cast) when `rounding`, else truncated toward zero.
    ///
    /// - Throws: `bigint out of range`; `cannot convert NaN to bigint`, `cannot convert infinity to bigint`.
    public func int64(rounding: Bool) throws(MemFluxError) -> Int64 {
        guard isFinite else { throw conversionError(to: "bigint") }
        let whole = rounding ? try rounded(scale: 0) : truncated(scale: 0)
        guard let magnitude = NumericMagnitude.toUInt64(whole.limbs) else { throw Self.bigintOutOfRange }
        if whole.isNegative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw Self.bigintOutOfRange }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw Self.bigintOutOfRange }
        return Int64(magnitude)
    }

    static let bigintOutOfRange = MemFluxError(.err, "bigint out of range")
}
