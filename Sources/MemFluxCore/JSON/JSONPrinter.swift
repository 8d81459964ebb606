// JSONPrinter: compact JSON text, byte for byte what RedisJSON (serde_json) replies.
//
// Every JSON.GET and every SQL row reply goes through here, so values are
// written straight into a caller's byte buffer: the reply encoder can
// serialize into the buffer it is about to send. Strings are copied in runs
// between the few bytes that need escaping (quote, backslash, controls);
// non-ASCII UTF-8 passes through as-is, as serde_json does.
//
// Doubles: the stdlib's `description` already yields the shortest digits that
// round-trip (and the closest such when several do), the same digits ryu
// gives serde_json. Only the layout differs, so the digits and exponent are
// lifted out of `description` and laid out by ryu's rules: `3.0`, `0.0001`,
// `1e20`, `1.5e-7`, `12345.678`.

extension JSONValue {
    /// Appends the compact JSON text of `self` (no spaces, object keys in stored order).
    ///
    ///     var out = ContiguousArray<UInt8>()
    ///     try JSONValue.parse(#"{ "b": 1, "a": [true, 2.50] }"#).serialize(into: &out)
    ///     // out holds {"b":1,"a":[true,2.5]}
    ///
    /// - Complexity: O(n) in the size of the output.
    public func serialize(into out: inout ContiguousArray<UInt8>) {
        switch self {
        case .null:
            JSONPrinter.append("null", to: &out)
        case .bool(let flag):
            JSONPrinter.append(flag ? "true" : "false", to: &out)
        case .int(let number):
            JSONPrinter.appendInteger(number, to: &out)
        case .double(let number):
            JSONPrinter.appendDouble(number, to: &out)
        case .string(let text):
            JSONPrinter.appendString(text, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                item.serialize(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in fields {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONPrinter.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                value.serialize(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The compact JSON text of `self`.
    ///
    /// - Complexity: O(n) in the size of the output.
    public var serialized: Bytes {
        var out = ContiguousArray<UInt8>()
        serialize(into: &out)
        return Bytes(out)
    }
}

/// The pieces of serialization; `package` so reply encoders can write JSON strings and numbers directly.
package enum JSONPrinter {
    @inline(__always)
    package static func append(_ literal: StaticString, to out: inout ContiguousArray<UInt8>) {
        literal.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// Decimal digits of `value`, with a leading `-` when negative (Int64.min included).
    package static func appendInteger(_ value: Int64, to out: inout ContiguousArray<UInt8>) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        if magnitude < 10 {
            out.append(UInt8(ascii: "0") &+ UInt8(magnitude))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            while magnitude > 0 {
                start &-= 1
                digits[start] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
                magnitude /= 10
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }

    /// A JSON string literal: `"` `\` and control characters escaped (`\n \r \t \b \f`, others `\u00XX`).
    package static func appendString(_ text: String, to out: inout ContiguousArray<UInt8>) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for j in 0..<utf8.count {
                let b = utf8[j]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                if j > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<j])) }
                appendEscape(of: b, to: &out)
                runStart = j &+ 1
            }
            if runStart < utf8.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func appendEscape(of byte: UInt8, to out: inout ContiguousArray<UInt8>) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            append("u00", to: &out)
            hex.withUTF8Buffer { digits in
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0xF)])
            }
        }
    }

    /// Shortest round-trip text of `value` in serde_json's layout. NaN and infinities have
    /// no JSON form and print as `null` (parsing never produces them; arithmetic must check).
    package static func appendDouble(_ value: Double, to out: inout ContiguousArray<UInt8>) {
        guard value.isFinite else {
            append("null", to: &out)
            return
        }
        if value.sign == .minus { out.append(UInt8(ascii: "-")) }
        var text = value.magnitude.description
        text.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digits in
                let (count, pointExponent) = decimalDigits(of: utf8, into: digits)
                layOut(UnsafeBufferPointer(rebasing: digits[0..<count]), pointExponent: pointExponent, to: &out)
            }
        }
    }

    /// Splits a `description` like `1.5e-07` or `0.0001` into significant digits
    /// (no leading or trailing zeros) and `kk`, the value being 0.d1d2... x 10^kk.
    static func decimalDigits(
        of text: UnsafeBufferPointer<UInt8>, into digits: UnsafeMutableBufferPointer<UInt8>
    ) -> (count: Int, pointExponent: Int) {
        var count = 0
        var pointExponent = 0
        var seenPoint = false
        var j = 0
        while j < text.count {
            let c = text[j]
            if c == UInt8(ascii: ".") {
                seenPoint = true
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                break
            } else if c &- UInt8(ascii: "0") < 10 {
                if count == 0 && c == UInt8(ascii: "0") {
                    if seenPoint { pointExponent -= 1 }
                } else if count < digits.count {
                    digits[count] = c
                    count &+= 1
                    if !seenPoint { pointExponent += 1 }
                }
            }
            j &+= 1
        }
        if j < text.count {
            j &+= 1
            var negative = false
            if j < text.count && (text[j] == UInt8(ascii: "-") || text[j] == UInt8(ascii: "+")) {
                negative = text[j] == UInt8(ascii: "-")
                j &+= 1
            }
            var exponent = 0
            while j < text.count {
                exponent = exponent * 10 + Int(text[j] &- UInt8(ascii: "0"))
                j &+= 1
            }
            pointExponent += negative ? -exponent : exponent
        }
        while count > 0 && digits[count &- 1] == UInt8(ascii: "0") { count &-= 1 }
        return (count, pointExponent)
    }

    /// ryu's `format64` layout for digits d1...dn with value 0.d1...dn x 10^kk.
    static func layOut(_ digits: UnsafeBufferPointer<UInt8>, pointExponent kk: Int, to out: inout ContiguousArray<UInt8>) {
        let length = digits.count
        guard length > 0 else {
            append("0.0", to: &out)
            return
        }
        let k = kk - length
        if k >= 0 && kk <= 16 {
            // 1234e7 -> 12340000000.0
            out.append(contentsOf: digits)
            for _ in 0..<k { out.append(UInt8(ascii: "0")) }
            append(".0", to: &out)
        } else if kk > 0 && kk <= 16 {
            // 1234e-2 -> 12.34
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[0..<kk]))
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[kk...]))
        } else if kk > -5 && kk <= 0 {
            // 1234e-6 -> 0.001234
            append("0.", to: &out)
            for _ in 0..<(-kk) { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: digits)
        } else {
            // 1e30, 1234e30 -> 1.234e33
            out.append(digits[0])
            if length > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[1...]))
            }
            out.append(UInt8(ascii: "e"))
            appendInteger(Int64(kk - 1), to: &out)
        }
    }
}
