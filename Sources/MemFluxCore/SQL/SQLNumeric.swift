// SQLNumeric: an exact decimal, PostgreSQL's NUMERIC. The value is
// `coefficient * 10^-scale`, the coefficient kept as a sign and a magnitude
// in base-10^9 limbs, least significant first (no leading zero limbs; zero
// has none). The scale is the number of digits after the point the value
// carries, as PostgreSQL keeps it (1.50 has scale 2 and prints as 1.50).

public struct SQLNumeric: Sendable, Hashable {
    public var isNegative: Bool
    /// Base-10^9 limbs of the coefficient, least significant first.
    public var limbs: [UInt32]
    /// Digits after the decimal point.
    public var scale: Int

    public init(isNegative: Bool, limbs: [UInt32], scale: Int) {
        self.isNegative = isNegative
        self.limbs = limbs
        self.scale = scale
    }
}
