import Testing
import MemFlux
import MemFluxCore

@Suite struct JSONCommandTests {
    @Test func dotFormCreatesAndReads() throws {
        let h = try Harness()
        #expect(h("JSON.SET", "user:1", #"{"name":"Ada","age":30}"#) == .ok)
        #expect(h("JSON.GET", "user:1") == bulk(#"{"name":"Ada","age":30}"#))
        #expect(h("JSON.SET", "user:1.age", "31") == .ok)
        #expect(h("JSON.SET", "user:1.profile.city", #""Paris""#) == .ok)
        #expect(h("JSON.GET", "user:1") == bulk(#"{"name":"Ada","age":31,"profile":{"city":"Paris"}}"#))
        #expect(h("JSON.GET", "user:1.profile.city") == bulk(#""Paris""#))
        #expect(h("JSON.GET", "user:1.nothing") == .null)
        #expect(h("JSON.SET", "user:2.profile.age", "31") == .ok, "missing objects are created on the way")
        #expect(h("JSON.GET", "user:2") == bulk(#"{"profile":{"age":31}}"#))
        #expect(h("TYPE", "user:2") == .status("ReJSON-RL"))
        #expect(h("JSON.GET", "nobody") == .null)
    }

    @Test func redisJSONForms() throws {
        let h = try Harness()
        #expect(h("JSON.SET", "doc", "$", #"{"a":{"b":[1,2,3]},"c":"x"}"#) == .ok)
        #expect(h("JSON.GET", "doc", "$.a.b") == bulk("[[1,2,3]]"))
        #expect(h("JSON.GET", "doc", ".a.b[0]") == bulk("1"))
        #expect(h("JSON.GET", "doc", "$.a.b[-1]") == bulk("[3]"))
        #expect(h("JSON.GET", "doc", "$.missing") == bulk("[]"))
        #expect(h("JSON.GET", "doc", ".missing") == err("Path '.missing' does not exist"))
        #expect(h("JSON.GET", "doc", "$.c", "$.a.b[0]") == bulk(#"{"$.c":["x"],"$.a.b[0]":[1]}"#))
        #expect(h("JSON.SET", "doc", "$.c", #""y""#, "NX") == .null)
        #expect(h("JSON.SET", "doc", "$.d", "true", "XX") == .null)
        #expect(h("JSON.SET", "doc", "$.d", "true", "NX") == .ok)
        #expect(h("JSON.SET", "doc", "$.x.y", "1") == .null, "the RedisJSON form creates no intermediate objects")
        #expect(h("JSON.SET", "fresh", "$.a", "1") == err("new objects must be created at the root"))
        #expect(h("JSON.SET", "doc", "$", "1", "BOGUS") == err("syntax error"))
        #expect(h("JSON.TYPE", "doc", "$.a") == .array([bulk("object")]))
        #expect(h("JSON.TYPE", "doc", ".d") == .status("boolean"))
        #expect(h("JSON.TYPE", "doc") == .status("object"))
        #expect(h("JSON.TYPE", "nope") == .null)
    }

    @Test func invalidJSONStoresNothing() throws {
        let h = try Harness()
        guard case .error = h("JSON.SET", "k", "{\"a\":1} trailing") else { Issue.record("accepted garbage"); return }
        #expect(h("EXISTS", "k") == .zero)
        h("JSON.SET", "k", #"{"a":1}"#)
        guard case .error = h("JSON.SET", "k.a", "[1,") else { Issue.record("accepted bad JSON"); return }
        guard case .error = h("JSON.SET", "k.a", #""\q""#) else { Issue.record("accepted bad escape"); return }
        #expect(h("JSON.GET", "k") == bulk(#"{"a":1}"#))
        guard case .error = h("JSON.SET", "k.a.b", "1") else { Issue.record("set through a number"); return }
        #expect(h("JSON.GET", "k") == bulk(#"{"a":1}"#))
    }

    @Test func deleteAndWrongType() throws {
        let h = try Harness()
        h("JSON.SET", "k", #"{"a":1,"b":{"c":2}}"#)
        #expect(h("JSON.DEL", "k.b.c") == .one)
        #expect(h("JSON.GET", "k") == bulk(#"{"a":1,"b":{}}"#))
        #expect(h("JSON.DEL", "k", "$.zz") == .zero)
        #expect(h("JSON.DEL", "k") == .one)
        #expect(h("JSON.DEL", "k") == .zero)
        #expect(h("EXISTS", "k") == .zero)
        h("SET", "s", "v")
        #expect(h("JSON.GET", "s") == wrongType)
        #expect(h("JSON.SET", "s.a", "1") == wrongType)
        #expect(h("JSON.SET", "s", "$", "1") == wrongType)
        #expect(h("GET", "s") == bulk("v"))
        h("JSON.SET", "j", "1")
        #expect(h("GET", "j") == wrongType)
    }

    @Test func numbersArraysObjects() throws {
        let h = try Harness()
        h("JSON.SET", "k", #"{"n":1,"f":1.5,"arr":[1],"o":{"x":1,"y":2},"s":"t"}"#)
        #expect(h("JSON.NUMINCRBY", "k", ".n", "2") == bulk("3"))
        #expect(h("JSON.NUMINCRBY", "k", "$.f", "1") == bulk("[2.5]"))
        #expect(h("JSON.NUMINCRBY", "k", "$.s", "1") == bulk("[null]"))
        #expect(h("JSON.NUMINCRBY", "k", ".s", "1") == err("Path '.s' does not contain a number"))
        #expect(h("JSON.NUMINCRBY", "k", ".n", "x") != .ok)
        #expect(h("JSON.ARRAPPEND", "k", ".arr", "2", #""three""#) == .integer(3))
        #expect(h("JSON.ARRAPPEND", "k", "$.arr", "4") == .array([.integer(4)]))
        #expect(h("JSON.ARRAPPEND", "k", ".s", "4") == err("Path '.s' does not contain an array"))
        #expect(h("JSON.ARRLEN", "k", ".arr") == .integer(4))
        #expect(h("JSON.ARRLEN", "k", "$.*") == .array([.null, .null, .integer(4), .null, .null]))
        #expect(h("JSON.GET", "k", ".arr") == bulk(#"[1,2,"three",4]"#))
        #expect(h("JSON.OBJKEYS", "k", ".o") == bulks("x", "y"))
        #expect(h("JSON.OBJKEYS", "k", "$.o") == .array([bulks("x", "y")]))
        h("JSON.SET", "k2", #"{"arr":[9]}"#)
        #expect(h("JSON.MGET", "k", "k2", "missing", "$.arr[0]") == .array([bulk("[1]"), bulk("[9]"), .null]))
        #expect(h("JSON.MGET", "k", "k2", ".arr[0]") == .array([bulk("1"), bulk("9")]))
    }

    @Test func bigIntegersStayExact() throws {
        let h = try Harness()
        h("JSON.SET", "k", #"{"id":9223372036854775807,"neg":-9223372036854775808}"#)
        #expect(h("JSON.GET", "k") == bulk(#"{"id":9223372036854775807,"neg":-9223372036854775808}"#))
    }
}
