import Testing
@testable import MemFluxCore

@Suite struct BytesTests {
    @Test func concatenationOfEveryLengthMix() {
        // Short results are joined on the stack, longer ones through an array: both must give the same bytes.
        for (a, b) in [(0, 0), (2, 6), (15, 0), (15, 1), (7, 9), (16, 16), (20, 12), (20, 13), (1, 40)] {
            let left = (0..<a).map { UInt8(truncatingIfNeeded: $0 &+ 65) }
            let right = (0..<b).map { UInt8(truncatingIfNeeded: $0 &+ 97) }
            #expect(Array((Bytes(left) + Bytes(right)).array) == left + right)
        }
        #expect(Bytes("t:") + Bytes(Int64(-42)) == Bytes("t:-42"))
    }

    @Test func prefixesInlineAndOnTheHeap() {
        let long = Bytes("table_with_a_long_name:12345")
        let cases: [(String, String, Bool)] = [
            ("t:1", "t:", true), ("t:1", "u:", false), ("t", "t:", false), ("t:", "t:", true), ("abc", "", true),
            ("abcdefgh:1", "abcdefgh:", true), ("abcdefgh:1", "abcdefgX:", false), ("abcdefghijklmnop", "abcdefghijklmnop", true),
            ("abcdefghijklmnoq", "abcdefghijklmnop", false), ("abcdefghij", "abcdefgh", true), ("abcdefgh", "abcdefghi", false),
        ]
        for (key, prefix, expected) in cases {
            #expect(Bytes(key).hasPrefix(Bytes(prefix)) == expected, "\(key) \(prefix)")
        }
        #expect(long.hasPrefix(Bytes("table_with_a_long_name:")))
        #expect(long.hasPrefix(Bytes("table:")) == false)
        #expect(long.hasPrefix(Bytes("table_with")), "a heap key, an inline prefix")
        #expect(Bytes("t:1").hasPrefix(long) == false)
    }

    @Test func strictIntegerParsing() {
        #expect(Bytes("0").parseInt64() == 0)
        #expect(Bytes("-12").parseInt64() == -12)
        #expect(Bytes("9223372036854775807").parseInt64() == .max)
        #expect(Bytes("-9223372036854775808").parseInt64() == .min)
        for bad in ["", "-", "+1", "01", "-0", " 1", "1 ", "1.0", "9223372036854775808", "-9223372036854775809", "abc", "99999999999999999999"] {
            #expect(Bytes(bad).parseInt64() == nil, "\(bad)")
        }
    }

    @Test func integerFormatting() {
        for v: Int64 in [0, 7, -7, 10, 1234567890, 9_999_999_999_999_999, 10_000_000_000_000_000, -999_999_999_999_999, -1_000_000_000_000_000, .max, .min] {
            #expect(Bytes(v).string == String(v))
        }
    }

    @Test func floatParsingAndHumanFormatting() {
        #expect(Bytes("1.5").parseLongDouble() == 1.5)
        #expect(Bytes("5.0e3").parseLongDouble() == 5000)
        #expect(Bytes("inf").parseLongDouble() == .infinity)
        #expect(Bytes("nan").parseLongDouble() == nil)
        #expect(Bytes("1e5000").parseLongDouble() == nil, "overflow")
        #expect(Bytes("1e-5000").parseLongDouble() == nil, "underflow to zero")
        #expect(Bytes("1e-4940").parseLongDouble() != nil, "a denormal is a value")
        #expect(Bytes("1.5x").parseLongDouble() == nil)
        #expect(Bytes(" 1").parseLongDouble() == nil)
        #expect(Bytes("").parseLongDouble() == nil)
        #expect(Bytes(humanFloat: 10.5).string == "10.5")
        #expect(Bytes(humanFloat: Bytes("10.6").parseLongDouble()!).string == "10.6")
        #expect(Bytes(humanFloat: 3).string == "3")
        #expect(Bytes(humanFloat: -0.0).string == "0")
        #expect(Bytes(humanFloat: 1e20).string == "100000000000000000000")
    }

    @Test func equalityHashingAndOrder() {
        #expect(Bytes("abc") == Bytes("abc"))
        #expect(Bytes("abc") != Bytes("abd"))
        #expect(Bytes("abc").fastHash == Bytes(Array("abc".utf8)).fastHash)
        #expect(Bytes("a") < Bytes("b"))
        #expect(Bytes("a") < Bytes("ab"))
        #expect(Bytes("GeT").lowercasedASCII() == Bytes("get"))
        #expect(Bytes("NX").equalsIgnoringCase("nx"))
        #expect(!Bytes("NXX").equalsIgnoringCase("nx"))
        var set = Set<Bytes>()
        for i in 0..<1000 { set.insert(Bytes("key:\(i)")) }
        #expect(set.count == 1000)
    }

    @Test func inlineAndHeapForms() {
        // Inline hashing over padded words must agree with the byte loop.
        for n in 0...16 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 200) }
            let b = Bytes(bytes)
            #expect(b.count == n)
            #expect(Array(b.array) == bytes)
            #expect(b.cachedHash == bytes.withUnsafeBytes { Bytes.hash($0) }, "length \(n)")
        }
        #expect(Bytes([1, 2, 0]) != Bytes([1, 2]), "zero padding does not hide a trailing zero")
        #expect(Bytes([0]) != Bytes())
        let sixteen = Bytes(String(repeating: "a", count: 16))
        let seventeen = Bytes(String(repeating: "a", count: 17))
        #expect(sixteen != seventeen && sixteen < seventeen)
        #expect(seventeen[0..<16] == sixteen, "a short slice of a heap string is inline and equal")
        var grown = Bytes("0123456789")
        grown.mutate { $0.append(contentsOf: "abcdefghij".utf8) }
        #expect(grown == Bytes("0123456789abcdefghij"))
        grown.mutate { $0.removeLast(15) }
        #expect(grown == Bytes("01234"))
    }

    @Test func firstIndexInEveryFormAndPosition() {
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 40] {
            for position in 0..<length {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                bytes[position] = UInt8(ascii: ":")
                if position + 1 < length { bytes[length - 1] = UInt8(ascii: ":") }
                #expect(Bytes(bytes).firstIndex(of: UInt8(ascii: ":")) == position, "length \(length)")
            }
            let plain = Bytes([UInt8](repeating: 0x81, count: length))
            #expect(plain.firstIndex(of: UInt8(ascii: ":")) == nil)
            #expect(plain.firstIndex(of: 0) == nil, "the zero padding of the inline form is not a byte")
            #expect(plain.firstIndex(of: 0x80) == nil)
            #expect(plain.firstIndex(of: 0x81) == (length == 0 ? nil : 0))
        }
        #expect(Bytes([1, 0, 0]).firstIndex(of: 0) == 1)
        #expect(Bytes([0x3A + 0x01, 0x3A]).firstIndex(of: 0x3A) == 1)
    }

    @Test func lowercasingEveryByte() {
        for c in 0...255 {
            let upper = UInt8(c)
            let expected: UInt8 = upper >= 65 && upper <= 90 ? upper | 0x20 : upper
            #expect(Bytes([upper, upper]).lowercasedASCII() == Bytes([expected, expected]), "byte \(c)")
            #expect(Bytes([UInt8](repeating: upper, count: 20)).lowercasedASCII() == Bytes([UInt8](repeating: expected, count: 20)))
        }
    }

    @Test func globPatterns() {
        func m(_ p: String, _ s: String) -> Bool { GlobPattern(Bytes(p)).matches(Bytes(s)) }
        #expect(m("*", ""))
        #expect(m("h?llo", "hello"))
        #expect(!m("h?llo", "hllo"))
        #expect(m("h*llo", "hllo"))
        #expect(m("h[a-c]llo", "hbllo"))
        #expect(!m("h[^a-c]llo", "hbllo"))
        #expect(m("a\\*", "a*"))
        #expect(!m("a\\*", "ab"))
        #expect(m("*a*a*a*a*a*a*a*b", String(repeating: "a", count: 40) + "b"))
        #expect(!m("*a*a*a*a*a*a*a*b", String(repeating: "a", count: 40)))
        #expect(GlobPattern(Bytes("user:*")).literalPrefix == Bytes("user:"))
    }
}
