// JSONPrinter: compact JSON text, byte for byte what RedisJSON (serde_json) replies.
//
// Every JSON.GET and every SQL row reply goes through here, so values are
// written into the caller's byte buffer: the reply encoder can serialize into
// the buffer it is about to send. Bytes are staged in a stack chunk
// (`JSONWriter`) so the buffer sees a few large appends, not one call per
// comma. Strings are copied in runs between the few bytes that need escaping
// (quote, backslash, controls), found 8 bytes at a time; non-ASCII UTF-8
// passes through as-is, as serde_json does.
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
        JSONWriter.with(&out) { writer in writer.write(self) }
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

/// Output staging. Every `ContiguousArray.append` is an out-of-line call with a
/// uniqueness check, and printing makes several per value, so bytes are first
/// written into a 1 KiB stack chunk with plain stores and reach `out` in a few
/// large appends. The chunk pointer never leaves `with`'s closure.
struct JSONWriter: ~Copyable {
    static let chunkSize = 1024

    var out: ContiguousArray<UInt8> = []
    let chunk: UnsafeMutableBufferPointer<UInt8>
    var used = 0

    init(chunk: UnsafeMutableBufferPointer<UInt8>) { self.chunk = chunk }

    /// Runs `body` with a writer that appends to `out`.
    static func with(_ out: inout ContiguousArray<UInt8>, _ body: (inout JSONWriter) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: chunkSize) { chunk in
            var writer = JSONWriter(chunk: chunk)
            swap(&writer.out, &out)
            body(&writer)
            writer.flush()
            swap(&writer.out, &out)
        }
    }

    mutating func flush() {
        guard used > 0 else { return }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[0..<used]))
        used = 0
    }

    /// Makes room for `count` contiguous bytes in the chunk (`count` <= chunkSize).
    @inline(__always)
    mutating func reserve(_ count: Int) {
        if chunk.count &- used < count { flush() }
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        if used == chunk.count { flush() }
        chunk[used] = value
        used &+= 1
    }

    mutating func bytes(_ source: UnsafeBufferPointer<UInt8>) {
        guard let base = source.baseAddress else { return }
        if source.count > chunk.count &- used {
            flush()
            if source.count > chunk.count {
                out.append(contentsOf: source)
                return
            }
        }
        (chunk.baseAddress.unsafelyUnwrapped + used).update(from: base, count: source.count)
        used &+= source.count
    }

    @inline(__always)
    mutating func literal(_ text: StaticString) {
        text.withUTF8Buffer { bytes($0) }
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null:
            literal("null")
        case .bool(let flag):
            literal(flag ? "true" : "false")
        case .int(let number):
            integer(number)
        case .double(let number):
            double(number)
        case .string(let text):
            string(text)
        case .array(let items):
            byte(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { byte(UInt8(ascii: ",")) }
                first = false
                write(item)
            }
            byte(UInt8(ascii: "]"))
        case .object(let fields):
            byte(UInt8(ascii: "{"))
            var first = true
            for (key, value) in fields {
                if !first { byte(UInt8(ascii: ",")) }
                first = false
                string(key)
                byte(UInt8(ascii: ":"))
                write(value)
            }
            byte(UInt8(ascii: "}"))
        }
    }

    /// Decimal digits of `value`, with a leading `-` when negative (Int64.min included).
    mutating func integer(_ value: Int64) {
        reserve(20)
        if value < 0 {
            chunk[used] = UInt8(ascii: "-")
            used &+= 1
        }
        var magnitude = value.magnitude
        var digits = 1
        var limit: UInt64 = 10
        while digits < 20 && magnitude >= limit {
            digits &+= 1
            limit = limit &* 10
        }
        var position = used &+ digits
        used = position
        repeat {
            position &-= 1
            chunk[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
    }

    /// A JSON string literal: `"` `\` and control characters escaped (`\n \r \t \b \f`, others `\u00XX`).
    mutating func string(_ text: String) {
        byte(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            var j = 0
            while j < utf8.count {
                // Skip 8 bytes at a time while none needs escaping (the common case).
                if j &+ 8 <= utf8.count {
                    let word = UnsafeRawBufferPointer(utf8).loadUnaligned(fromByteOffset: j, as: UInt64.self)
                    if !Self.needsEscape(word) {
                        j &+= 8
                        continue
                    }
                }
                let b = utf8[j]
                if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                    bytes(UnsafeBufferPointer(rebasing: utf8[runStart..<j]))
                    escape(b)
                    runStart = j &+ 1
                }
                j &+= 1
            }
            bytes(UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        byte(UInt8(ascii: "\""))
    }

    /// True if one of the 8 bytes in `word` is a quote, a backslash or below 0x20
    /// ("has zero byte" on `word ^ c`, "has byte less than" for controls; bytes >= 0x80 pass).
    @inline(__always)
    static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let found = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
        return found & 0x8080_8080_8080_8080 != 0
    }

    mutating func escape(_ value: UInt8) {
        reserve(6)
        byte(UInt8(ascii: "\\"))
        switch value {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte(value)
        case 0x08: byte(UInt8(ascii: "b"))
        case 0x0C: byte(UInt8(ascii: "f"))
        case 0x0A: byte(UInt8(ascii: "n"))
        case 0x0D: byte(UInt8(ascii: "r"))
        case 0x09: byte(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            literal("u00")
            hex.withUTF8Buffer { digits in
                byte(digits[Int(value >> 4)])
                byte(digits[Int(value & 0xF)])
            }
        }
    }

    mutating func double(_ value: Double) {
        guard value.isFinite else {
            literal("null")
            return
        }
        if value.sign == .minus { byte(UInt8(ascii: "-")) }
        var text = value.magnitude.description
        text.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digits in
                let (count, pointExponent) = JSONPrinter.decimalDigits(of: utf8, into: digits)
                layOut(UnsafeBufferPointer(rebasing: digits[0..<count]), pointExponent: pointExponent)
            }
        }
    }

    /// ryu's `format64` layout for digits d1...dn with value 0.d1...dn x 10^kk.
    mutating func layOut(_ digits: UnsafeBufferPointer<UInt8>, pointExponent kk: Int) {
        let length = digits.count
        guard length > 0 else {
            literal("0.0")
            return
        }
        let k = kk - length
        if k >= 0 && kk <= 16 {
            // 1234e7 -> 12340000000.0
            bytes(digits)
            for _ in 0..<k { byte(UInt8(ascii: "0")) }
            literal(".0")
        } else if kk > 0 && kk <= 16 {
            // 1234e-2 -> 12.34
            bytes(UnsafeBufferPointer(rebasing: digits[0..<kk]))
            byte(UInt8(ascii: "."))
            bytes(UnsafeBufferPointer(rebasing: digits[kk...]))
        } else if kk > -5 && kk <= 0 {
            // 1234e-6 -> 0.001234
            literal("0.")
            for _ in 0..<(-kk) { byte(UInt8(ascii: "0")) }
            bytes(digits)
        } else {
            // 1e30, 1234e30 -> 1.234e33
            byte(digits[0])
            if length > 1 {
                byte(UInt8(ascii: "."))
                bytes(UnsafeBufferPointer(rebasing: digits[1...]))
            }
            byte(UInt8(ascii: "e"))
            integer(Int64(kk - 1))
        }
    }
}

/// The pieces of serialization, for reply encoders that write JSON strings and numbers directly.
package enum JSONPrinter {
    /// A JSON string literal, escaped as `serialize` escapes it.
    package static func appendString(_ text: String, to out: inout ContiguousArray<UInt8>) {
        JSONWriter.with(&out) { writer in writer.string(text) }
    }

    /// Decimal digits of `value`.
    package static func appendInteger(_ value: Int64, to out: inout ContiguousArray<UInt8>) {
        JSONWriter.with(&out) { writer in writer.integer(value) }
    }

    /// Shortest round-trip text of `value` in serde_json's layout. NaN and infinities have
    /// no JSON form and print as `null` (parsing never produces them; arithmetic must check).
    package static func appendDouble(_ value: Double, to out: inout ContiguousArray<UInt8>) {
        JSONWriter.with(&out) { writer in writer.double(value) }
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
}
