// Hash commands against Redis 7's exact replies and error texts (redis
// tests/unit/type/hash.tcl): field access, counters and their errors (which
// must leave the hash unchanged), HINCRBYFLOAT's number formatting,
// HRANDFIELD's counts, and a full HSCAN iteration.

import Testing
@testable import MemFlux
import MemFluxCore

@Suite struct HashCommandTests: HarnessSuite {
    let h: Harness

    init() throws { h = try Harness() }

    func strings(_ items: [Reply]) -> [String] {
        items.map { item -> String in
            if case .bulk(let b) = item { return b.string }
            return "<\(item)>"
        }
    }

    /// A flat field/value reply (array or map) as a dictionary; nil if a field repeats.
    func pairs(_ reply: Reply) -> [String: String]? {
        let items: [Reply]
        switch reply {
        case .array(let a), .map(let a): items = a
        default: return nil
        }
        guard items.count % 2 == 0 else { return nil }
        let flat = strings(items)
        var result: [String: String] = [:]
        for i in stride(from: 0, to: flat.count, by: 2) {
            guard result.updateValue(flat[i + 1], forKey: flat[i]) == nil else { return nil }
        }
        return result
    }

    @Test func setGetAndDelete() {
        #expect(run("HSET", "h", "a", "1", "b", "2") == .integer(2))
        #expect(run("HSET", "h", "a", "10", "c", "3") == .integer(1))
        #expect(run("HMSET", "h", "d", "4", "a", "1") == .ok)
        #expect(run("HGET", "h", "a") == .bulk("1"))
        #expect(run("HGET", "h", "zz") == .null)
        #expect(run("HGET", "nokey", "a") == .null)
        #expect(run("HMGET", "h", "a", "zz", "c") == .array([.bulk("1"), .null, .bulk("3")]))
        #expect(run("HMGET", "nokey", "a", "b") == .array([.null, .null]))
        #expect(run("HEXISTS", "h", "b") == .one)
        #expect(run("HEXISTS", "h", "zz") == .zero)
        #expect(run("HEXISTS", "nokey", "b") == .zero)
        #expect(run("HLEN", "h") == .integer(4))
        #expect(run("HLEN", "nokey") == .zero)
        #expect(run("HSTRLEN", "h", "a") == .integer(1))
        #expect(run("HSTRLEN", "h", "zz") == .zero)
        #expect(run("HSTRLEN", "nokey", "a") == .zero)
        #expect(run("HDEL", "h", "a", "zz", "b") == .integer(2))
        #expect(run("HDEL", "nokey", "a") == .zero)
        #expect(run("HDEL", "h", "c", "d") == .integer(2))
        // An emptied hash is deleted.
        #expect(run("EXISTS", "h") == .zero)
    }

    @Test func hsetnx() {
        #expect(run("HSETNX", "h", "f", "1") == .one)
        #expect(run("HSETNX", "h", "f", "2") == .zero)
        #expect(run("HGET", "h", "f") == .bulk("1"))
    }

    @Test func getAll() {
        #expect(run("HGETALL", "nokey") == .map([]))
        #expect(run("HKEYS", "nokey") == .emptyArray)
        #expect(run("HVALS", "nokey") == .emptyArray)
        run("HSET", "h", "a", "1", "b", "2", "c", "3")
        let all = run("HGETALL", "h")
        guard case .map = all else { Issue.record("HGETALL must answer a map"); return }
        #expect(pairs(all) == ["a": "1", "b": "2", "c": "3"])
        guard case .array(let keys) = run("HKEYS", "h"), case .array(let values) = run("HVALS", "h") else {
            Issue.record("HKEYS/HVALS must answer arrays"); return
        }
        #expect(strings(keys).sorted() == ["a", "b", "c"])
        #expect(strings(values).sorted() == ["1", "2", "3"])
    }

    @Test func wrongTypeAndArity() {
        run("SET", "str", "v")
        for args in [
            ["HSET", "str", "f", "v"], ["HMSET", "str", "f", "v"], ["HSETNX", "str", "f", "v"], ["HGET", "str", "f"],
            ["HMGET", "str", "f"], ["HDEL", "str", "f"], ["HEXISTS", "str", "f"], ["HLEN", "str"], ["HSTRLEN", "str", "f"],
            ["HKEYS", "str"], ["HVALS", "str"], ["HGETALL", "str"], ["HINCRBY", "str", "f", "1"],
            ["HINCRBYFLOAT", "str", "f", "1"], ["HRANDFIELD", "str"], ["HRANDFIELD", "str", "2"], ["HSCAN", "str", "0"],
        ] {
            #expect(s.reply(args.map { Bytes($0) }) == .error(.wrongType), "\(args)")
        }
        #expect(run("GET", "str") == .bulk("v"))
        #expect(run("HSET", "h", "f") == err("wrong number of arguments for 'hset' command"))
        #expect(run("HSET", "h", "f", "v", "g") == err("wrong number of arguments for 'hset' command"))
        #expect(run("HMSET", "h", "f", "v", "g") == err("wrong number of arguments for 'hmset' command"))
        #expect(run("EXISTS", "h") == .zero)
        #expect(run("HGET", "h") == err("wrong number of arguments for 'hget' command"))
        #expect(run("HGET", "h", "f", "g") == err("wrong number of arguments for 'hget' command"))
        #expect(run("HMGET", "h") == err("wrong number of arguments for 'hmget' command"))
        #expect(run("HDEL", "h") == err("wrong number of arguments for 'hdel' command"))
        #expect(run("HLEN", "h", "x") == err("wrong number of arguments for 'hlen' command"))
        #expect(run("HINCRBY", "h", "f") == err("wrong number of arguments for 'hincrby' command"))
        #expect(run("HGETALL") == err("wrong number of arguments for 'hgetall' command"))
        #expect(run("HSCAN", "h") == err("wrong number of arguments for 'hscan' command"))
    }

    @Test func hincrby() {
        #expect(run("HINCRBY", "h", "n", "5") == .integer(5))
        #expect(run("HINCRBY", "h", "n", "-7") == .integer(-2))
        #expect(run("HGET", "h", "n") == .bulk("-2"))
        #expect(run("HINCRBY", "h", "n", "x") == err("value is not an integer or out of range"))
        #expect(run("HINCRBY", "h", "n", "1.5") == err("value is not an integer or out of range"))
        run("HSET", "h", "s", "abc", "f", "1.5", "big", "9223372036854775800")
        #expect(run("HINCRBY", "h", "s", "1") == err("hash value is not an integer"))
        #expect(run("HINCRBY", "h", "f", "1") == err("hash value is not an integer"))
        let overflow = err("increment or decrement would overflow")
        #expect(run("HINCRBY", "h", "big", "8") == overflow)
        #expect(run("HINCRBY", "h", "big", "7") == .integer(.max))
        run("HSET", "h", "small", "-9223372036854775800")
        #expect(run("HINCRBY", "h", "small", "-9") == overflow)
        // Failures change nothing.
        #expect(run("HMGET", "h", "n", "s", "big", "small")
            == .array([.bulk("-2"), .bulk("abc"), .bulk("9223372036854775807"), .bulk("-9223372036854775800")]))
        #expect(run("HINCRBY", "nokey", "f", "x") == err("value is not an integer or out of range"))
        #expect(run("EXISTS", "nokey") == .zero)
    }

    @Test func hincrbyfloat() {
        #expect(run("HINCRBYFLOAT", "h", "f", "10.5") == .bulk("10.5"))
        #expect(run("HINCRBYFLOAT", "h", "f", "0.1") == .bulk("10.6"))
        #expect(run("HGET", "h", "f") == .bulk("10.6"))
        #expect(run("HINCRBYFLOAT", "h", "g", "5") == .bulk("5"))
        #expect(run("HINCRBYFLOAT", "h", "g", "-5") == .bulk("0"))
        #expect(run("HINCRBYFLOAT", "h", "g", "3.0e3") == .bulk("3000"))
        run("HSET", "h", "i", "17")
        #expect(run("HINCRBYFLOAT", "h", "i", "0.25") == .bulk("17.25"))
        run("HSET", "h", "s", "abc")
        #expect(run("HINCRBYFLOAT", "h", "s", "1") == err("hash value is not a float"))
        #expect(run("HINCRBYFLOAT", "h", "f", "x") == err("value is not a valid float"))
        #expect(run("HINCRBYFLOAT", "h", "f", "inf") == err("value is NaN or Infinity"))
        run("HSET", "h", "huge", "1e4932")
        #expect(run("HINCRBYFLOAT", "h", "huge", "1e4932") == err("increment would produce NaN or Infinity"))
        #expect(run("HMGET", "h", "f", "s", "huge") == .array([.bulk("10.6"), .bulk("abc"), .bulk("1e4932")]))
        #expect(run("HINCRBYFLOAT", "nokey", "f", "x") == err("value is not a valid float"))
        #expect(run("EXISTS", "nokey") == .zero)
    }

    @Test func hrandfield() {
        #expect(run("HRANDFIELD", "nokey") == .null)
        #expect(run("HRANDFIELD", "nokey", "3") == .emptyArray)
        #expect(run("HRANDFIELD", "nokey", "-3", "WITHVALUES") == .emptyArray)
        run("HSET", "h", "a", "1", "b", "2", "c", "3")
        let stored = ["a": "1", "b": "2", "c": "3"]
        guard case .bulk(let one) = run("HRANDFIELD", "h") else { Issue.record("not a bulk"); return }
        #expect(stored[one.string] != nil)
        #expect(run("HRANDFIELD", "h", "0") == .emptyArray)
        guard case .array(let all) = run("HRANDFIELD", "h", "10") else { Issue.record("not an array"); return }
        #expect(strings(all).sorted() == ["a", "b", "c"])
        guard case .array(let two) = run("HRANDFIELD", "h", "2") else { Issue.record("not an array"); return }
        #expect(Set(strings(two)).count == 2)
        #expect(pairs(run("HRANDFIELD", "h", "5", "WITHVALUES")) == stored)
        let distinct = pairs(run("HRANDFIELD", "h", "2", "withvalues"))
        #expect(distinct?.count == 2 && distinct?.allSatisfy { stored[$0.key] == $0.value } == true)
        // Negative: exactly |count| draws, repeats allowed, values match their fields.
        guard case .array(let many) = run("HRANDFIELD", "h", "-10", "WITHVALUES") else { Issue.record("not an array"); return }
        let flat = strings(many)
        #expect(flat.count == 20)
        for i in stride(from: 0, to: flat.count, by: 2) { #expect(stored[flat[i]] == flat[i + 1]) }
        guard case .array(let repeated) = run("HRANDFIELD", "h", "-7") else { Issue.record("not an array"); return }
        #expect(repeated.count == 7)

        #expect(run("HRANDFIELD", "h", "1", "VALUES") == err("syntax error"))
        #expect(run("HRANDFIELD", "h", "1", "WITHVALUES", "x") == err("syntax error"))
        #expect(run("HRANDFIELD", "h", "x") == err("value is not an integer or out of range"))
        #expect(run("HRANDFIELD", "h", "-9223372036854775808")
            == err("value is out of range, value must between -9223372036854775807 and 9223372036854775807"))
        #expect(run("HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES") == err("value is out of range"))
        #expect(run("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES") == err("value is out of range"))
    }

    @Test func writesLeaveOpenSnapshotsUnchanged() {
        run("HSET", "h", "n", "1", "f", "x")
        let snapshot = db.keyspace.snapshots.acquire()
        defer { db.keyspace.snapshots.release(snapshot) }
        #expect(run("HINCRBY", "h", "n", "5") == .integer(6))
        #expect(run("HSET", "h", "g", "y") == .one)
        #expect(run("HDEL", "h", "f") == .one)
        #expect(pairs(run("HGETALL", "h")) == ["n": "6", "g": "y"])
        guard case .hash(let old)? = db.keyspace.read(Bytes("h"), at: snapshot) else {
            Issue.record("snapshot lost the hash"); return
        }
        #expect(old == [Bytes("n"): Bytes("1"), Bytes("f"): Bytes("x")])
    }

    @Test func hscanReturnsEveryFieldOnce() throws {
        var args = ["HSET", "big"]
        for i in 0..<1000 { args += ["f\(i)", "v\(i)"] }
        #expect(try s.execute(args) == .integer(1000))
        var seen: [String: Int] = [:]
        var cursor = "0"
        var calls = 0
        repeat {
            let reply = run("HSCAN", "big", cursor, "COUNT", "7")
            guard case .array(let parts) = reply, parts.count == 2,
                  case .bulk(let next) = parts[0], case .array(let items) = parts[1], items.count % 2 == 0
            else { Issue.record("bad HSCAN reply \(reply)"); return }
            let flat = strings(items)
            for i in stride(from: 0, to: flat.count, by: 2) {
                #expect(flat[i + 1] == "v" + flat[i].dropFirst())
                seen[flat[i], default: 0] += 1
            }
            cursor = next.string
            calls += 1
        } while cursor != "0" && calls < 10_000
        #expect(seen.count == 1000)
        #expect(seen.values.allSatisfy { $0 == 1 })
        #expect(calls > 1000 / 14)
    }

    @Test func hscanOptions() {
        #expect(run("HSCAN", "nokey", "0") == .array([.bulk("0"), .emptyArray]))
        run("HSET", "h", "apple", "1", "avocado", "2", "banana", "3")
        guard case .array(let parts) = run("HSCAN", "h", "0", "MATCH", "a*", "COUNT", "100") else {
            Issue.record("bad reply"); return
        }
        #expect(parts[0] == .bulk("0"))
        #expect(pairs(parts[1]) == ["apple": "1", "avocado": "2"])
        guard case .array(let names) = run("HSCAN", "h", "0", "NOVALUES") else { Issue.record("bad reply"); return }
        guard case .array(let fields) = names[1] else { Issue.record("bad reply"); return }
        #expect(strings(fields).sorted() == ["apple", "avocado", "banana"])
        #expect(run("HSCAN", "h", "x") == err("invalid cursor"))
        #expect(run("HSCAN", "h", "0", "COUNT", "0") == err("syntax error"))
        #expect(run("HSCAN", "h", "0", "COUNT", "-3") == err("syntax error"))
        #expect(run("HSCAN", "h", "0", "BOGUS") == err("syntax error"))
    }
}
