// Tests for JSONPrinter.swift: the exact bytes RedisJSON (serde_json) would reply.

import Collections
import Testing
@testable import MemFluxCore

private func printed(_ value: JSONValue) -> String {
    var out = ContiguousArray<UInt8>()
    value.serialize(into: &out)
    return String(decoding: out, as: UTF8.self)
}

@Suite("JSON printer")
struct JSONPrinterTests {
    @Test(arguments: [
        (3.0, "3.0"), (1.5, "1.5"), (-2.5, "-2.5"), (0.0, "0.0"), (-0.0, "-0.0"), (100.0, "100.0"),
        (0.1, "0.1"), (0.3, "0.3"), (2.0 / 3.0, "0.6666666666666666"), (0.1 + 0.2, "0.30000000000000004"),
        (1e20, "1e20"), (1.5e-7, "1.5e-7"), (1e15, "1000000000000000.0"), (1e16, "1e16"),
        (9_007_199_254_740_993, "9007199254740992.0"), (123_456.789, "123456.789"),
        (1e-4, "0.0001"), (1e-5, "0.00001"), (1.25e-5, "0.0000125"), (1e-6, "1e-6"),
        (1.2345e25, "1.2345e25"), (-1.2345e-25, "-1.2345e-25"), (12345678.9, "12345678.9"),
        (1.7976931348623157e308, "1.7976931348623157e308"), (5e-324, "5e-324"),
        (2.2250738585072014e-308, "2.2250738585072014e-308"), (9.223372036854776e18, "9.223372036854776e18"),
        (1234567890123456.7, "1234567890123456.8"), (12345678901234567.0, "1.2345678901234568e16"),
    ] as [(Double, String)])
    func doubles(_ value: Double, _ text: String) throws {
        #expect(printed(.double(value)) == text)
        // And the text reads back to the same double.
        #expect(try JSONValue.parse(text) == .double(value))
    }

    @Test func nonFiniteDoublesPrintAsNull() {
        #expect(printed(.double(.infinity)) == "null")
        #expect(printed(.double(-.infinity)) == "null")
        #expect(printed(.double(.nan)) == "null")
    }

    @Test func integers() {
        #expect(printed(.int(0)) == "0")
        #expect(printed(.int(7)) == "7")
        #expect(printed(.int(-1)) == "-1")
        #expect(printed(.int(10)) == "10")
        #expect(printed(.int(-1234567890)) == "-1234567890")
        #expect(printed(.int(Int64.max)) == "9223372036854775807")
        #expect(printed(.int(Int64.min)) == "-9223372036854775808")
    }

    @Test func stringsAreEscapedMinimally() {
        let raw = "a\"b\\c/\n\r\t\u{08}\u{0C}\u{00}\u{01}\u{1F}\u{7F}é😀中"
        #expect(printed(.string(raw)) == "\"a\\\"b\\\\c/\\n\\r\\t\\b\\f\\u0000\\u0001\\u001f\u{7F}é😀中\"")
        #expect(printed(.string("")) == #""""#)
        #expect(printed(.string("plain text, no escapes")) == #""plain text, no escapes""#)
    }

    /// The 8-byte scan must find a byte to escape at every offset, and pass non-ASCII through.
    @Test func escapesAtEveryOffset() {
        for before in 0..<20 {
            for after in 0..<12 {
                let a = String(repeating: "a", count: before)
                let b = String(repeating: "é", count: after)
                #expect(printed(.string(a + "\"" + b)) == "\"" + a + "\\\"" + b + "\"")
                #expect(printed(.string(a + "\u{1}" + b)) == "\"" + a + "\\u0001" + b + "\"")
                #expect(printed(.string(a + b)) == "\"" + a + b + "\"")
            }
        }
    }

    /// Output larger than the writer's 1 KiB chunk, with strings larger than it too.
    @Test func longOutput() throws {
        let long = String(repeating: "0123456789", count: 300)
        let text = "[" + (0..<200).map { #""\#(long.prefix($0 * 7))\n","# }.joined() + #""end"]"#
        let value = try JSONValue.parse(text)
        #expect(value.description == text)
        var out = ContiguousArray<UInt8>("x".utf8)
        value.serialize(into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x" + text)
    }

    @Test func keysAreEscapedToo() {
        let value = JSONValue.object(["a\"b": .int(1), "line\n": .null])
        #expect(printed(value) == #"{"a\"b":1,"line\n":null}"#)
    }

    @Test func compactWithKeysInStoredOrder() {
        var fields = OrderedDictionary<String, JSONValue>()
        fields["z"] = .array([.int(1), .double(2.5), .string("x"), .null, .bool(true), .bool(false)])
        fields["a"] = .object([:])
        fields["m"] = .array([])
        let value = JSONValue.object(fields)
        #expect(printed(value) == #"{"z":[1,2.5,"x",null,true,false],"a":{},"m":[]}"#)
        #expect(value.serialized == Bytes(#"{"z":[1,2.5,"x",null,true,false],"a":{},"m":[]}"#))
        #expect(value.description == #"{"z":[1,2.5,"x",null,true,false],"a":{},"m":[]}"#)
    }

    @Test func serializeAppendsToTheBuffer() {
        var out = ContiguousArray<UInt8>("prefix:".utf8)
        JSONValue.array([.int(1)]).serialize(into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "prefix:[1]")
    }

    @Test(arguments: [
        #"{"user":{"name":"Ada","tags":["x","y"],"age":36,"score":9.5,"ok":true,"none":null}}"#,
        #"[[],[[]],{},{"":""},"\u0000\n\"\\",-0.0,1e-7,1e300,-9223372036854775808]"#,
        #"{"emoji":"😀","cjk":"中文","mixed":"a\tb"}"#,
        #""just a string""#,
        "12",
    ])
    func roundTripsExactly(_ text: String) throws {
        let value = try JSONValue.parse(text)
        let again = try JSONValue.parse(value.serialized)
        #expect(again == value)
        #expect(again.serialized == value.serialized)
    }

    @Test func reprintsCanonically() throws {
        #expect(try JSONValue.parse(#"[ "\u0041\/" , 1E2, 0.5e1, -0 ]"#).description == #"["A/",100.0,5.0,0]"#)
        #expect(try JSONValue.parse(#""\ud83d\ude00""#).description == "\"😀\"")
    }
}
