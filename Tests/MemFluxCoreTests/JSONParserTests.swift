// Tests for JSONParser.swift: exact values, exact error texts and offsets, every entry point.

import Collections
import Testing
@testable import MemFluxCore

/// Parses and re-serializes: the compact text shows exactly what was parsed.
private func reprint(_ text: String) throws -> String {
    try JSONValue.parse(text).description
}

/// The error `parse` throws for `bytes`, rendered as the RESP error text.
private func parseError(_ bytes: [UInt8]) -> String? {
    let result = bytes.withUnsafeBytes { raw in
        Result { () throws(MemFluxError) in try JSONValue.parse(raw) }
    }
    switch result {
    case .success: return nil
    case .failure(let error): return error.description
    }
}

private func parseError(_ text: String) -> String? { parseError(Array(text.utf8)) }

@Suite("JSON parser")
struct JSONParserTests {
    @Test func scalars() throws {
        #expect(try JSONValue.parse("null") == .null)
        #expect(try JSONValue.parse("true") == .bool(true))
        #expect(try JSONValue.parse("false") == .bool(false))
        #expect(try JSONValue.parse(" \t\r\n42 \n") == .int(42))
        #expect(try JSONValue.parse("-7") == .int(-7))
        #expect(try JSONValue.parse("0") == .int(0))
        #expect(try JSONValue.parse(#""hi""#) == .string("hi"))
        #expect(try JSONValue.parse("[]") == .array([]))
        #expect(try JSONValue.parse("{}") == .object([:]))
    }

    @Test func integersStayExactUntilTheyOverflowInt64() throws {
        #expect(try JSONValue.parse("9223372036854775807") == .int(Int64.max))
        #expect(try JSONValue.parse("-9223372036854775808") == .int(Int64.min))
        #expect(try JSONValue.parse("9223372036854775808") == .double(9_223_372_036_854_775_808.0))
        #expect(try JSONValue.parse("-9223372036854775809") == .double(-9_223_372_036_854_775_809.0))
        #expect(try JSONValue.parse("12345678901234567890") == .double(12_345_678_901_234_567_890.0))
        #expect(try JSONValue.parse("123456789012345678901234567890") == .double(1.2345678901234568e29))
        #expect(try reprint("9223372036854775807") == "9223372036854775807")
        #expect(try reprint("-9223372036854775808") == "-9223372036854775808")
        #expect(try reprint("9223372036854775808") == "9.223372036854776e18")
    }

    @Test func fractionsAndExponentsAreDoubles() throws {
        #expect(try JSONValue.parse("1e2") == .double(100))
        #expect(try JSONValue.parse("1E+2") == .double(100))
        #expect(try JSONValue.parse("1.5") == .double(1.5))
        #expect(try JSONValue.parse("-0.0") == .double(-0.0))
        #expect(try JSONValue.parse("2.50") == .double(2.5))
        #expect(try JSONValue.parse("0.1") == .double(0.1))
        #expect(try JSONValue.parse("3.141592653589793") == .double(3.141592653589793))
        #expect(try JSONValue.parse("1.5e-7") == .double(1.5e-7))
        #expect(try JSONValue.parse("1.7976931348623157e308") == .double(.greatestFiniteMagnitude))
        #expect(try JSONValue.parse("5e-324") == .double(.leastNonzeroMagnitude))
        #expect(try JSONValue.parse("2.2250738585072014e-308") == .double(.leastNormalMagnitude))
        #expect(try JSONValue.parse("0.30000000000000004") == .double(0.1 + 0.2))
        #expect(try JSONValue.parse("1e-400") == .double(0))
        #expect(try reprint("1e2") == "100.0")
        #expect(try reprint("[1.0,2.50,-3e0]") == "[1.0,2.5,-3.0]")
    }

    @Test func objectsKeepKeyOrder() throws {
        let text = #"{"b":1,"a":{"z":null,"y":[true,false]},"c":[]}"#
        let value = try JSONValue.parse(text)
        guard case .object(let fields) = value else {
            Issue.record("not an object")
            return
        }
        #expect(Array(fields.keys) == ["b", "a", "c"])
        #expect(value.description == text)
        #expect(try reprint(#" { "b" : 1 ,"a":[ 1 , 2 ] }  "#) == #"{"b":1,"a":[1,2]}"#)
    }

    @Test func duplicateKeyKeepsFirstPositionAndLastValue() throws {
        #expect(try reprint(#"{"a":1,"b":2,"a":3}"#) == #"{"a":3,"b":2}"#)
    }

    @Test func largeObjectsKeepOrderAndHandleDuplicates() throws {
        // Above 15 keys an object is built through its hash table, below pairwise.
        for count in [3, 15, 16, 40] {
            let keys = (0..<count).map { "key\($0 * 7 % count)" }
            let text = "{" + keys.enumerated().map { #""\#($1)":\#($0)"# }.joined(separator: ",") + "}"
            guard case .object(let fields) = try JSONValue.parse(text) else {
                Issue.record("not an object")
                return
            }
            #expect(Array(fields.keys) == keys)
            #expect(try reprint(text) == text)
            let duplicated = String(text.dropLast()) + #","\#(keys[1])":"last"}"#
            guard case .object(let withDuplicate) = try JSONValue.parse(duplicated) else { return }
            #expect(Array(withDuplicate.keys) == keys)
            #expect(withDuplicate[keys[1]] == .string("last"))
        }
    }

    @Test func interleavedContainers() throws {
        let text = #"{"a":[1,{"b":[2,3],"c":{"d":[[],[4,{}]]}},5],"e":{"f":[]},"g":[{"h":6},{"i":[7]}]}"#
        #expect(try reprint(text) == text)
        let wideAndDeep = "[" + (0..<100).map { #"{"k\#($0)":[\#($0),[\#($0)]]}"# }.joined(separator: ",") + "]"
        #expect(try reprint(wideAndDeep) == wideAndDeep)
    }

    @Test func escapes() throws {
        #expect(try JSONValue.parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t"))
        #expect(try JSONValue.parse(#""\u0041\u00e9\u4E2D\u0000""#) == .string("Aé中\u{0}"))
        #expect(try JSONValue.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONValue.parse(#""x\uD83D\uDE00y""#) == .string("x😀y"))
        #expect(try JSONValue.parse("\"héllo 😀 中文\"") == .string("héllo 😀 中文"))
    }

    /// The 8-byte scan must find a quote, escape, control or non-ASCII byte at every offset.
    @Test func everyPositionOfASpecialByte() throws {
        for before in 0..<20 {
            for after in 0..<12 {
                let a = String(repeating: "a", count: before)
                let b = String(repeating: "b", count: after)
                #expect(try JSONValue.parse("\"\(a)\\n\(b)\"") == .string(a + "\n" + b))
                #expect(try JSONValue.parse("\"\(a)é\(b)\"") == .string(a + "é" + b))
                #expect(try JSONValue.parse("[\"\(a)\",\"\(b)\"]") == .array([.string(a), .string(b)]))
                #expect(parseError("\"\(a)\u{01}\(b)\"") == "ERR invalid JSON: control character in string at offset \(before + 1)")
                #expect(parseError([0x22] + Array(a.utf8) + [0xFF] + Array(b.utf8) + [0x22])
                    == "ERR invalid JSON: invalid UTF-8 at offset \(before + 1)")
            }
        }
    }

    @Test func allEntryPointsAgree() throws {
        let text = #"{"k":[1,"two",3.5]}"#
        let fromString = try JSONValue.parse(text)
        let fromBytes = try JSONValue.parse(Bytes(text))
        let fromBuffer = try Array(text.utf8).withUnsafeBytes { raw in
            Result { () throws(MemFluxError) in try JSONValue.parse(raw) }
        }.get()
        #expect(fromString == fromBytes)
        #expect(fromString == fromBuffer)
    }

    @Test func errorsNameTheOffset() {
        #expect(parseError(#"{"a":1}x"#) == "ERR invalid JSON: unexpected character after JSON value at offset 7")
        #expect(parseError("[1,]") == "ERR invalid JSON: expected value at offset 3")
        #expect(parseError(#"{"a"}"#) == "ERR invalid JSON: expected ':' at offset 4")
        #expect(parseError(#""\x""#) == "ERR invalid JSON: invalid escape at offset 1")
        #expect(parseError("01") == "ERR invalid JSON: leading zero in number at offset 0")
        #expect(parseError("1.") == "ERR invalid JSON: invalid number at offset 2")
        #expect(parseError(".5") == "ERR invalid JSON: expected value at offset 0")
        #expect(parseError(#""\ud800""#) == "ERR invalid JSON: invalid UTF-8: unpaired surrogate in \\u escape at offset 1")
        #expect(parseError("\"a\nb\"") == "ERR invalid JSON: control character in string at offset 2")
        #expect(parseError("") == "ERR invalid JSON: unexpected end of input at offset 0")
        #expect(parseError("  \n") == "ERR invalid JSON: unexpected end of input at offset 3")
        #expect(parseError([0xFF]) == "ERR invalid JSON: expected value at offset 0")
        #expect(parseError([0x22, 0xFF, 0x22]) == "ERR invalid JSON: invalid UTF-8 at offset 1")
        #expect(parseError("1e400") == "ERR invalid JSON: number out of range at offset 0")
        #expect(parseError(#"{"a":1 "b":2}"#) == "ERR invalid JSON: expected ',' or '}' at offset 7")
        #expect(parseError("[1 2]") == "ERR invalid JSON: expected ',' or ']' at offset 3")
        #expect(parseError("{a:1}") == "ERR invalid JSON: expected string key at offset 1")
        #expect(parseError(#""abc"#) == "ERR invalid JSON: unterminated string at offset 4")
    }

    @Test func errorCarriesCodeAndPosition() {
        do {
            _ = try JSONValue.parse("[1,]")
            Issue.record("no error")
        } catch {
            #expect(error.code == .err)
            #expect(error.position == 3)
        }
    }

    @Test(arguments: [
        "NaN", "Infinity", "-Infinity", "nan", "inf", "tru", "nul", "falsey", "+1", "-", "--1", "1e", "1e+",
        "0x10", "1.5.", "-01", "00", "1.e5", "[", "]", "{", "}", "[1", #"{"a":1,}"#, #"{"a":}"#, #"{"a" 1}"#,
        #"{,}"#, "[,1]", "'a'", #""\u12""#, #""\u12G4""#, #""\"#, #""\udc00""#, #""\ud800\u0041""#,
        #""\ud800x""#, #""\ud800\n""#, "1 2", "null null", "{}{}", #""a"x"#,
    ])
    func rejects(_ text: String) {
        #expect(parseError(text) != nil, "accepted \(text)")
    }

    @Test(arguments: [
        [0x22, 0xC0, 0xAF, 0x22],              // overlong '/'
        [0x22, 0xE0, 0x80, 0xAF, 0x22],        // overlong 3-byte
        [0x22, 0xED, 0xA0, 0x80, 0x22],        // encoded surrogate U+D800
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0xE4, 0xB8, 0x22],              // truncated
        [0x22, 0x80, 0x22],                    // lone continuation byte
        [0x22, 0xF8, 0x88, 0x80, 0x80, 0x80, 0x22],
    ] as [[UInt8]])
    func rejectsInvalidUTF8(_ bytes: [UInt8]) {
        #expect(parseError(bytes) == "ERR invalid JSON: invalid UTF-8 at offset 1")
    }

    @Test func nestingLimitIs512() throws {
        let arrays512 = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try reprint(arrays512) == arrays512)
        let arrays513 = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(parseError(arrays513) == "ERR invalid JSON: nesting deeper than 512 levels at offset 512")

        let objects512 = String(repeating: #"{"a":"#, count: 511) + "{}" + String(repeating: "}", count: 511)
        #expect(try reprint(objects512) == objects512)
        let objects513 = String(repeating: #"{"a":"#, count: 512) + "{}" + String(repeating: "}", count: 512)
        #expect(parseError(objects513) != nil)

        // Depth counts nesting, not containers: many siblings at depth 1 are fine.
        let wide = "[" + Array(repeating: "[]", count: 2000).joined(separator: ",") + "]"
        #expect(try reprint(wide) == wide)
    }

    @Test func typeNames() throws {
        let doc = try JSONValue.parse(#"[null,true,1,1.5,"s",[],{}]"#)
        guard case .array(let items) = doc else {
            Issue.record("not an array")
            return
        }
        #expect(items.map(\.typeName) == ["null", "boolean", "integer", "number", "string", "array", "object"])
    }
}
