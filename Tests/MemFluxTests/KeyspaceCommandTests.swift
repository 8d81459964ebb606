import Testing
import MemFlux
import MemFluxCore
import MemFluxStorage

@Suite struct KeyspaceCommandTests {
    @Test func delExistsType() throws {
        let h = try Harness()
        h("SET", "a", "1"); h("RPUSH", "b", "x"); h("SADD", "c", "m"); h("HSET", "d", "f", "v")
        #expect(h("EXISTS", "a", "a", "zz") == .integer(2))
        #expect(h("TYPE", "a") == .status("string"))
        #expect(h("TYPE", "b") == .status("list"))
        #expect(h("TYPE", "c") == .status("set"))
        #expect(h("TYPE", "d") == .status("hash"))
        #expect(h("TYPE", "zz") == .status("none"))
        #expect(h("DEL", "a", "b", "zz") == .integer(2))
        #expect(h("UNLINK", "c") == .one)
        #expect(h("DELETE", "d") == .one)
        #expect(h("DEL", "d") == .zero)
        #expect(h("DBSIZE") == .zero)
    }

    @Test func keysPatterns() throws {
        let h = try Harness()
        for k in ["hello", "hallo", "hxllo", "hllo", "heeeello", "hillo", "user:1", "user:2", "users", "a*b"] { h("SET", k, "1") }
        func keys(_ p: String) -> [String] {
            guard case .array(let items) = h("KEYS", p) else { return [] }
            return items.map { if case .bulk(let b) = $0 { b.string } else { "?" } }.sorted()
        }
        #expect(keys("h?llo") == ["hallo", "hello", "hillo", "hxllo"])
        #expect(keys("h*llo") == ["hallo", "heeeello", "hello", "hillo", "hllo", "hxllo"])
        #expect(keys("h[ae]llo") == ["hallo", "hello"])
        #expect(keys("h[^e]llo") == ["hallo", "hillo", "hxllo"])
        #expect(keys("h[a-b]llo") == ["hallo"])
        #expect(keys("user:*") == ["user:1", "user:2"])
        #expect(keys("a\\*b") == ["a*b"])
        #expect(keys("*").count == 10)
        #expect(keys("nothing*") == [])
    }

    @Test func scanVisitsEveryKeyOnce() throws {
        let h = try Harness()
        for i in 0..<1000 { h("SET", "k\(i)", "v") }
        h("RPUSH", "list1", "x")
        var seen: [String] = []
        var cursor = "0"
        var rounds = 0
        repeat {
            guard case .array(let parts) = h("SCAN", cursor, "COUNT", "37"), case .bulk(let next) = parts[0],
                  case .array(let keys) = parts[1] else { Issue.record("bad reply"); return }
            cursor = next.string
            seen += keys.map { if case .bulk(let b) = $0 { b.string } else { "?" } }
            rounds += 1
        } while cursor != "0" && rounds < 10_000
        #expect(seen.count == 1001)
        #expect(Set(seen).count == 1001)
        guard case .array(let typed) = h("SCAN", "0", "COUNT", "100000", "TYPE", "list") else { return }
        #expect(typed[1] == bulks("list1"))
        guard case .array(let matched) = h("SCAN", "0", "MATCH", "k99*", "COUNT", "100000") else { return }
        if case .array(let m) = matched[1] { #expect(m.count == 11) }
        #expect(h("SCAN", "abc") == err("invalid cursor"))
        #expect(h("SCAN", "0", "COUNT", "0") == err("syntax error"))
        #expect(h("SCAN", "0", "MATCH") == err("syntax error"))
    }

    @Test func systemKeysStayOutOfKeysScanDbsizeAndFlushall() throws {
        let h = try Harness()
        let system = SystemKey.make("sql", Bytes("table:t"))
        h.db.keyspace.modify(system) { $0.store(.bytes(Bytes("schema"))) }
        h("SET", "t:1", "row")
        #expect(h("KEYS", "*") == bulks("t:1"))
        #expect(h.session.reply([Bytes("KEYS"), SystemKey.prefix("sql") + Bytes("*")]) == .array([]), "not even by their prefix")
        #expect(h("DBSIZE") == .one)
        #expect(h("SCAN", "0", "COUNT", "1000") == .array([bulk("0"), bulks("t:1")]))
        #expect(h("FLUSHALL") == .ok)
        #expect(h("DBSIZE") == .zero)
        #expect(h.db.keyspace.read(system) { if case .bytes(let b)? = $0 { b } else { nil } } == Bytes("schema"), "kept")
        #expect(h.session.reply([Bytes("GET"), system]) == err("keys starting with \\x00\\xff are reserved for MemFlux's own data"),
            "clients cannot name it")
        h("SET", "t:2", "row")
        #expect(h("BEGIN") == .ok)
        #expect(h("KEYS", "*") == bulks("t:2"))
        #expect(h("DBSIZE") == .one)
        #expect(h("FLUSHDB") == .ok)
        #expect(h("COMMIT") == .ok)
        #expect(h("DBSIZE") == .zero)
        #expect(h.db.keyspace.read(system) { if case .bytes(let b)? = $0 { b } else { nil } } == Bytes("schema"))
    }

    @Test func renameKeepsValueAndTTL() throws {
        let h = try Harness()
        #expect(h("RENAME", "nope", "x") == err("no such key"))
        h("SET", "a", "1", "EX", "100")
        #expect(h("RENAME", "a", "b") == .ok)
        #expect(h("GET", "a") == .null)
        #expect(h("GET", "b") == bulk("1"))
        #expect(h("TTL", "b") == .integer(100))
        h("SET", "c", "2")
        #expect(h("RENAMENX", "b", "c") == .zero)
        #expect(h("RENAMENX", "b", "d") == .one)
        #expect(h("RENAME", "d", "d") == .ok)
        #expect(h("RPUSH", "l", "x") == .one)
        #expect(h("RENAME", "l", "c") == .ok)
        #expect(h("TYPE", "c") == .status("list"))
    }

    @Test func serverCommands() throws {
        let h = try Harness()
        #expect(h("PING") == .status("PONG"))
        #expect(h("PING", "hi") == bulk("hi"))
        #expect(h("PING", "a", "b") == err("wrong number of arguments for 'ping' command"))
        #expect(h("ECHO", "x") == bulk("x"))
        #expect(h("SELECT", "0") == .ok)
        #expect(h("SELECT", "1") == err("DB index is out of range"))
        guard case .array(let t) = h("TIME"), t.count == 2 else { Issue.record("TIME"); return }
        h("SET", "a", "1"); h("SET", "b", "2")
        #expect(h("DBSIZE") == .integer(2))
        guard case .integer(let used) = h("MEMUSAGE") else { Issue.record("MEMUSAGE"); return }
        #expect(used > 0)
        guard case .integer(let one) = h("MEMORY", "USAGE", "a") else { Issue.record("MEMORY USAGE"); return }
        #expect(one > 0)
        #expect(h("MEMORY", "USAGE", "zz") == .null)
        #expect(h("FLUSHDB", "bogus") == err("syntax error"))
        #expect(h("FLUSHALL") == .ok)
        #expect(h("DBSIZE") == .zero)
        h("SET", "a", "1")
        #expect(h("WIPEDB") == .ok)
        #expect(h("DBSIZE") == .zero)
    }
}

@Suite struct ExpiryCommandTests {
    @Test func expireTTLPersist() throws {
        let h = try Harness()
        #expect(h("EXPIRE", "missing", "10") == .zero)
        #expect(h("TTL", "missing") == .integer(-2))
        h("SET", "k", "v")
        #expect(h("TTL", "k") == .integer(-1))
        #expect(h("EXPIRE", "k", "100") == .one)
        #expect(h("TTL", "k") == .integer(100))
        guard case .integer(let pttl) = h("PTTL", "k") else { return }
        #expect(pttl > 99_000 && pttl <= 100_000)
        #expect(h("EXPIRE", "k", "50", "GT") == .zero)
        #expect(h("EXPIRE", "k", "200", "GT") == .one)
        #expect(h("EXPIRE", "k", "300", "LT") == .zero)
        #expect(h("EXPIRE", "k", "10", "NX") == .zero)
        #expect(h("EXPIRE", "k", "10", "XX") == .one)
        #expect(h("EXPIRE", "k", "10", "NX", "XX") == err("NX and XX, GT or LT options at the same time are not compatible"))
        #expect(h("EXPIRE", "k", "10", "GT", "LT") == err("GT and LT options at the same time are not compatible"))
        #expect(h("EXPIRE", "k", "10", "YY") == err("Unsupported option YY"))
        #expect(h("EXPIRE", "k", "abc") == err("value is not an integer or out of range"))
        #expect(h("EXPIRE", "k", "abc", "FOO") == err("Unsupported option FOO"), "options are checked before the number")
        #expect(h("EXPIRE", "k", "abc", "NX", "XX") == err("NX and XX, GT or LT options at the same time are not compatible"))
        #expect(h("EXPIRE", "k", "9223372036854775807") == err("invalid expire time in 'expire' command"))
        #expect(h("PERSIST", "k") == .one)
        #expect(h("PERSIST", "k") == .zero)
        #expect(h("TTL", "k") == .integer(-1))
        #expect(h("EXPIRE", "k", "10", "GT") == .zero, "no TTL counts as infinite for GT")
        #expect(h("EXPIRE", "k", "10", "LT") == .one)
        guard case .integer(let at) = h("EXPIRETIME", "k") else { return }
        guard case .integer(let pat) = h("PEXPIRETIME", "k") else { return }
        #expect(at == pat / 1000)
    }

    @Test func expiredKeysAreInvisibleAtOnce() throws {
        let h = try Harness()
        h("SET", "k", "v", "PX", "30")
        h("RPUSH", "l", "a")
        #expect(h("PEXPIRE", "l", "30") == .one)
        #expect(h("GET", "k") == bulk("v"))
        usleepMilliseconds(60)
        #expect(h("GET", "k") == .null)
        #expect(h("EXISTS", "k", "l") == .zero)
        #expect(h("LLEN", "l") == .zero)
        #expect(h("TTL", "k") == .integer(-2))
        #expect(h("DBSIZE") == .zero)
        #expect(h("KEYS", "*") == .array([]))
        #expect(h("RPUSH", "l", "b") == .one, "an expired list is gone, not appended to")
    }

    @Test func nonPositiveExpiryDeletes() throws {
        let h = try Harness()
        h("SET", "k", "v")
        #expect(h("EXPIRE", "k", "-1") == .one)
        #expect(h("EXISTS", "k") == .zero)
        h("SET", "k", "v")
        #expect(h("EXPIREAT", "k", "1") == .one)
        #expect(h("GET", "k") == .null)
    }

    @Test func activeExpiryReclaimsInTheBackground() throws {
        var config = Configuration.inMemory
        config.activeExpiryIntervalMilliseconds = 10
        let db = try Database(configuration: config)
        let s = db.session()
        for i in 0..<100 { _ = s.reply(["SET", "k\(i)", "v", "PX", "20"].map { Bytes($0) }) }
        #expect(db.keyspace.versionCount(Bytes("k1")) == 1)
        usleepMilliseconds(200)
        // Reclaimed without any access to the keys.
        #expect(db.keyspace.versionCount(Bytes("k1")) == 0)
        db.close()
    }
}

#if canImport(Glibc)
import Glibc
#endif

func usleepMilliseconds(_ ms: Int) { usleep(UInt32(ms * 1000)) }
