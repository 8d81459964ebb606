// Tests for JSONPath.swift: both spellings, reads, in-place writes, and errors that change nothing.

import Collections
import Testing
@testable import MemFluxCore

private func path(_ text: String) throws(MemFluxError) -> JSONPath { try JSONPath.parse(Bytes(text)) }
private func doc(_ text: String) throws(MemFluxError) -> JSONValue { try JSONValue.parse(text) }
private func texts(_ values: [JSONValue]) -> [String] { values.map(\.description) }

private func pathError(_ text: String) -> String? {
    do {
        _ = try JSONPath.parse(Bytes(text))
        return nil
    } catch {
        return error.description
    }
}

@Suite("JSON path")
struct JSONPathTests {
    // MARK: Parsing

    @Test func dotPaths() throws {
        #expect(try path("") == JSONPath(steps: [], isDollar: false))
        #expect(try path(".") == JSONPath(steps: [], isDollar: false))
        #expect(try path("a.b.c").steps == [.key("a"), .key("b"), .key("c")])
        #expect(try path(".a.b").steps == [.key("a"), .key("b")])
        #expect(try path("a[0].b").steps == [.key("a"), .index(0), .key("b")])
        #expect(try path("a[-1]").steps == [.key("a"), .index(-1)])
        #expect(try path(#"["key with.dot"]"#).steps == [.key("key with.dot")])
        #expect(try path(#"a["x\"y"].b"#).steps == [.key("a"), .key("x\"y"), .key("b")])
        #expect(try path("[2][0]").steps == [.index(2), .index(0)])
        #expect(try path("user:1").steps == [.key("user:1")])
        #expect(try path("é.ü").steps == [.key("é"), .key("ü")])
        #expect(try path("a.b").isDollar == false)
        #expect(try path(".").isRoot)
    }

    @Test func dollarPaths() throws {
        #expect(try path("$") == JSONPath(steps: [], isDollar: true))
        #expect(try path("$").isRoot)
        #expect(try path("$.a.b") == JSONPath(steps: [.key("a"), .key("b")], isDollar: true))
        #expect(try path("$.a[0]").steps == [.key("a"), .index(0)])
        #expect(try path(#"$["k"]"#).steps == [.key("k")])
        #expect(try path("$['k.1']").steps == [.key("k.1")])
        #expect(try path(#"$['it\'s']"#).steps == [.key("it's")])
        #expect(try path("$[ -2 ]").steps == [.index(-2)])
        #expect(try path("$.a[*]").steps == [.key("a"), .wildcard])
        #expect(try path("$.*").steps == [.wildcard])
        #expect(try path("$..a").steps == [.descendants, .key("a")])
        #expect(try path("$..*").steps == [.descendants, .wildcard])
        #expect(try path("$..[0]").steps == [.descendants, .index(0)])
        #expect(try path("$.a..b[1]").steps == [.key("a"), .descendants, .key("b"), .index(1)])
    }

    @Test func definiteness() throws {
        #expect(try path("$.a[0].b").isDefinite)
        #expect(try path("a[-1]").isDefinite)
        #expect(try path("$").isDefinite)
        #expect(try !path("$.a[*]").isDefinite)
        #expect(try !path("$.*").isDefinite)
        #expect(try !path("$..a").isDefinite)
    }

    @Test(arguments: [
        "$", ".", "$.a.b", ".a.b", "$.a[0]", "$[-1]", #"$["a.b"]"#, #".x["with space"].y"#, "$..a", "$..*",
        "$..[3]", #"$..["q\"uote"]"#, "$.a[*].b", #"$["*"]"#, #"$[""]"#,
    ])
    func descriptionParsesBack(_ text: String) throws {
        let parsed = try path(text)
        #expect(try path(parsed.description) == parsed)
    }

    @Test func descriptionSpelling() throws {
        #expect(try path("a[0].b").description == ".a[0].b")
        #expect(try path(#"$["k.1"][*]"#).description == #"$["k.1"].*"#)
        #expect(try path("$..x").description == "$..x")
    }

    @Test(arguments: [
        "$a", "$.", "a.", "a..", "$..", "a[", "a[x]", "a[0", "a[]", "$[0:2]", "$[0,1]", "$[?(@.a>1)]",
        #"$["a]"#, #"$['a]"#, ".a.", "a[99999999999999999999]", "a[-]", "$[0]x", "a[0]b",
    ])
    func rejectsBadSyntax(_ text: String) {
        #expect(pathError(text)?.hasPrefix("ERR invalid JSON path: ") == true, "accepted \(text)")
    }

    @Test func pathDepthIsLimitedTo512Steps() throws {
        #expect(try path(Array(repeating: "a", count: 512).joined(separator: ".")).steps.count == 512)
        #expect(pathError(Array(repeating: "a", count: 513).joined(separator: "."))
            == "ERR invalid JSON path: path deeper than 512 levels at offset 0")
    }

    @Test func errorTextNamesTheOffset() {
        #expect(pathError("$a") == "ERR invalid JSON path: expected '.' or '[' at offset 1")
        #expect(pathError("a[0") == "ERR invalid JSON path: expected ']' (filters, slices and unions are not supported) at offset 3")
        #expect(pathError("a..") == "ERR invalid JSON path: expected a field name at offset 3")
    }

    // MARK: Reading

    @Test func definiteReads() throws {
        let d = try doc(#"{"a":{"b":[10,20,{"c":"x"}]},"k.d":1}"#)
        #expect(texts(d.values(at: try path("a.b[0]"))) == ["10"])
        #expect(texts(d.values(at: try path("$.a.b[-1].c"))) == [#""x""#])
        #expect(texts(d.values(at: try path(#"["k.d"]"#))) == ["1"])
        #expect(texts(d.values(at: try path("."))) == [d.description])
        #expect(d.values(at: try path("a.b[3]")).isEmpty)
        #expect(d.values(at: try path("a.b[-4]")).isEmpty)
        #expect(d.values(at: try path("a.missing")).isEmpty)
        #expect(d.values(at: try path("a.b.c")).isEmpty)  // key of an array
        #expect(d.values(at: try path("a[0]")).isEmpty)   // index of an object
        #expect(d.value(at: try path("a.b[1]")) == .int(20))
        #expect(d.value(at: try path("nope")) == nil)
    }

    @Test func wildcardReads() throws {
        let d = try doc(#"{"a":[{"n":1},{"n":2},{"m":3}],"b":{"x":true,"y":null}}"#)
        #expect(texts(d.values(at: try path("$.a[*].n"))) == ["1", "2"])
        #expect(texts(d.values(at: try path("$.b.*"))) == ["true", "null"])
        #expect(texts(d.values(at: try path("$.*"))) == [#"[{"n":1},{"n":2},{"m":3}]"#, #"{"x":true,"y":null}"#])
        #expect(d.values(at: try path("$.a[0].n.*")).isEmpty)
        #expect(d.value(at: try path("$.a[*].n")) == .int(1))
    }

    @Test func recursiveDescentIsPreorder() throws {
        let d = try doc(#"{"a":1,"b":{"a":2,"c":[{"a":3}]},"d":{"a":{"a":4}}}"#)
        #expect(texts(d.values(at: try path("$..a"))) == ["1", "2", "3", #"{"a":4}"#, "4"])
        #expect(texts(d.values(at: try path("$.b..a"))) == ["2", "3"])
        #expect(texts(d.values(at: try path("$..[0]"))) == [#"{"a":3}"#])
        let small = try doc(#"{"a":{"b":1},"c":2}"#)
        #expect(texts(small.values(at: try path("$..*"))) == [#"{"b":1}"#, "2", "1"])
    }

    // MARK: Writing

    @Test func setCreatesMissingObjectsWhenAsked() throws {
        var d = try doc(#"{"name":"Ada"}"#)
        #expect(try d.set(.int(31), at: try path("profile.age"), createMissing: false) == 0)
        #expect(d.description == #"{"name":"Ada"}"#)
        #expect(try d.set(.int(31), at: try path("profile.age"), createMissing: true) == 1)
        #expect(d.description == #"{"name":"Ada","profile":{"age":31}}"#)
        #expect(try d.set(.string("x"), at: try path("$.a.b.c"), createMissing: true) == 1)
        #expect(d.description == #"{"name":"Ada","profile":{"age":31},"a":{"b":{"c":"x"}}}"#)
        // The last field is created even without createMissing.
        #expect(try d.set(.bool(true), at: try path("$.profile.admin"), createMissing: false) == 1)
        #expect(d.description == #"{"name":"Ada","profile":{"age":31,"admin":true},"a":{"b":{"c":"x"}}}"#)
    }

    @Test func setReplacesInPlaceKeepingKeyOrder() throws {
        var d = try doc(#"{"a":1,"b":2,"c":3}"#)
        #expect(try d.set(.array([]), at: try path("b"), createMissing: true) == 1)
        #expect(d.description == #"{"a":1,"b":[],"c":3}"#)
    }

    @Test func setArrayElements() throws {
        var d = try doc(#"{"list":[1,2,3]}"#)
        #expect(try d.set(.int(9), at: try path("list[-1]"), createMissing: true) == 1)
        #expect(try d.set(.int(7), at: try path("$.list[0]"), createMissing: true) == 1)
        #expect(d.description == #"{"list":[7,2,9]}"#)
        #expect(try d.set(.int(0), at: try path("list[3]"), createMissing: true) == 0)
        #expect(try d.set(.int(0), at: try path("list[-4]"), createMissing: true) == 0)
        // A missing field cannot become an array element's parent.
        #expect(try d.set(.int(0), at: try path("other[0]"), createMissing: true) == 0)
        #expect(try d.set(.int(0), at: try path("x.y[0].z"), createMissing: true) == 0)
        #expect(d.description == #"{"list":[7,2,9]}"#)
    }

    @Test func setRoot() throws {
        var d = try doc(#"{"a":1}"#)
        #expect(try d.set(.string("new"), at: try path("$"), createMissing: false) == 1)
        #expect(d == .string("new"))
    }

    @Test func setThroughAScalarThrowsAndChangesNothing() throws {
        let original = #"{"a":5,"arr":[1,{"o":null}],"obj":{}}"#
        var d = try doc(original)
        let cases: [(String, String)] = [
            ("a.b", "ERR wrong type at path '.a': expected an object, found integer"),
            ("$.a.b.c", "ERR wrong type at path '$.a': expected an object, found integer"),
            ("arr.x", "ERR wrong type at path '.arr': expected an object, found array"),
            ("obj[0]", "ERR wrong type at path '.obj': expected an array, found object"),
            ("arr[1].o.deep", "ERR wrong type at path '.arr[1].o': expected an object, found null"),
            ("$.arr[0][0]", "ERR wrong type at path '$.arr[0]': expected an array, found integer"),
        ]
        for (text, message) in cases {
            for createMissing in [false, true] {
                do {
                    _ = try d.set(.int(1), at: try path(text), createMissing: createMissing)
                    Issue.record("no error for \(text)")
                } catch {
                    #expect(error.description == message)
                }
                #expect(d.description == original)
            }
        }
    }

    @Test func wildcardSetReplacesMatchesAndCreatesNothing() throws {
        var d = try doc(#"{"a":[1,2,3],"b":{"x":1,"y":{"x":2}},"e":{}}"#)
        #expect(try d.set(.int(0), at: try path("$.a[*]"), createMissing: true) == 3)
        #expect(try d.set(.null, at: try path("$.e.*"), createMissing: true) == 0)
        #expect(try d.set(.null, at: try path("$.a[*].z"), createMissing: true) == 0)
        #expect(d.description == #"{"a":[0,0,0],"b":{"x":1,"y":{"x":2}},"e":{}}"#)
        #expect(try d.set(.string("s"), at: try path("$..x"), createMissing: true) == 2)
        #expect(d.description == #"{"a":[0,0,0],"b":{"x":"s","y":{"x":"s"}},"e":{}}"#)
    }

    @Test func nestedRecursiveMatchesAreEachSetOnce() throws {
        var d = try doc(#"{"a":{"a":{"a":1}}}"#)
        #expect(try d.set(.int(9), at: try path("$..a"), createMissing: false) == 3)
        #expect(d.description == #"{"a":9}"#)
    }

    @Test func deleteDefinite() throws {
        var d = try doc(#"{"a":1,"b":{"c":[1,2,3]},"d":4}"#)
        #expect(d.delete(at: try path("a")) == 1)
        #expect(d.delete(at: try path("a")) == 0)
        #expect(d.delete(at: try path("$.b.c[-1]")) == 1)
        #expect(d.delete(at: try path("b.c[5]")) == 0)
        #expect(d.delete(at: try path("d.x")) == 0)
        #expect(d.delete(at: try path("missing.x")) == 0)
        #expect(d.description == #"{"b":{"c":[1,2]},"d":4}"#)
        #expect(d.delete(at: try path("$")) == 0)
        #expect(d.delete(at: try path(".")) == 0)
        #expect(d.description == #"{"b":{"c":[1,2]},"d":4}"#)
    }

    @Test func deleteWildcardsAndDescent() throws {
        var d = try doc(#"{"a":[1,2,3,4],"b":{"x":1,"y":2},"c":[{"x":1},{"z":{"x":2}}]}"#)
        #expect(d.delete(at: try path("$.a[*]")) == 4)
        #expect(d.description == #"{"a":[],"b":{"x":1,"y":2},"c":[{"x":1},{"z":{"x":2}}]}"#)
        #expect(d.delete(at: try path("$..x")) == 3)
        #expect(d.description == #"{"a":[],"b":{"y":2},"c":[{},{"z":{}}]}"#)
        #expect(d.delete(at: try path("$.*")) == 3)
        #expect(d.description == "{}")

        var nested = try doc(#"{"a":{"a":1},"b":[{"a":2},{"a":3}]}"#)
        #expect(nested.delete(at: try path("$..a")) == 4)
        #expect(nested.description == #"{"b":[{},{}]}"#)
        var list = try doc("[[1],[2],[3]]")
        #expect(list.delete(at: try path("$..[0]")) == 4)
        #expect(list.description == "[[],[]]")
    }

    @Test func updateReturnsResultsInMatchOrder() throws {
        var d = try doc(#"{"n":1,"sub":{"n":10,"deep":{"n":100}},"list":[{"n":"s"}]}"#)
        let results = try d.update(at: try path("$..n")) { (value: inout JSONValue) throws(MemFluxError) -> Int64? in
            guard case .int(let n) = value else { return nil }
            value = .int(n + 1)
            return n + 1
        }
        #expect(results == [2, 11, 101, nil])
        #expect(d.description == #"{"n":2,"sub":{"n":11,"deep":{"n":101}},"list":[{"n":"s"}]}"#)

        let one = try d.update(at: try path("sub.deep")) { (value: inout JSONValue) throws(MemFluxError) -> Int in
            value = .array([])
            return 7
        }
        #expect(one == [7])
        #expect(try d.update(at: try path("nope.n")) { (_: inout JSONValue) throws(MemFluxError) in 0 }.isEmpty)
        #expect(d.description == #"{"n":2,"sub":{"n":11,"deep":[]},"list":[{"n":"s"}]}"#)
    }

    @Test func updateAppendsInPlace() throws {
        var d = try doc(#"{"a":[1],"b":{"a":[]}}"#)
        let counts = try d.update(at: try path("$..a")) { (value: inout JSONValue) throws(MemFluxError) -> Int in
            guard case .array = value else { throw MemFluxError(.err, "not an array") }
            var count = 0
            _ = value.withArray { items in
                items.append(.string("x"))
                count = items.count
            }
            return count
        }
        #expect(counts == [2, 1])
        #expect(d.description == #"{"a":[1,"x"],"b":{"a":["x"]}}"#)
    }

    @Test func updateErrorPropagatesAndRestoresTheContainers() throws {
        var d = try doc(#"{"a":{"b":"text"}}"#)
        do {
            _ = try d.update(at: try path("a.b")) { (_: inout JSONValue) throws(MemFluxError) -> Int in
                throw MemFluxError(.err, "not a number")
            }
            Issue.record("no error")
        } catch {
            #expect(error.description == "ERR not a number")
        }
        #expect(d.description == #"{"a":{"b":"text"}}"#)
    }

    // MARK: In place

    private static func listAddress(_ value: JSONValue) -> Int? {
        guard case .object(let top) = value, case .object(let a)? = top["a"], case .array(let list)? = a["list"] else {
            return nil
        }
        return list.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { Int(bitPattern: $0) } }
    }

    @Test func nestedSetOnAUniqueDocumentDoesNotCopyContainers() throws {
        var d = try doc(#"{"a":{"list":[1,2,3,4,5,6,7,8]},"b":1}"#)
        let before = Self.listAddress(d)
        #expect(before != nil)
        #expect(try d.set(.int(9), at: try path("a.list[0]"), createMissing: false) == 1)
        #expect(Self.listAddress(d) == before)
        #expect(d.delete(at: try path("a.list[-1]")) == 1)
        #expect(Self.listAddress(d) == before)
        _ = try d.update(at: try path("$.a.list[*]")) { (value: inout JSONValue) throws(MemFluxError) in value = .null }
        #expect(Self.listAddress(d) == before)
        #expect(d.description == #"{"a":{"list":[null,null,null,null,null,null,null]},"b":1}"#)
    }

    @Test func writesKeepValueSemantics() throws {
        var d = try doc(#"{"a":{"list":[1,2,3]}}"#)
        let snapshot = d
        #expect(try d.set(.int(9), at: try path("a.list[0]"), createMissing: false) == 1)
        #expect(d.delete(at: try path("a.list[1]")) == 1)
        #expect(snapshot.description == #"{"a":{"list":[1,2,3]}}"#)
        #expect(d.description == #"{"a":{"list":[9,3]}}"#)
        #expect(Self.listAddress(snapshot) != Self.listAddress(d))
    }
}
