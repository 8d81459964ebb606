import Dispatch
import Testing
import MemFlux
import MemFluxCore

@Suite struct ListCommandTests {
    @Test func pushPopAndLength() throws {
        let h = try Harness()
        #expect(h("LPUSH", "l", "b", "a") == .integer(2))
        #expect(h("RPUSH", "l", "c", "d") == .integer(4))
        #expect(h("LRANGE", "l", "0", "-1") == bulks("a", "b", "c", "d"))
        #expect(h("LPUSHX", "nope", "x") == .zero)
        #expect(h("RPUSHX", "l", "e") == .integer(5))
        #expect(h("LLEN", "l") == .integer(5))
        #expect(h("LPOP", "l") == bulk("a"))
        #expect(h("RPOP", "l") == bulk("e"))
        #expect(h("LPOP", "l", "2") == bulks("b", "c"))
        #expect(h("RPOP", "l", "10") == bulks("d"))
        #expect(h("EXISTS", "l") == .zero, "an emptied list is deleted")
        #expect(h("LPOP", "l") == .null)
        #expect(h("LPOP", "l", "2") == .nullArray)
        h("RPUSH", "l", "x")
        #expect(h("LPOP", "l", "0") == .array([]))
        #expect(h("LPOP", "l", "-1") == err("value is out of range, must be positive"))
        #expect(h("LPOP", "l", "abc") == err("value is out of range, must be positive"))
        #expect(h("LPOP", "l", "1", "2") == err("wrong number of arguments for 'lpop' command"))
        #expect(h("LLEN", "l") == .one)
        h("SET", "s", "v")
        #expect(h("LPUSH", "s", "x") == wrongType)
        #expect(h("LLEN", "s") == wrongType)
        #expect(h("LPOP", "s") == wrongType)
    }

    @Test func rangesAndIndexes() throws {
        let h = try Harness()
        h("RPUSH", "l", "a", "b", "c", "d", "e")
        #expect(h("LRANGE", "l", "-2", "-1") == bulks("d", "e"))
        #expect(h("LRANGE", "l", "-100", "1") == bulks("a", "b"))
        #expect(h("LRANGE", "l", "3", "100") == bulks("d", "e"))
        #expect(h("LRANGE", "l", "3", "1") == .array([]))
        #expect(h("LRANGE", "l", "10", "20") == .array([]))
        #expect(h("LRANGE", "missing", "0", "-1") == .array([]))
        #expect(h("LRANGE", "l", "a", "1") == err("value is not an integer or out of range"))
        #expect(h("LINDEX", "l", "0") == bulk("a"))
        #expect(h("LINDEX", "l", "-1") == bulk("e"))
        #expect(h("LINDEX", "l", "5") == .null)
        #expect(h("LINDEX", "l", "-6") == .null)
        #expect(h("LSET", "l", "1", "B") == .ok)
        #expect(h("LSET", "l", "-1", "E") == .ok)
        #expect(h("LSET", "l", "9", "x") == err("index out of range"))
        #expect(h("LSET", "missing", "0", "x") == err("no such key"))
        #expect(h("LRANGE", "l", "0", "-1") == bulks("a", "B", "c", "d", "E"))
        #expect(h("LTRIM", "l", "1", "-2") == .ok)
        #expect(h("LRANGE", "l", "0", "-1") == bulks("B", "c", "d"))
        #expect(h("LTRIM", "l", "5", "10") == .ok)
        #expect(h("EXISTS", "l") == .zero)
    }

    @Test func remInsertPos() throws {
        let h = try Harness()
        h("RPUSH", "l", "a", "x", "b", "x", "c", "x")
        #expect(h("LREM", "l", "-2", "x") == .integer(2))
        #expect(h("LRANGE", "l", "0", "-1") == bulks("a", "x", "b", "c"))
        #expect(h("LREM", "l", "0", "nope") == .zero)
        #expect(h("LREM", "l", "1", "x") == .one)
        #expect(h("LINSERT", "l", "BEFORE", "b", "1") == .integer(4))
        #expect(h("LINSERT", "l", "after", "c", "2") == .integer(5))
        #expect(h("LINSERT", "l", "AFTER", "zz", "2") == .integer(-1))
        #expect(h("LINSERT", "missing", "AFTER", "zz", "2") == .zero)
        #expect(h("LINSERT", "l", "MIDDLE", "b", "2") == err("syntax error"))
        #expect(h("LRANGE", "l", "0", "-1") == bulks("a", "1", "b", "c", "2"))
        h("RPUSH", "p", "a", "b", "c", "1", "2", "3", "c", "c")
        #expect(h("LPOS", "p", "c") == .integer(2))
        #expect(h("LPOS", "p", "c", "RANK", "2") == .integer(6))
        #expect(h("LPOS", "p", "c", "RANK", "-1") == .integer(7))
        #expect(h("LPOS", "p", "c", "COUNT", "0") == .array([.integer(2), .integer(6), .integer(7)]))
        #expect(h("LPOS", "p", "c", "COUNT", "2", "RANK", "-1") == .array([.integer(7), .integer(6)]))
        #expect(h("LPOS", "p", "c", "COUNT", "0", "MAXLEN", "3") == .array([.integer(2)]))
        #expect(h("LPOS", "p", "zz") == .null)
        #expect(h("LPOS", "p", "zz", "COUNT", "1") == .array([]))
        #expect(h("LPOS", "p", "c", "RANK", "0") == err("RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"))
        #expect(h("LPOS", "p", "c", "COUNT", "-1") == err("COUNT can't be negative"))
        #expect(h("LPOS", "p", "c", "MAXLEN", "-1") == err("MAXLEN can't be negative"))
    }

    @Test func moveBetweenLists() throws {
        let h = try Harness()
        h("RPUSH", "src", "a", "b", "c")
        #expect(h("LMOVE", "src", "dst", "RIGHT", "LEFT") == bulk("c"))
        #expect(h("LMOVE", "src", "dst", "LEFT", "RIGHT") == bulk("a"))
        #expect(h("LRANGE", "dst", "0", "-1") == bulks("c", "a"))
        #expect(h("RPOPLPUSH", "src", "src") == bulk("b"))
        #expect(h("LMOVE", "src", "dst", "UP", "LEFT") == err("syntax error"))
        h("SET", "str", "x")
        #expect(h("LMOVE", "src", "str", "LEFT", "LEFT") == wrongType)
        #expect(h("LLEN", "src") == .one, "a failed move pops nothing")
        #expect(h("LMOVE", "empty", "dst", "LEFT", "LEFT") == .null)
        #expect(h("LMOVE", "empty", "str", "LEFT", "LEFT") == .null, "an empty source wins over a wrong-type destination")
        #expect(h("LMOVE", "str", "empty", "LEFT", "LEFT") == wrongType)
        #expect(h("RPOPLPUSH", "empty", "str") == .null)
    }

    @Test func indexIsCheckedAfterKeyAndType() throws {
        let h = try Harness()
        #expect(h("LINDEX", "missing", "x") == .null)
        #expect(h("LSET", "missing", "x", "v") == err("no such key"))
        h("SET", "str", "v")
        #expect(h("LINDEX", "str", "x") == wrongType)
        #expect(h("LSET", "str", "x", "v") == wrongType)
        h("RPUSH", "l", "a")
        #expect(h("LINDEX", "l", "x") == err("value is not an integer or out of range"))
        #expect(h("LSET", "l", "x", "v") == err("value is not an integer or out of range"))
        #expect(h("LSET", "l", "5", "v") == err("index out of range"))
        #expect(h("LRANGE", "l", "0", "-1") == bulks("a"))
    }

    @Test func blpopReturnsAtOnceWhenDataExists() throws {
        let h = try Harness()
        h("RPUSH", "b", "1", "2")
        #expect(h("BLPOP", "a", "b", "0") == bulks("b", "1"))
        #expect(h("BRPOP", "a", "b", "0") == bulks("b", "2"))
        #expect(h("BLPOP", "a", "-1") == err("timeout is negative"))
        #expect(h("BLPOP", "a", "x") == err("timeout is not a float or out of range"))
        #expect(h("BLPOP", "a", "nan") == err("timeout is not a float or out of range"))
        #expect(h("BLPOP", "a", "-inf") == err("timeout is negative"))
        h("SET", "s", "v")
        #expect(h("BLPOP", "s", "0") == wrongType)
    }

    /// Command fuzzer find: a timeout too large for DispatchTime trapped the
    /// embedded wait; one whose deadline overflows milliseconds is refused, as Redis does.
    @Test func blockingTimeoutsOutOfRangeAreRefusedNotATrap() throws {
        let h = try Harness()
        for timeout in ["9223372036854775807", "1e300", "inf", "+inf", "1e4000"] {
            #expect(h("BLPOP", "a", timeout) == err("timeout is out of range"))
            #expect(h("BLMOVE", "a", "b", "LEFT", "RIGHT", timeout) == err("timeout is out of range"))
        }
        h("RPUSH", "b", "1")
        // Largest in range: answers at once because data is there.
        #expect(h("BRPOP", "b", "9000000000000") == bulks("b", "1"))
    }

    @Test func blpopTimesOut() throws {
        let h = try Harness()
        let start = DispatchTime.now()
        #expect(h("BLPOP", "empty", "0.1") == .nullArray)
        #expect(h("BLMOVE", "empty", "d", "LEFT", "LEFT", "0.05") == .null)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        #expect(elapsed >= 0.14, "both waited out their timeouts (an upper bound would be a timing assertion)")
    }

    /// Runs `words` on `session` on another thread (blocking commands park
    /// their thread, so not on the test's cooperative pool).
    func inBackground(_ session: Session, _ words: [String]) -> () -> Reply {
        let done = DispatchSemaphore(value: 0)
        let box = ReplyBox()
        DispatchQueue.global().async {
            box.reply = session.reply(words.map { Bytes($0) })
            done.signal()
        }
        return {
            done.wait()
            return box.reply!
        }
    }

    @Test func blpopWokenByPushFromAnotherSession() throws {
        let h = try Harness()
        let other = h.db.session()
        let popped = inBackground(h.db.session(), ["BLPOP", "q1", "q2", "5"])
        usleepMilliseconds(100)
        #expect(other.reply(["RPUSH", "q2", "job"].map { Bytes($0) }) == .one)
        #expect(popped() == bulks("q2", "job"))
        #expect(h("LLEN", "q2") == .zero)
    }

    @Test func blmoveWokenByPush() throws {
        let h = try Harness()
        let moved = inBackground(h.db.session(), ["BLMOVE", "src", "dst", "LEFT", "RIGHT", "5"])
        usleepMilliseconds(100)
        h("LPUSH", "src", "x")
        #expect(moved() == bulk("x"))
        #expect(h("LRANGE", "dst", "0", "-1") == bulks("x"))
    }

    @Test func eachPushServesOneBlockedClient() throws {
        let h = try Harness()
        let results = (0..<3).map { _ in inBackground(h.db.session(), ["BRPOP", "q", "5"]) }
        usleepMilliseconds(100)
        for i in 0..<3 { h("LPUSH", "q", "v\(i)") }
        let got = results.map { $0() }
        #expect(Set(got) == [bulks("q", "v0"), bulks("q", "v1"), bulks("q", "v2")])
    }
}

/// `@unchecked Sendable`: written once by the worker before it signals, read after the wait.
final class ReplyBox: @unchecked Sendable {
    var reply: Reply?
}
