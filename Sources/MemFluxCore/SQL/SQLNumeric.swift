// SQLNumeric: an exact decimal, PostgreSQL's NUMERIC. The value is
// `coefficient * 10^-scale`, the coefficient kept as a sign and a magnitude
// in base-10^9 limbs, least significant first (no leading zero limbs; zero
// has none and is never negative). The scale is the number of digits after
// the point the value carries, as PostgreSQL keeps it (1.50 has scale 2 and
// prints as 1.50).
//
// Equality and hashing are by numeric value, as PostgreSQL's numeric_eq and
// hash_numeric are: 1.0 == 1.00 and both hash alike, so GROUP BY and
// DISTINCT put them in one group. The hash strips trailing zeros first.
//
// PostgreSQL bounds a value's size (131072 digits before the point, 16383
// after, `value overflows numeric format`); every operation that can grow a
// value checks the same bounds (SQLNumeric+Arithmetic.swift), so a client
// cannot make one value allocate without limit.
//
// The facets live beside this file: +Magnitude (limb arithmetic), +Text
// (input and output), +Arithmetic, +Rounding, +Double.

public struct SQLNumeric: Sendable, Hashable {
    public var isNegative: Bool
    /// Base-10^9 limbs of the coefficient, least significant first.
    public var limbs: [UInt32]
    /// Digits after the decimal point.
    public var scale: Int

    /// Normalizes `limbs` (drops most significant zero limbs) and the sign of zero.
    public init(isNegative: Bool, limbs: [UInt32], scale: Int) {
        var limbs = limbs
        NumericMagnitude.normalize(&limbs)
        self.isNegative = isNegative && !limbs.isEmpty
        self.limbs = limbs
        self.scale = scale
    }

    /// The integer `value`, scale 0.
    ///
    ///     SQLNumeric(-42).description   // "-42"
    public init(_ value: Int64) {
        self.init(isNegative: value < 0, limbs: NumericMagnitude.fromUInt64(value.magnitude), scale: 0)
    }

    public static let zero = SQLNumeric(isNegative: false, limbs: [], scale: 0)

    public var isZero: Bool { limbs.isEmpty }

    /// -1, 0 or 1.
    public var sign: Int { limbs.isEmpty ? 0 : (isNegative ? -1 : 1) }

    /// The same value with the sign flipped (zero stays zero); the scale is kept.
    public func negated() -> SQLNumeric {
        SQLNumeric(isNegative: !isNegative, limbs: limbs, scale: scale)
    }

    /// Digits before the point of the coefficient's leading digit, counted
    /// from the point: 123.4 → 3, 0.05 → -1, zero → Int.min.
    package var leadingDigitExponent: Int {
        limbs.isEmpty ? Int.min : NumericMagnitude.digitCount(limbs) - scale
    }

    /// -1, 0 or 1 as `a` is less than, equal to or greater than `b`, by value (1.0 equals 1.00).
    ///
    /// - Complexity: O(n) in the limbs; allocates only when the scales differ
    ///   and the leading digits sit at the same place.
    public static func compare(_ a: SQLNumeric, _ b: SQLNumeric) -> Int {
        if a.sign != b.sign { return a.sign < b.sign ? -1 : 1 }
        if a.sign == 0 { return 0 }
        let magnitudeOrder = compareMagnitudes(a, b)
        return a.isNegative ? -magnitudeOrder : magnitudeOrder
    }

    /// Compares |a| and |b| (both nonzero).
    static func compareMagnitudes(_ a: SQLNumeric, _ b: SQLNumeric) -> Int {
        if a.scale == b.scale { return NumericMagnitude.compare(a.limbs, b.limbs) }
        let ea = a.leadingDigitExponent
        let eb = b.leadingDigitExponent
        if ea != eb { return ea < eb ? -1 : 1 }
        if a.scale < b.scale {
            return NumericMagnitude.compare(NumericMagnitude.shiftedUp(a.limbs, by: b.scale - a.scale), b.limbs)
        }
        return NumericMagnitude.compare(a.limbs, NumericMagnitude.shiftedUp(b.limbs, by: a.scale - b.scale))
    }

    public static func == (a: SQLNumeric, b: SQLNumeric) -> Bool {
        compare(a, b) == 0
    }

    /// Hashes the value without trailing zeros, so equal values of different scales hash alike.
    public func hash(into hasher: inout Hasher) {
        guard !limbs.isEmpty else {
            hasher.combine(0 as UInt8)
            return
        }
        hasher.combine(isNegative)
        hasher.combine(leadingDigitExponent)
        let zeros = NumericMagnitude.trailingZeroDigits(limbs)
        hasher.combine(zeros == 0 ? limbs : NumericMagnitude.shiftedDown(limbs, by: zeros))
    }
}

extension SQLNumeric: Comparable {
    public static func < (a: SQLNumeric, b: SQLNumeric) -> Bool {
        compare(a, b) < 0
    }
}
