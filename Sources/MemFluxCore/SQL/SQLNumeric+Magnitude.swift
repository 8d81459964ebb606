// Unsigned arbitrary-precision integers in base 10^9, least significant limb
// first: the coefficients of SQLNumeric. Base 10^9 rather than 2^32 because
// NUMERIC is decimal: scaling by a power of ten, reading one decimal digit
// and printing are limb shifts and small divisions, never a full base
// conversion. A limb product (< 10^18) plus a carry fits UInt64.
//
// Every function takes and returns normalized magnitudes (no most
// significant zero limbs; zero is empty). Schoolbook multiplication and
// Knuth's algorithm D are enough: NUMERIC's limits keep an operand under
// about 16,400 limbs.

enum NumericMagnitude {
    static let base: UInt64 = 1_000_000_000
    static let digitsPerLimb = 9
    static let powersOfTen: [UInt32] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]

    static func normalize(_ limbs: inout [UInt32]) {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    static func fromUInt64(_ value: UInt64) -> [UInt32] {
        var limbs: [UInt32] = []
        var rest = value
        while rest > 0 {
            limbs.append(UInt32(rest % base))
            rest /= base
        }
        return limbs
    }

    /// The value as a UInt64, or nil if it does not fit.
    static func toUInt64(_ limbs: [UInt32]) -> UInt64? {
        var value: UInt64 = 0
        for limb in limbs.reversed() {
            let (scaled, overflow1) = value.multipliedReportingOverflow(by: base)
            let (sum, overflow2) = scaled.addingReportingOverflow(UInt64(limb))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    static func compare(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        var i = a.count
        while i > 0 {
            i -= 1
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        }
        return 0
    }

    /// Number of decimal digits (0 for zero).
    static func digitCount(_ limbs: [UInt32]) -> Int {
        guard let top = limbs.last else { return 0 }
        var digits = 1
        while digits < digitsPerLimb && top >= powersOfTen[digits] { digits += 1 }
        return (limbs.count - 1) * digitsPerLimb + digits
    }

    /// The decimal digit at `position` (0 = units); 0 beyond the top or below the units.
    static func digit(_ limbs: [UInt32], at position: Int) -> UInt32 {
        let index = position / digitsPerLimb
        guard position >= 0 && index < limbs.count else { return 0 }
        return limbs[index] / powersOfTen[position % digitsPerLimb] % 10
    }

    /// True if every digit below `position` is zero.
    static func isZero(_ limbs: [UInt32], below position: Int) -> Bool {
        let whole = min(position / digitsPerLimb, limbs.count)
        for i in 0..<whole where limbs[i] != 0 { return false }
        guard whole < limbs.count else { return true }
        return limbs[whole] % powersOfTen[position % digitsPerLimb] == 0
    }

    /// Number of trailing zero decimal digits (0 for zero).
    static func trailingZeroDigits(_ limbs: [UInt32]) -> Int {
        guard let first = limbs.firstIndex(where: { $0 != 0 }) else { return 0 }
        var count = first * digitsPerLimb
        var limb = limbs[first]
        while limb % 10 == 0 {
            limb /= 10
            count += 1
        }
        return count
    }

    static func add(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        let (long, short) = a.count >= b.count ? (a, b) : (b, a)
        var result = [UInt32]()
        result.reserveCapacity(long.count + 1)
        var carry: UInt64 = 0
        for i in 0..<long.count {
            let sum = UInt64(long[i]) + (i < short.count ? UInt64(short[i]) : 0) + carry
            result.append(UInt32(sum % base))
            carry = sum / base
        }
        if carry > 0 { result.append(UInt32(carry)) }
        return result
    }

    /// a - b; requires a >= b.
    static func subtract(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var result = [UInt32]()
        result.reserveCapacity(a.count)
        var borrow: UInt64 = 0
        for i in 0..<a.count {
            let subtrahend = (i < b.count ? UInt64(b[i]) : 0) + borrow
            let minuend = UInt64(a[i])
            if minuend >= subtrahend {
                result.append(UInt32(minuend - subtrahend))
                borrow = 0
            } else {
                result.append(UInt32(minuend + base - subtrahend))
                borrow = 1
            }
        }
        normalize(&result)
        return result
    }

    static func multiply(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        guard !a.isEmpty && !b.isEmpty else { return [] }
        if b.count == 1 { return multiply(a, small: b[0]) }
        if a.count == 1 { return multiply(b, small: a[0]) }
        var result = [UInt32](repeating: 0, count: a.count + b.count)
        for i in 0..<a.count {
            let factor = UInt64(a[i])
            if factor == 0 { continue }
            var carry: UInt64 = 0
            for j in 0..<b.count {
                let t = UInt64(result[i + j]) + factor * UInt64(b[j]) + carry
                result[i + j] = UInt32(t % base)
                carry = t / base
            }
            result[i + b.count] = UInt32(carry)
        }
        normalize(&result)
        return result
    }

    /// a * m for m < 10^9.
    static func multiply(_ a: [UInt32], small m: UInt32) -> [UInt32] {
        guard m != 0 && !a.isEmpty else { return [] }
        var result = [UInt32]()
        result.reserveCapacity(a.count + 1)
        var carry: UInt64 = 0
        for limb in a {
            let t = UInt64(limb) * UInt64(m) + carry
            result.append(UInt32(t % base))
            carry = t / base
        }
        if carry > 0 { result.append(UInt32(carry)) }
        return result
    }

    /// (a / d, a % d) for 0 < d < 10^9.
    static func divide(_ a: [UInt32], small d: UInt32) -> (quotient: [UInt32], remainder: UInt32) {
        var quotient = [UInt32](repeating: 0, count: a.count)
        var remainder: UInt64 = 0
        var i = a.count
        while i > 0 {
            i -= 1
            let t = remainder * base + UInt64(a[i])
            quotient[i] = UInt32(t / UInt64(d))
            remainder = t % UInt64(d)
        }
        normalize(&quotient)
        return (quotient, UInt32(remainder))
    }

    /// Knuth's algorithm D (TAOCP 4.3.1): (a / b, a % b) for b != 0.
    static func divide(_ a: [UInt32], _ b: [UInt32]) -> (quotient: [UInt32], remainder: [UInt32]) {
        precondition(!b.isEmpty, "NumericMagnitude.divide by zero")
        if compare(a, b) < 0 { return ([], a) }
        if b.count == 1 {
            let (q, r) = divide(a, small: b[0])
            return (q, r == 0 ? [] : [r])
        }
        let n = b.count
        let m = a.count - n
        // Scale both so the divisor's top limb is at least base/2: then each
        // estimated quotient limb is at most 2 too large.
        let scale = UInt32(base / (UInt64(b[n - 1]) + 1))
        var u = multiply(a, small: scale)
        while u.count < a.count + 1 { u.append(0) }
        let v = multiply(b, small: scale)
        let vTop = UInt64(v[n - 1])
        let vNext = UInt64(v[n - 2])
        var quotient = [UInt32](repeating: 0, count: m + 1)
        var j = m
        while j >= 0 {
            let numerator = UInt64(u[j + n]) * base + UInt64(u[j + n - 1])
            var qhat = numerator / vTop
            var rhat = numerator % vTop
            while qhat >= base || qhat * vNext > rhat * base + UInt64(u[j + n - 2]) {
                qhat -= 1
                rhat += vTop
                if rhat >= base { break }
            }
            // u[j...j+n] -= qhat * v
            var carry: UInt64 = 0
            var borrow: Int64 = 0
            for i in 0..<n {
                let product = qhat * UInt64(v[i]) + carry
                carry = product / base
                var difference = Int64(u[i + j]) - Int64(product % base) + borrow
                borrow = 0
                if difference < 0 {
                    difference += Int64(base)
                    borrow = -1
                }
                u[i + j] = UInt32(difference)
            }
            let top = Int64(u[j + n]) - Int64(carry) + borrow
            if top < 0 {
                // qhat was one too large: add v back (the carry out cancels the borrow).
                qhat -= 1
                var addCarry: UInt64 = 0
                for i in 0..<n {
                    let sum = UInt64(u[i + j]) + UInt64(v[i]) + addCarry
                    u[i + j] = UInt32(sum % base)
                    addCarry = sum / base
                }
                u[j + n] = UInt32((top + Int64(base) + Int64(addCarry)) % Int64(base))
            } else {
                u[j + n] = UInt32(top)
            }
            quotient[j] = UInt32(qhat)
            j -= 1
        }
        normalize(&quotient)
        var remainder = Array(u[0..<n])
        normalize(&remainder)
        remainder = divide(remainder, small: scale).quotient
        return (quotient, remainder)
    }

    /// a * 10^k.
    static func shiftedUp(_ a: [UInt32], by k: Int) -> [UInt32] {
        guard !a.isEmpty && k > 0 else { return a }
        let scaled = multiply(a, small: powersOfTen[k % digitsPerLimb])
        let zeroLimbs = k / digitsPerLimb
        guard zeroLimbs > 0 else { return scaled }
        return [UInt32](repeating: 0, count: zeroLimbs) + scaled
    }

    /// a / 10^k, truncated.
    static func shiftedDown(_ a: [UInt32], by k: Int) -> [UInt32] {
        guard k > 0 else { return a }
        let dropLimbs = k / digitsPerLimb
        guard dropLimbs < a.count else { return [] }
        let kept = dropLimbs == 0 ? a : Array(a[dropLimbs...])
        let rest = k % digitsPerLimb
        return rest == 0 ? kept : divide(kept, small: powersOfTen[rest]).quotient
    }

    /// 10^k.
    static func powerOfTen(_ k: Int) -> [UInt32] {
        shiftedUp([1], by: k)
    }

    /// Decimal digits, most significant first, without leading zeros ("" for zero).
    static func decimalDigits(_ limbs: [UInt32], into out: inout [UInt8]) {
        guard let top = limbs.last else { return }
        appendDigits(of: top, padded: false, to: &out)
        var i = limbs.count - 1
        while i > 0 {
            i -= 1
            appendDigits(of: limbs[i], padded: true, to: &out)
        }
    }

    private static func appendDigits(of limb: UInt32, padded: Bool, to out: inout [UInt8]) {
        var width = digitsPerLimb
        if !padded {
            width = 1
            while width < digitsPerLimb && limb >= powersOfTen[width] { width += 1 }
        }
        var k = width
        while k > 0 {
            k -= 1
            out.append(UInt8(ascii: "0") + UInt8(limb / powersOfTen[k] % 10))
        }
    }

    /// Limbs of the decimal digits in `digits` (ASCII '0'...'9', most significant first).
    static func fromDecimalDigits(_ digits: ArraySlice<UInt8>) -> [UInt32] {
        var limbs = [UInt32]()
        limbs.reserveCapacity(digits.count / digitsPerLimb + 1)
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = max(digits.startIndex, end - digitsPerLimb)
            var limb: UInt32 = 0
            for d in digits[start..<end] { limb = limb * 10 + UInt32(d - UInt8(ascii: "0")) }
            limbs.append(limb)
            end = start
        }
        normalize(&limbs)
        return limbs
    }
}
