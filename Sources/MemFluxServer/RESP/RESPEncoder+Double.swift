// Double formatting as Redis 7.2's d2string: the text ZSCORE-like replies
// carry in RESP2 bulk strings and RESP3 `,` doubles.
//
//   nan, inf, -inf, 0, -0          spelled out
//   integral and |d| <= 2^62       decimal integer (Redis's ll2string fast path)
//   otherwise                      shortest round-trip digits (Swift's
//                                  description gives the same digits as fpconv's
//                                  grisu), laid out by fpconv's emit_digits rules

extension RESPEncoder {
    /// The wire text of `value`.
    ///
    ///     RESPEncoder.format(1.5)     // "1.5"
    ///     RESPEncoder.format(3.0)     // "3"
    ///     RESPEncoder.format(1e300)   // "1e+300"
    ///     RESPEncoder.format(0.0001)  // "0.0001"
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let limit = Double(Int64.max / 2)
        if value >= -limit && value <= limit, let exact = Int64(exactly: value) { return String(exact) }

        // Shortest digits and the power of ten of the last one: value = ±digits × 10^k.
        let text = String(describing: value.magnitude)
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        for c in mantissa.utf8 {
            if c == UInt8(ascii: ".") {
                seenPoint = true
            } else {
                digits.append(c)
                if seenPoint { fractionDigits += 1 }
            }
        }
        var k = exponent - fractionDigits
        while digits.count > 1 && digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        while digits.count > 1 && digits.last == UInt8(ascii: "0") {
            digits.removeLast()
            k += 1
        }
        return (value < 0 ? "-" : "") + emit(digits, k, negative: value < 0)
    }

    /// fpconv's emit_digits: plain integer, plain decimal, or d.ddde±x.
    static func emit(_ digits: [UInt8], _ k: Int, negative: Bool) -> String {
        var out: [UInt8] = []
        let count = digits.count
        var exp = abs(k + count - 1)
        if k >= 0 && exp < count + 7 {
            out = digits + [UInt8](repeating: UInt8(ascii: "0"), count: k)
        } else if k < 0 && (k > -7 || exp < 4) {
            let offset = count - abs(k)
            if offset <= 0 {
                out = [UInt8(ascii: "0"), UInt8(ascii: ".")] + [UInt8](repeating: UInt8(ascii: "0"), count: -offset) + digits
            } else {
                out = Array(digits[..<offset]) + [UInt8(ascii: ".")] + Array(digits[offset...])
            }
        } else {
            let kept = min(count, 18 - (negative ? 1 : 0))
            out.append(digits[0])
            if kept > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[1..<kept])
            }
            out.append(UInt8(ascii: "e"))
            out.append(k + kept - 1 < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            var hundreds = 0
            if exp > 99 {
                hundreds = exp / 100
                out.append(UInt8(ascii: "0") + UInt8(hundreds))
                exp -= hundreds * 100
            }
            if exp > 9 {
                out.append(UInt8(ascii: "0") + UInt8(exp / 10))
                exp %= 10
            } else if hundreds > 0 {
                out.append(UInt8(ascii: "0"))
            }
            out.append(UInt8(ascii: "0") + UInt8(exp))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
