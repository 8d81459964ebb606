// Set commands against Redis 7's exact replies and error texts (redis
// tests/unit/type/set.tcl): membership, random draws, the algebra and its
// STORE forms, SINTERCARD's argument errors, SMOVE's atomic move, and a
// full SSCAN iteration.

import Testing
@testable import MemFlux
import MemFluxCore

@Suite struct SetCommandTests: HarnessSuite {
    let h: Harness

    init() throws { h = try Harness() }

    /// Members of a set or array reply, sorted, for order-independent checks.
    func sorted(_ reply: Reply) -> [String] {
        switch reply {
        case .set(let items), .array(let items):
            return items.map { item -> String in
                if case .bulk(let b) = item { return b.string }
                return "<\(item)>"
            }.sorted()
        default: return ["<\(reply)>"]
        }
    }

    @Test func addRemoveAndCount() {
        #expect(run("SADD", "k", "a", "b", "a") == .integer(2))
        #expect(run("SADD", "k", "b", "c") == .integer(1))
        #expect(run("SCARD", "k") == .integer(3))
        #expect(run("SISMEMBER", "k", "a") == .one)
        #expect(run("SISMEMBER", "k", "z") == .zero)
        #expect(run("SMISMEMBER", "k", "a", "z", "c") == .array([.one, .zero, .one]))
        #expect(run("SMISMEMBER", "nokey", "a", "b") == .array([.zero, .zero]))
        #expect(sorted(run("SMEMBERS", "k")) == ["a", "b", "c"])
        #expect(run("SREM", "k", "a", "z") == .integer(1))
        #expect(run("SREM", "nokey", "a") == .zero)
        #expect(run("SREM", "k", "b", "c") == .integer(2))
        // An emptied set is deleted.
        #expect(run("EXISTS", "k") == .zero)
        #expect(run("SCARD", "k") == .zero)
        #expect(run("SMEMBERS", "k") == .set([]))
        #expect(run("SISMEMBER", "k", "a") == .zero)
    }

    @Test func wrongTypeAndArity() {
        run("SET", "str", "v")
        for args in [
            ["SADD", "str", "a"], ["SREM", "str", "a"], ["SMEMBERS", "str"], ["SCARD", "str"],
            ["SISMEMBER", "str", "a"], ["SMISMEMBER", "str", "a"], ["SPOP", "str"], ["SPOP", "str", "2"],
            ["SRANDMEMBER", "str"], ["SRANDMEMBER", "str", "-2"], ["SINTER", "str"], ["SUNION", "nokey", "str"],
            ["SDIFF", "nokey", "str"], ["SINTERCARD", "2", "nokey", "str"], ["SSCAN", "str", "0"],
        ] {
            #expect(s.reply(args.map { Bytes($0) }) == .error(.wrongType), "\(args)")
        }
        #expect(run("GET", "str") == .bulk("v"))
        #expect(run("SADD", "k") == err("wrong number of arguments for 'sadd' command"))
        #expect(run("SREM", "k") == err("wrong number of arguments for 'srem' command"))
        #expect(run("SCARD", "k", "x") == err("wrong number of arguments for 'scard' command"))
        #expect(run("SISMEMBER", "k") == err("wrong number of arguments for 'sismember' command"))
        #expect(run("SMISMEMBER", "k") == err("wrong number of arguments for 'smismember' command"))
        #expect(run("SMOVE", "a", "b") == err("wrong number of arguments for 'smove' command"))
        #expect(run("SINTERSTORE", "d") == err("wrong number of arguments for 'sinterstore' command"))
        #expect(run("SINTERCARD", "1") == err("wrong number of arguments for 'sintercard' command"))
        #expect(run("SSCAN", "k") == err("wrong number of arguments for 'sscan' command"))
    }

    @Test func spop() {
        #expect(run("SPOP", "nokey") == .null)
        #expect(run("SPOP", "nokey", "3") == .set([]))
        run("SADD", "k", "a", "b", "c", "d", "e")
        #expect(run("SPOP", "k", "-1") == err("value is out of range, must be positive"))
        #expect(run("SPOP", "k", "x") == err("value is not an integer or out of range"))
        #expect(run("SPOP", "k", "1", "2") == err("syntax error"))
        #expect(run("SPOP", "k", "0") == .set([]))
        #expect(run("SCARD", "k") == .integer(5))

        guard case .bulk(let one) = run("SPOP", "k") else { Issue.record("SPOP did not answer a bulk"); return }
        #expect(run("SISMEMBER", "k", one.string) == .zero)
        let two = sorted(run("SPOP", "k", "2"))
        #expect(two.count == 2 && Set(two).count == 2)
        #expect(run("SCARD", "k") == .integer(2))
        let left = sorted(run("SMEMBERS", "k"))
        #expect(Set(left + two + [one.string]) == ["a", "b", "c", "d", "e"])

        // A count larger than the set pops everything and deletes the key.
        let rest = run("SPOP", "k", "100")
        guard case .set = rest else { Issue.record("SPOP count did not answer a set"); return }
        #expect(sorted(rest) == left)
        #expect(run("EXISTS", "k") == .zero)

        // Popping the last member one at a time deletes the key too.
        run("SADD", "one", "x")
        #expect(run("SPOP", "one") == .bulk("x"))
        #expect(run("EXISTS", "one") == .zero)
    }

    @Test func srandmember() {
        #expect(run("SRANDMEMBER", "nokey") == .null)
        #expect(run("SRANDMEMBER", "nokey", "5") == .emptyArray)
        #expect(run("SRANDMEMBER", "nokey", "-5") == .emptyArray)
        run("SADD", "k", "a", "b", "c")
        guard case .bulk(let m) = run("SRANDMEMBER", "k") else { Issue.record("not a bulk"); return }
        #expect(["a", "b", "c"].contains(m.string))
        #expect(run("SRANDMEMBER", "k", "0") == .emptyArray)
        #expect(sorted(run("SRANDMEMBER", "k", "3")) == ["a", "b", "c"])
        #expect(sorted(run("SRANDMEMBER", "k", "10")) == ["a", "b", "c"])
        let two = sorted(run("SRANDMEMBER", "k", "2"))
        #expect(two.count == 2 && Set(two).count == 2 && Set(two).isSubset(of: ["a", "b", "c"]))
        // Negative: exactly |count| draws, repeats allowed.
        let many = sorted(run("SRANDMEMBER", "k", "-20"))
        #expect(many.count == 20 && Set(many).isSubset(of: ["a", "b", "c"]))
        #expect(run("SRANDMEMBER", "k", "x") == err("value is not an integer or out of range"))
        #expect(run("SRANDMEMBER", "k", "-9223372036854775808")
            == err("value is out of range, value must between -9223372036854775807 and 9223372036854775807"))
        #expect(run("SRANDMEMBER", "k", "1", "2") == err("syntax error"))
        #expect(run("SCARD", "k") == .integer(3))
    }

    @Test func algebra() {
        run("SADD", "a", "1", "2", "3", "4")
        run("SADD", "b", "3", "4", "5")
        run("SADD", "c", "4", "5", "6")
        #expect(sorted(run("SINTER", "a", "b")) == ["3", "4"])
        #expect(sorted(run("SINTER", "a", "b", "c")) == ["4"])
        #expect(run("SINTER", "a", "nokey") == .set([]))
        #expect(sorted(run("SUNION", "a", "nokey", "c")) == ["1", "2", "3", "4", "5", "6"])
        #expect(run("SUNION", "nokey") == .set([]))
        #expect(sorted(run("SDIFF", "a", "b")) == ["1", "2"])
        #expect(sorted(run("SDIFF", "a", "nokey", "c")) == ["1", "2", "3"])
        #expect(run("SDIFF", "a", "a") == .set([]))
        #expect(run("SDIFF", "nokey", "a") == .set([]))
        if case .set = run("SINTER", "a", "b") {} else { Issue.record("SINTER must answer a set") }
    }

    @Test func storeForms() {
        run("SADD", "a", "1", "2", "3")
        run("SADD", "b", "2", "3", "4")
        run("SET", "dest", "string")
        run("EXPIRE", "dest", "100")
        #expect(run("SINTERSTORE", "dest", "a", "b") == .integer(2))
        #expect(run("TYPE", "dest") == .status("set"))
        #expect(run("TTL", "dest") == .integer(-1))
        #expect(sorted(run("SMEMBERS", "dest")) == ["2", "3"])
        #expect(run("SUNIONSTORE", "dest", "a", "b") == .integer(4))
        #expect(sorted(run("SMEMBERS", "dest")) == ["1", "2", "3", "4"])
        #expect(run("SDIFFSTORE", "dest", "a", "b") == .integer(1))
        #expect(sorted(run("SMEMBERS", "dest")) == ["1"])
        // The destination may be a source.
        #expect(run("SUNIONSTORE", "a", "a", "b") == .integer(4))
        #expect(sorted(run("SMEMBERS", "a")) == ["1", "2", "3", "4"])
        // An empty result deletes the destination, whatever it held.
        run("SET", "s", "x")
        #expect(run("SINTERSTORE", "s", "a", "nokey") == .zero)
        #expect(run("EXISTS", "s") == .zero)
        #expect(run("SDIFFSTORE", "dest", "b", "a") == .zero)
        #expect(run("EXISTS", "dest") == .zero)
        #expect(run("SUNIONSTORE", "dest", "nokey") == .zero)
        #expect(run("EXISTS", "dest") == .zero)
        // A wrong-typed source fails and leaves the destination as it was.
        run("SET", "str", "v")
        run("SADD", "dest", "keep")
        #expect(run("SUNIONSTORE", "dest", "a", "str") == .error(.wrongType))
        #expect(run("SINTERSTORE", "dest", "nokey", "str") == .error(.wrongType))
        #expect(run("SMEMBERS", "dest") == .set([.bulk("keep")]))
    }

    @Test func sintercard() {
        run("SADD", "a", "1", "2", "3", "4")
        run("SADD", "b", "2", "3", "4", "5")
        #expect(run("SINTERCARD", "2", "a", "b") == .integer(3))
        #expect(run("SINTERCARD", "1", "a") == .integer(4))
        #expect(run("SINTERCARD", "2", "a", "b", "LIMIT", "2") == .integer(2))
        #expect(run("SINTERCARD", "2", "a", "b", "limit", "0") == .integer(3))
        #expect(run("SINTERCARD", "2", "a", "b", "LIMIT", "10") == .integer(3))
        #expect(run("SINTERCARD", "2", "a", "nokey") == .zero)
        let numkeys = err("numkeys should be greater than 0")
        #expect(run("SINTERCARD", "0", "a") == numkeys)
        #expect(run("SINTERCARD", "-1", "a") == numkeys)
        #expect(run("SINTERCARD", "x", "a") == numkeys)
        #expect(run("SINTERCARD", "3", "a", "b") == err("Number of keys can't be greater than number of args"))
        #expect(run("SINTERCARD", "2", "a", "b", "LIMIT", "-1") == err("LIMIT can't be negative"))
        #expect(run("SINTERCARD", "2", "a", "b", "LIMIT", "x") == err("LIMIT can't be negative"))
        #expect(run("SINTERCARD", "2", "a", "b", "LIMIT") == err("syntax error"))
        #expect(run("SINTERCARD", "1", "a", "b") == err("syntax error"))
    }

    @Test func smove() {
        run("SADD", "src", "a", "b")
        run("SADD", "dst", "c")
        #expect(run("SMOVE", "src", "dst", "a") == .one)
        #expect(sorted(run("SMEMBERS", "src")) == ["b"])
        #expect(sorted(run("SMEMBERS", "dst")) == ["a", "c"])
        #expect(run("SMOVE", "src", "dst", "zz") == .zero)
        // Moving to a missing destination creates it; emptying the source deletes it.
        #expect(run("SMOVE", "src", "new", "b") == .one)
        #expect(run("EXISTS", "src") == .zero)
        #expect(run("SMEMBERS", "new") == .set([.bulk("b")]))
        // Already in the destination: removed from the source, answer 1.
        run("SADD", "x", "c")
        #expect(run("SMOVE", "x", "dst", "c") == .one)
        #expect(run("EXISTS", "x") == .zero)
        // Same key: 1 when a member, nothing changes.
        #expect(run("SMOVE", "dst", "dst", "a") == .one)
        #expect(run("SMOVE", "dst", "dst", "q") == .zero)
        #expect(run("SCARD", "dst") == .integer(2))
        // Types: a missing source answers 0 before the destination is checked.
        run("SET", "str", "v")
        #expect(run("SMOVE", "nokey", "str", "a") == .zero)
        #expect(run("SMOVE", "dst", "str", "a") == .error(.wrongType))
        #expect(run("SMOVE", "str", "dst", "a") == .error(.wrongType))
        #expect(sorted(run("SMEMBERS", "dst")) == ["a", "c"])
        #expect(run("GET", "str") == .bulk("v"))
    }

    @Test func writesLeaveOpenSnapshotsUnchanged() {
        run("SADD", "k", "a", "b")
        run("SADD", "x", "b", "z")
        let snapshot = db.keyspace.snapshots.acquire()
        defer { db.keyspace.snapshots.release(snapshot) }
        #expect(run("SADD", "k", "c") == .one)
        #expect(run("SREM", "k", "a") == .one)
        #expect(run("SMOVE", "k", "other", "b") == .one)
        #expect(run("SINTERSTORE", "x", "other", "x") == .one)
        #expect(sorted(run("SMEMBERS", "k")) == ["c"])
        #expect(sorted(run("SMEMBERS", "x")) == ["b"])
        guard case .set(let oldK)? = db.keyspace.read(Bytes("k"), at: snapshot),
              case .set(let oldX)? = db.keyspace.read(Bytes("x"), at: snapshot)
        else { Issue.record("snapshot lost the sets"); return }
        #expect(oldK == ["a", "b"])
        #expect(oldX == ["b", "z"])
        #expect(db.keyspace.read(Bytes("other"), at: snapshot).map { _ in true } == nil)
    }

    @Test func sscanReturnsEveryMemberOnce() throws {
        let members = (0..<1000).map { "m\($0)" }
        _ = try s.execute(["SADD", "big"] + members)
        var seen: [String: Int] = [:]
        var cursor = "0"
        var calls = 0
        repeat {
            let reply = run("SSCAN", "big", cursor, "COUNT", "7")
            guard case .array(let parts) = reply, parts.count == 2,
                  case .bulk(let next) = parts[0], case .array(let items) = parts[1]
            else { Issue.record("bad SSCAN reply \(reply)"); return }
            for case .bulk(let m) in items { seen[m.string, default: 0] += 1 }
            cursor = next.string
            calls += 1
        } while cursor != "0" && calls < 10_000
        #expect(seen.count == 1000)
        #expect(seen.values.allSatisfy { $0 == 1 })
        #expect(Set(seen.keys) == Set(members))
        #expect(calls > 1000 / 14)
    }

    @Test func sscanSurvivesGrowthAndShrinking() throws {
        let stable = (0..<300).map { "s\($0)" }
        let doomed = (0..<300).map { "d\($0)" }
        _ = try s.execute(["SADD", "k"] + stable + doomed)
        var seen: [String: Int] = [:]
        var cursor = "0"
        var calls = 0
        repeat {
            guard case .array(let parts) = run("SSCAN", "k", cursor, "COUNT", "5"),
                  case .bulk(let next) = parts[0], case .array(let items) = parts[1]
            else { Issue.record("bad SSCAN reply"); return }
            for case .bulk(let m) in items { seen[m.string, default: 0] += 1 }
            cursor = next.string
            // During the first calls the set grows past, then shrinks below, its starting size.
            if calls < 10 { _ = try s.execute(["SADD", "k"] + (0..<20).map { "n\(calls)_\($0)" }) }
            if calls < 30 { _ = try s.execute(["SREM", "k"] + doomed[(calls * 10)..<(calls * 10 + 10)]) }
            calls += 1
        } while cursor != "0" && calls < 10_000
        // Members present for the whole iteration come back exactly once.
        for member in stable { #expect(seen[member] == 1, "\(member)") }
    }

    @Test func sscanOptions() {
        #expect(run("SSCAN", "nokey", "0") == .array([.bulk("0"), .emptyArray]))
        // Options are read only once the key is found, as in Redis.
        #expect(run("SSCAN", "nokey", "0", "COUNT", "x") == .array([.bulk("0"), .emptyArray]))
        run("SADD", "k", "apple", "avocado", "banana")
        guard case .array(let parts) = run("SSCAN", "k", "0", "MATCH", "a*", "COUNT", "100") else {
            Issue.record("bad reply"); return
        }
        #expect(parts[0] == .bulk("0"))
        #expect(sorted(parts[1]) == ["apple", "avocado"])
        #expect(run("SSCAN", "k", "abc") == err("invalid cursor"))
        #expect(run("SSCAN", "k", "0", "COUNT", "0") == err("syntax error"))
        #expect(run("SSCAN", "k", "0", "COUNT", "x") == err("value is not an integer or out of range"))
        #expect(run("SSCAN", "k", "0", "MATCH") == err("syntax error"))
        #expect(run("SSCAN", "k", "0", "NOVALUES") == err("NOVALUES option can only be used in HSCAN"))
    }
}
