// SQLNumeric: an exact decimal, PostgreSQL's NUMERIC. The value is
// `coefficient * 10^-scale`, the coefficient kept as a sign and a magnitude
// in base-10^9 limbs, least significant first (no leading zero limbs; zero
// has none and is never negative). The scale is the number of digits after
// the point the value carries, as PostgreSQL keeps it (1.50 has scale 2 and
// prints as 1.50).
//
// Besides finite values there are PostgreSQL's three special ones, NaN,
// Infinity and -Infinity (`kind`; a special value has no limbs and scale 0,
// and -Infinity is negative). They order as PostgreSQL's cmp_numerics does:
// -Infinity below every finite value, Infinity above, NaN above everything
// and equal to itself. Their arithmetic lives in SQLNumeric+Special.swift;
// each public operation checks `isFinite` first and hands specials there, so
// the limb code never sees one.
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
// (input and output), +Arithmetic, +Rounding, +Double, +Special.

public struct SQLNumeric: Sendable, Hashable {
    /// A finite value, or one of PostgreSQL's special values.
    public enum Kind: UInt8, Sendable {
        case finite, nan, infinity, negativeInfinity
    }

    public private(set) var kind: Kind
    public var isNegative: Bool
    /// Base-10^9 limbs of the coefficient, least significant first.
    public var limbs: [UInt32]
    /// Digits after the decimal point.
    public var scale: Int

    /// Normalizes `limbs` (drops most significant zero limbs) and the sign of zero.
    public init(isNegative: Bool, limbs: [UInt32], scale: Int) {
        var limbs = limbs
        NumericMagnitude.normalize(&limbs)
        self.kind = .finite
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

    /// A special value: no limbs, scale 0, negative only for -Infinity.
    private init(special kind: Kind) {
        self.kind = kind
        self.isNegative = kind == .negativeInfinity
        self.limbs = []
        self.scale = 0
    }

    public static let zero = SQLNumeric(isNegative: false, limbs: [], scale: 0)
    public static let nan = SQLNumeric(special: .nan)
    public static let infinity = SQLNumeric(special: .infinity)
    public static let negativeInfinity = SQLNumeric(special: .negativeInfinity)

    public var isFinite: Bool { kind == .finite }
    public var isNaN: Bool { kind == .nan }
    public var isInfinite: Bool { kind == .infinity || kind == .negativeInfinity }

    public var isZero: Bool { kind == .finite && limbs.isEmpty }

    /// -1, 0 or 1; the infinities are -1 and 1, NaN 0 (callers deal with NaN first).
    public var sign: Int {
        switch kind {
        case .finite: limbs.isEmpty ? 0 : (isNegative ? -1 : 1)
        case .infinity: 1
        case .negativeInfinity: -1
        case .nan: 0
        }
    }

    /// The same value with the sign flipped (zero stays zero, Infinity and
    /// -Infinity swap, NaN stays NaN); the scale is kept.
    public func negated() -> SQLNumeric {
        switch kind {
        case .finite: SQLNumeric(isNegative: !isNegative, limbs: limbs, scale: scale)
        case .nan: self
        case .infinity: .negativeInfinity
        case .negativeInfinity: .infinity
        }
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
        if a.kind != .finite || b.kind != .finite {
            let (x, y) = (a.orderRank, b.orderRank)
            return x == y ? 0 : (x < y ? -1 : 1)
        }
        if a.sign != b.sign { return a.sign < b.sign ? -1 : 1 }
        if a.sign == 0 { return 0 }
        let magnitudeOrder = compareMagnitudes(a, b)
        return a.isNegative ? -magnitudeOrder : magnitudeOrder
    }

    /// Where the kind sorts: -Infinity, finite values, Infinity, NaN.
    private var orderRank: Int {
        switch kind {
        case .negativeInfinity: 0
        case .finite: 1
        case .infinity: 2
        case .nan: 3
        }
    }

    /// Compares |a| and |b| (both finite and nonzero).
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
        guard kind == .finite else {
            hasher.combine(kind)
            return
        }
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
