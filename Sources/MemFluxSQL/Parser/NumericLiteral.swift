// Numeric constants: `42` is an Int64 when it fits, anything else (`1.5`,
// `1e3`, `99999999999999999999`) an exact SQLNumeric built straight from the
// digits: coefficient in base-10^9 limbs, least significant first, scale =
// digits after the point once the exponent is applied (`1.5e-3` is 15 with
// scale 4, `1e3` is 1000 with scale 0). PostgreSQL's NUMERIC limits bound what
// a literal may allocate: at most 131072 digits before the point and 16383
// after, else "value overflows numeric format".

import MemFluxCore

enum NumericLiteral {
    static let maxIntegerDigits = 131_072
    static let maxScale = 16_383

    /// The value of an integer or decimal token's text; nil when it overflows NUMERIC.
    static func value(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, integer: Bool) -> SQLValue? {
        if integer {
            var value: Int64 = 0
            var i = start
            var fits = true
            while i < end {
                let b = bytes[i]
                i += 1
                if b == UInt8(ascii: "_") { continue }
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(b &- UInt8(ascii: "0")))
                if o1 || o2 {
                    fits = false
                    break
                }
                value = s
            }
            if fits { return .int(value) }
        }
        return numeric(bytes, start, end).map { .numeric($0) }
    }

    static func numeric(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> SQLNumeric? {
        // Digits of the coefficient (no point, no underscores, no leading zeros), digits after the point, exponent.
        var digits = [UInt8]()
        digits.reserveCapacity(end - start)
        var fractionDigits = 0
        var afterPoint = false
        var exponent = 0
        var i = start
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: ".") {
                afterPoint = true
            } else if b | 0x20 == UInt8(ascii: "e") {
                i += 1
                var negative = false
                if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                    negative = bytes[i] == UInt8(ascii: "-")
                    i += 1
                }
                while i < end {
                    let d = bytes[i]
                    if d != UInt8(ascii: "_") { exponent = min(exponent * 10 + Int(d &- UInt8(ascii: "0")), 1 << 40) }
                    i += 1
                }
                if negative { exponent = -exponent }
                break
            } else if b != UInt8(ascii: "_") {
                if afterPoint { fractionDigits += 1 }
                if !(digits.isEmpty && b == UInt8(ascii: "0")) { digits.append(b &- UInt8(ascii: "0")) }
            }
            i += 1
        }
        // PostgreSQL refuses exponents past INT_MAX / 2 before looking at the digits.
        guard abs(exponent) < Int(Int32.max) / 2 else { return nil }
        let scale = max(0, fractionDigits - exponent)
        guard scale <= maxScale else { return nil }
        if digits.isEmpty { return SQLNumeric(isNegative: false, limbs: [], scale: scale) }
        // Digits before the point, and trailing zeros the exponent appends to the coefficient.
        let zeros = max(0, exponent - fractionDigits)
        let integerDigits = digits.count - fractionDigits + exponent
        guard integerDigits <= maxIntegerDigits else { return nil }
        // The coefficient is all of `digits` followed by `zeros` zeros; `scale` places the point.
        let total = digits.count + zeros
        var limbs = [UInt32]()
        limbs.reserveCapacity(total / 9 + 1)
        // Walk from the least significant digit: zeros first, then digits from the end.
        var limb: UInt32 = 0
        var power: UInt32 = 1
        var position = 0
        func push(_ d: UInt8) {
            limb += UInt32(d) * power
            position += 1
            if position == 9 {
                limbs.append(limb)
                limb = 0
                power = 1
                position = 0
            } else {
                power *= 10
            }
        }
        // The least significant limbs: whole limbs of appended zeros, then the rest of the zeros.
        limbs.append(contentsOf: repeatElement(0, count: zeros / 9))
        for _ in 0..<(zeros % 9) { push(0) }
        var d = digits.count - 1
        while d >= 0 {
            push(digits[d])
            d -= 1
        }
        if position > 0 { limbs.append(limb) }
        while let last = limbs.last, last == 0 { limbs.removeLast() }
        return SQLNumeric(isNegative: false, limbs: limbs, scale: scale)
    }

    /// `-x` for a numeric constant, as PostgreSQL folds a minus into the literal (doNegate).
    static func negate(_ value: SQLValue) -> SQLValue? {
        switch value {
        case .int(let v):
            if v == Int64.min { return .numeric(SQLNumeric(isNegative: false, limbs: [854_775_808, 223_372_036, 9], scale: 0)) }
            return .int(-v)
        case .numeric(var n):
            if n.scale == 0 && !n.isNegative && n.limbs == [854_775_808, 223_372_036, 9] { return .int(Int64.min) }
            if !n.limbs.isEmpty { n.isNegative.toggle() }
            return .numeric(n)
        default:
            return nil
        }
    }
}
