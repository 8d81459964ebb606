import Testing
import MemFlux
import MemFluxCore

@Suite struct StringCommandTests {
    @Test func setAndGet() throws {
        let h = try Harness()
        #expect(h("GET", "k") == .null)
        #expect(h("SET", "k", "v") == .ok)
        #expect(h("get", "k") == bulk("v"))
        #expect(h("SET", "k", "w", "NX") == .null)
        #expect(h("SET", "k", "w", "XX") == .ok)
        #expect(h("SET", "other", "w", "XX") == .null)
        #expect(h("EXISTS", "other") == .zero)
        #expect(h("SET", "k", "x", "GET") == bulk("w"))
        #expect(h("SET", "new", "x", "NX", "GET") == .null)
        #expect(h("GET", "new") == bulk("x"))
        #expect(h("SET", "k", "v", "NX", "XX") == err("syntax error"))
        #expect(h("SET", "k", "v", "EX") == err("syntax error"))
        #expect(h("SET", "k", "v", "EX", "10", "PX", "100") == err("syntax error"))
        #expect(h("SET", "k", "v", "EX", "abc") == err("value is not an integer or out of range"))
        #expect(h("SET", "k", "v", "EX", "0") == err("invalid expire time in 'set' command"))
        #expect(h("SET", "k", "v", "EX", "-5") == err("invalid expire time in 'set' command"))
        #expect(h("SET", "k", "v", "EX", "9223372036854775807") == err("invalid expire time in 'set' command"))
        #expect(h("SET", "k") == err("wrong number of arguments for 'set' command"))
        #expect(h("GET", "k") == bulk("x"), "failed SETs change nothing")
    }

    @Test func setOptionsFollowRedisOrder() throws {
        let h = try Harness()
        #expect(h("SET", "k", "v", "NX", "NX") == .ok, "an option may repeat")
        #expect(h("SET", "k", "w", "XX", "XX", "GET", "GET") == bulk("v"))
        #expect(h("SET", "k", "v", "EX", "10", "EX", "20") == .ok)
        #expect(h("TTL", "k") == .integer(20), "the last time wins")
        #expect(h("SET", "k", "v", "KEEPTTL", "KEEPTTL") == .ok)
        #expect(h("TTL", "k") == .integer(20))
        #expect(h("SET", "k", "v", "EX", "10", "PX", "20") == err("syntax error"))
        #expect(h("SET", "k", "v", "EX", "abc", "EX") == err("syntax error"), "options before the number")
        #expect(h("SET", "k", "v", "EX", "0", "NX", "XX") == err("syntax error"))
        #expect(h("SET", "k", "v", "EX", "abc", "NX") == err("value is not an integer or out of range"))
        #expect(h("GET", "k") == bulk("v"))
    }

    @Test func getexChecksTheTimeOnlyForAString() throws {
        let h = try Harness()
        #expect(h("GETEX", "missing", "EX", "x") == .null)
        #expect(h("GETEX", "missing", "PX", "0") == .null)
        #expect(h("GETEX", "missing", "EX", "x", "FOO") == err("syntax error"))
        h("RPUSH", "l", "a")
        #expect(h("GETEX", "l", "PX", "0") == wrongType)
        h("SET", "k", "v")
        #expect(h("GETEX", "k", "PX", "0") == err("invalid expire time in 'getex' command"))
        #expect(h("GETEX", "k", "EX", "x") == err("value is not an integer or out of range"))
        #expect(h("GETEX", "k", "EX", "10", "EX", "20") == bulk("v"))
        #expect(h("TTL", "k") == .integer(20))
        #expect(h("GETEX", "k", "PERSIST", "EX", "10") == err("syntax error"))
        #expect(h("GETEX", "k", "KEEPTTL") == err("syntax error"))
        #expect(h("GETEX", "k", "PERSIST", "PERSIST") == bulk("v"))
        #expect(h("TTL", "k") == .integer(-1))
    }

    @Test func incrbyfloatChecksTypeBeforeIncrement() throws {
        let h = try Harness()
        h("RPUSH", "l", "a")
        #expect(h("INCRBYFLOAT", "l", "abc") == wrongType)
        h("SET", "s", "text")
        #expect(h("INCRBYFLOAT", "s", "abc") == err("value is not a valid float"))
        #expect(h("INCRBYFLOAT", "n", "abc") == err("value is not a valid float"))
        #expect(h("EXISTS", "n") == .zero)
    }

    @Test func setWithTTLAndKeepTTL() throws {
        let h = try Harness()
        #expect(h("SET", "k", "v", "EX", "100") == .ok)
        #expect(h("TTL", "k") == .integer(100))
        #expect(h("SET", "k", "w", "KEEPTTL") == .ok)
        #expect(h("TTL", "k") == .integer(100))
        #expect(h("SET", "k", "w") == .ok)
        #expect(h("TTL", "k") == .integer(-1))
        #expect(h("SET", "k", "v", "PX", "100000", "KEEPTTL") == err("syntax error"))
    }

    @Test func getOnWrongTypeAndSetOverwritesAnyType() throws {
        let h = try Harness()
        h("RPUSH", "l", "a")
        #expect(h("GET", "l") == wrongType)
        #expect(h("SET", "l", "x", "GET") == wrongType)
        #expect(h("LLEN", "l") == .one)
        #expect(h("SET", "l", "x") == .ok)
        #expect(h("GET", "l") == bulk("x"))
    }

    @Test func setnxSetexGetdelGetset() throws {
        let h = try Harness()
        #expect(h("SETNX", "k", "1") == .one)
        #expect(h("SETNX", "k", "2") == .zero)
        #expect(h("SETEX", "e", "0", "v") == err("invalid expire time in 'setex' command"))
        #expect(h("PSETEX", "e", "-1", "v") == err("invalid expire time in 'psetex' command"))
        #expect(h("SETEX", "e", "50", "v") == .ok)
        #expect(h("TTL", "e") == .integer(50))
        #expect(h("GETDEL", "e") == bulk("v"))
        #expect(h("GETDEL", "e") == .null)
        #expect(h("GETSET", "k", "3") == bulk("1"))
        #expect(h("GET", "k") == bulk("3"))
        #expect(h("GETEX", "k", "EX", "30") == bulk("3"))
        #expect(h("TTL", "k") == .integer(30))
        #expect(h("GETEX", "k", "PERSIST") == bulk("3"))
        #expect(h("TTL", "k") == .integer(-1))
        #expect(h("GETEX", "k", "PERSIST", "EX", "3") == err("syntax error"))
    }

    @Test func mgetMsetMsetnx() throws {
        let h = try Harness()
        #expect(h("MSET", "a", "1", "b", "2") == .ok)
        h("RPUSH", "l", "x")
        #expect(h("MGET", "a", "b", "c", "l") == .array([bulk("1"), bulk("2"), .null, .null]))
        #expect(h("MSET", "a", "1", "b") == err("wrong number of arguments for 'mset' command"))
        #expect(h("MSETNX", "c", "3", "a", "9") == .zero)
        #expect(h("GET", "c") == .null)
        #expect(h("MSETNX", "c", "3", "d", "4") == .one)
        #expect(h("MGET", "c", "d") == bulks("3", "4"))
    }

    @Test func counters() throws {
        let h = try Harness()
        #expect(h("INCR", "n") == .integer(1))
        #expect(h("INCRBY", "n", "10") == .integer(11))
        #expect(h("DECR", "n") == .integer(10))
        #expect(h("DECRBY", "n", "-5") == .integer(15))
        #expect(h("INCRBY", "n", "x") == err("value is not an integer or out of range"))
        #expect(h("SET", "big", "9223372036854775807") == .ok)
        #expect(h("INCR", "big") == err("increment or decrement would overflow"))
        #expect(h("GET", "big") == bulk("9223372036854775807"))
        #expect(h("SET", "small", "-9223372036854775808") == .ok)
        #expect(h("DECR", "small") == err("increment or decrement would overflow"))
        #expect(h("DECRBY", "n", "-9223372036854775808") == err("decrement would overflow"))
        #expect(h("SET", "s", "abc") == .ok)
        #expect(h("INCR", "s") == err("value is not an integer or out of range"))
        #expect(h("SET", "s", " 1") == .ok)
        #expect(h("INCR", "s") == err("value is not an integer or out of range"))
        #expect(h("SET", "s", "01") == .ok)
        #expect(h("INCR", "s") == err("value is not an integer or out of range"))
        #expect(h("SET", "t", "5", "EX", "100") == .ok)
        #expect(h("INCR", "t") == .integer(6))
        #expect(h("TTL", "t") == .integer(100), "INCR keeps the TTL")
        h("RPUSH", "l", "x")
        #expect(h("INCR", "l") == wrongType)
    }

    @Test func incrbyfloat() throws {
        let h = try Harness()
        #expect(h("INCRBYFLOAT", "f", "10.5") == bulk("10.5"))
        #expect(h("INCRBYFLOAT", "f", "0.1") == bulk("10.6"))
        #expect(h("INCRBYFLOAT", "f", "-5") == bulk("5.6"))
        #expect(h("SET", "g", "5.0e3") == .ok)
        #expect(h("INCRBYFLOAT", "g", "2.0e2") == bulk("5200"))
        #expect(h("INCRBYFLOAT", "g", "abc") == err("value is not a valid float"))
        #expect(h("INCRBYFLOAT", "g", "nan") == err("value is not a valid float"))
        #expect(h("INCRBYFLOAT", "g", "inf") == err("increment would produce NaN or Infinity"))
        #expect(h("SET", "s", "x") == .ok)
        #expect(h("INCRBYFLOAT", "s", "1") == err("value is not a valid float"))
    }

    @Test func appendStrlenRanges() throws {
        let h = try Harness()
        #expect(h("APPEND", "k", "Hello") == .integer(5))
        #expect(h("APPEND", "k", " World") == .integer(11))
        #expect(h("STRLEN", "k") == .integer(11))
        #expect(h("STRLEN", "missing") == .zero)
        #expect(h("GETRANGE", "k", "0", "4") == bulk("Hello"))
        #expect(h("GETRANGE", "k", "-5", "-1") == bulk("World"))
        #expect(h("GETRANGE", "k", "-1", "-5") == bulk(""))
        #expect(h("GETRANGE", "k", "5", "1") == bulk(""))
        #expect(h("GETRANGE", "k", "0", "100") == bulk("Hello World"))
        #expect(h("GETRANGE", "k", "-100", "2") == bulk("Hel"))
        #expect(h("GETRANGE", "missing", "0", "-1") == bulk(""))
        #expect(h("SETRANGE", "k", "6", "Redis") == .integer(11))
        #expect(h("GET", "k") == bulk("Hello Redis"))
        #expect(h("SETRANGE", "pad", "3", "x") == .integer(4))
        #expect(h("GET", "pad") == .bulk(Bytes([0, 0, 0, UInt8(ascii: "x")])))
        #expect(h("SETRANGE", "k", "-1", "x") == err("offset is out of range"))
        #expect(h("SETRANGE", "none", "5", "") == .zero)
        #expect(h("EXISTS", "none") == .zero)
        #expect(h("SETRANGE", "k", "536870911", "xx") == err("string exceeds maximum allowed size (proto-max-bulk-len)"))
    }

    /// Command fuzzer find: offset + length overflowed Int64 and trapped.
    @Test func setrangeAtTheLargestOffsetIsRefusedNotATrap() throws {
        let h = try Harness()
        let tooBig = err("string exceeds maximum allowed size (proto-max-bulk-len)")
        #expect(h("SETRANGE", "k", "9223372036854775807", "x") == tooBig)
        h("SET", "k", "v")
        #expect(h("SETRANGE", "k", "9223372036854775807", "x") == tooBig)
        #expect(h("SETRANGE", "k", "9223372036854775807", "") == .integer(1))
        #expect(h("SETRANGE", "k", "-9223372036854775808", "x") == err("offset is out of range"))
        #expect(h("GET", "k") == bulk("v"))
    }

    @Test func binarySafeValues() throws {
        let h = try Harness()
        // Any bytes but a leading 0x00 0xFF, which marks MemFlux's own keys.
        let key = Bytes([0, 254, 255, 10, 13])
        let value = Bytes([0, 1, 2, 0, 200])
        #expect(h.session.reply([Bytes("SET"), key, value]) == .ok)
        #expect(h.session.reply([Bytes("GET"), key]) == .bulk(value))
    }

    @Test func unknownCommandAndArity() throws {
        let h = try Harness()
        #expect(h("NOPE", "a", "b") == err("unknown command 'NOPE', with args beginning with: 'a' 'b' "))
        #expect(h("GET") == err("wrong number of arguments for 'get' command"))
        #expect(h("GET", "a", "b") == err("wrong number of arguments for 'get' command"))
    }
}
