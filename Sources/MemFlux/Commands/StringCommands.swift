// Byte-string commands (Redis src/t_string.c): GET/SET and their variants,
// counters, ranges. Integers are stored as their decimal text, as clients see
// them; INCR parses and re-formats.

import MemFluxCore
import MemFluxStorage

enum StringCommands {
    static let all: [Command] = [
        Command("get", arity: 2, flags: .readOnly, keys: (1, 1, 1), get),
        Command("set", arity: -3, flags: .write, keys: (1, 1, 1), set),
        Command("setnx", arity: 3, flags: .write, keys: (1, 1, 1), setnx),
        Command("setex", arity: 4, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try setex(c, unit: 1000) },
        Command("psetex", arity: 4, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try setex(c, unit: 1) },
        Command("getdel", arity: 2, flags: .write, keys: (1, 1, 1), getdel),
        Command("getset", arity: 3, flags: .write, keys: (1, 1, 1), getset),
        Command("getex", arity: -2, flags: .write, keys: (1, 1, 1), getex),
        Command("mget", arity: -2, flags: .readOnly, keys: (1, -1, 1), mget),
        Command("mset", arity: -3, flags: .write, keys: (1, -1, 2)) { c throws(MemFluxError) in try mset(c, onlyIfNoneExist: false) },
        Command("msetnx", arity: -3, flags: .write, keys: (1, -1, 2)) { c throws(MemFluxError) in try mset(c, onlyIfNoneExist: true) },
        Command("incr", arity: 2, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try incrBy(c, 1) },
        Command("decr", arity: 2, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try incrBy(c, -1) },
        Command("incrby", arity: 3, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try incrBy(c, try c.int(2)) },
        Command("decrby", arity: 3, flags: .write, keys: (1, 1, 1), decrby),
        Command("incrbyfloat", arity: 3, flags: .write, keys: (1, 1, 1), incrbyfloat),
        Command("append", arity: 3, flags: .write, keys: (1, 1, 1), append),
        Command("strlen", arity: 2, flags: .readOnly, keys: (1, 1, 1), strlen),
        Command("getrange", arity: 4, flags: .readOnly, keys: (1, 1, 1), getrange),
        Command("substr", arity: 4, flags: .readOnly, keys: (1, 1, 1), getrange),
        Command("setrange", arity: 4, flags: .write, keys: (1, 1, 1), setrange),
    ]

    /// Largest string SETRANGE/APPEND may build (Redis proto-max-bulk-len default).
    static let maxStringLength = 512 * 1024 * 1024

    /// The byte value of `value`; WRONGTYPE for any other type.
    @inline(__always)
    static func bytes(_ value: borrowing Value?) throws(MemFluxError) -> Bytes? {
        switch value {
        case .bytes(let b)?: return b
        case nil: return nil
        default: throw .wrongType
        }
    }

    // GET key
    static func get(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.read(c[1]) { value throws(MemFluxError) in .optionalBulk(try bytes(value)) }
    }

    // SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
    static func set(_ c: CommandContext) throws(MemFluxError) -> Reply {
        if c.count == 3 {
            let value = Value.bytes(c[2])
            c.keyspace.modify(c[1]) { slot in slot.store(value) }
            return .ok
        }
        // Redis's rules: an option may repeat (NX NX, EX 1 EX 2: the last time
        // wins) but not meet its opposite; the time is parsed only after every
        // option, so `EX abc EX` is a syntax error, not a number error.
        var nx = false, xx = false, returnOld = false, keepTTL = false
        var timed: (word: Bytes, index: Int, unit: ExpiryOption.Unit)?
        var i = 3
        while i < c.count {
            let word = c[i]
            let hasNext = i + 1 < c.count
            if word.equalsIgnoringCase("nx"), !xx {
                nx = true
            } else if word.equalsIgnoringCase("xx"), !nx {
                xx = true
            } else if word.equalsIgnoringCase("get") {
                returnOld = true
            } else if word.equalsIgnoringCase("keepttl"), timed == nil {
                keepTTL = true
            } else if let unit = ExpiryOption.unit(of: word), hasNext, !keepTTL,
                      timed.map({ $0.word == word.lowercasedASCII() }) ?? true {
                timed = (word.lowercasedASCII(), i + 1, unit)
                i += 1
            } else {
                throw .syntax
            }
            i += 1
        }
        let condition: ExistenceCondition = nx ? .ifAbsent : xx ? .ifPresent : .always
        var expiry = keepTTL ? ExpiryOption.keep : .none
        if let timed { expiry = try ExpiryOption.parse(c, at: timed.index, unit: timed.unit, command: "set") }
        let value = Value.bytes(c[2])
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            let old: Bytes? = returnOld ? try slot.bytes() : nil
            switch condition {
            case .ifAbsent where slot.existed, .ifPresent where !slot.existed:
                return returnOld ? .optionalBulk(old) : .null
            default: break
            }
            let expireAt = expiry.absolute(current: slot.expireAt)
            slot.store(value, keepTTL: true)
            slot.expireAt = expireAt
            return returnOld ? .optionalBulk(old) : .ok
        }
    }

    // SETNX key value
    static func setnx(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let value = Value.bytes(c[2])
        return c.keyspace.modify(c[1]) { slot in
            if slot.existed { return .zero }
            slot.store(value)
            return .one
        }
    }

    // SETEX key seconds value / PSETEX key milliseconds value
    static func setex(_ c: CommandContext, unit: Int64) throws(MemFluxError) -> Reply {
        let expiry = try ExpiryOption.parse(c, at: 2, unit: .relative(unit), command: c.commandName)
        let value = Value.bytes(c[3])
        c.keyspace.modify(c[1]) { slot in
            slot.store(value)
            slot.expireAt = expiry.absolute(current: 0)
        }
        return .ok
    }

    // GETDEL key
    static func getdel(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.modify(c[1]) { slot throws(MemFluxError) in
            let old = try slot.bytes()
            if old != nil { slot.delete() }
            return .optionalBulk(old)
        }
    }

    // GETSET key value
    static func getset(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let value = Value.bytes(c[2])
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) in
            let old = try slot.bytes()
            slot.store(value)
            return .optionalBulk(old)
        }
    }

    // GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]
    static func getex(_ c: CommandContext) throws(MemFluxError) -> Reply {
        // As in Redis: PERSIST or one time unit, either may repeat; the time
        // itself is checked only once the key is known to hold a string.
        var persist = false
        var timed: (word: Bytes, index: Int, unit: ExpiryOption.Unit)?
        var i = 2
        while i < c.count {
            let word = c[i]
            if word.equalsIgnoringCase("persist"), timed == nil {
                persist = true
            } else if let unit = ExpiryOption.unit(of: word), i + 1 < c.count, !persist,
                      timed.map({ $0.word == word.lowercasedASCII() }) ?? true {
                timed = (word.lowercasedASCII(), i + 1, unit)
                i += 1
            } else {
                throw .syntax
            }
            i += 1
        }
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) in
            guard let old = try slot.bytes() else { return .null }
            if let timed {
                let expiry = try ExpiryOption.parse(c, at: timed.index, unit: timed.unit, command: "getex")
                slot.expireAt = expiry.absolute(current: slot.expireAt)
            } else if persist, slot.expireAt != 0 {
                slot.expireAt = 0
            }
            return .bulk(old)
        }
    }

    // MGET key [key ...]
    static func mget(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let keys = Array(c.args[1...])
        return try c.keyspace.withKeys(keys) { locked throws(MemFluxError) in
            var replies: [Reply] = []
            replies.reserveCapacity(keys.count)
            for key in keys {
                let reply = locked.read(key) { value -> Reply in
                    if case .bytes(let b)? = value { return .bulk(b) }
                    return .null
                }
                replies.append(reply)
            }
            return .array(replies)
        }
    }

    // MSET key value [key value ...] / MSETNX key value [key value ...]
    static func mset(_ c: CommandContext, onlyIfNoneExist: Bool) throws(MemFluxError) -> Reply {
        guard c.count % 2 == 1 else { throw .wrongArity(c.commandName) }
        let keys = stride(from: 1, to: c.count, by: 2).map { c[$0] }
        return try c.keyspace.withKeys(keys) { locked throws(MemFluxError) -> Reply in
            if onlyIfNoneExist {
                for key in keys where locked.read(key, { $0 != nil }) { return .zero }
            }
            for i in stride(from: 1, to: c.count, by: 2) {
                let value = Value.bytes(c[i + 1])
                locked.modify(c[i]) { slot in slot.store(value) }
            }
            return onlyIfNoneExist ? .one : .ok
        }
    }

    // INCR / DECR / INCRBY key increment
    static func incrBy(_ c: CommandContext, _ delta: Int64) throws(MemFluxError) -> Reply {
        try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            let sum = try Counter.add(delta, to: try slot.bytes(), notInteger: .notInteger)
            slot.store(.bytes(Bytes(sum)), keepTTL: true)
            return .integer(sum)
        }
    }

    // DECRBY key decrement
    static func decrby(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let decrement = try c.int(2)
        guard decrement != .min else { throw MemFluxError(.err, "decrement would overflow") }
        return try incrBy(c, -decrement)
    }

    // INCRBYFLOAT key increment
    // Redis checks the key's type and value before the increment (WRONGTYPE wins).
    static func incrbyfloat(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            let old = try slot.bytes()  // WRONGTYPE before a bad increment, as in Redis
            let text = try Counter.add(try c.float(2), to: old, notFloat: .notFloat)
            slot.store(.bytes(text), keepTTL: true)
            return .bulk(text)
        }
    }

    // APPEND key value
    static func append(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let suffix = c[2]
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            guard var current = try slot.bytes() else {
                slot.store(.bytes(suffix))
                return .integer(Int64(suffix.count))
            }
            guard current.count + suffix.count <= maxStringLength else { throw .stringTooLong }
            slot.value = nil
            current.mutate { $0.append(contentsOf: suffix.array) }
            slot.value = .bytes(current)
            return .integer(Int64(current.count))
        }
    }

    // STRLEN key
    static func strlen(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.read(c[1]) { value throws(MemFluxError) in .integer(Int64(try bytes(value)?.count ?? 0)) }
    }

    // GETRANGE key start end
    static func getrange(_ c: CommandContext) throws(MemFluxError) -> Reply {
        var start = try c.int(2)
        var end = try c.int(3)
        return try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
            guard let s = try bytes(value) else { return .bulk(Bytes()) }
            let n = Int64(s.count)
            if start < 0 && end < 0 && start > end { return .bulk(Bytes()) }
            if start < 0 { start = max(0, n + start) }
            if end < 0 { end = max(0, n + end) }
            end = min(end, n - 1)
            if start > end || n == 0 { return .bulk(Bytes()) }
            return .bulk(s[Int(start)..<Int(end + 1)])
        }
    }

    // SETRANGE key offset value
    static func setrange(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let offset = try c.int(2)
        guard offset >= 0 else { throw MemFluxError(.err, "offset is out of range") }
        let patch = c[3]
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            let current = try slot.bytes()
            if patch.isEmpty { return .integer(Int64(current?.count ?? 0)) }
            // offset <= maxStringLength first: offset + count could overflow near Int64.max.
            guard offset <= maxStringLength, offset + Int64(patch.count) <= maxStringLength else { throw .stringTooLong }
            var result = current ?? Bytes()
            slot.value = nil
            result.mutate { storage in
                let end = Int(offset) + patch.count
                if storage.count < end { storage.append(contentsOf: repeatElement(0, count: end - storage.count)) }
                storage.replaceSubrange(Int(offset)..<end, with: patch.array)
            }
            slot.value = .bytes(result)
            return .integer(Int64(result.count))
        }
    }
}

/// SET's NX / XX.
enum ExistenceCondition { case always, ifAbsent, ifPresent }

/// An expiry argument: relative (EX/PX) or absolute (EXAT/PXAT), resolved to
/// absolute Unix milliseconds; or keep the current TTL; or none.
enum ExpiryOption {
    case none
    case keep
    case at(Int64)

    enum Unit { case relative(Int64), absolute(Int64) }

    static func unit(of word: Bytes) -> Unit? {
        if word.equalsIgnoringCase("ex") { return .relative(1000) }
        if word.equalsIgnoringCase("px") { return .relative(1) }
        if word.equalsIgnoringCase("exat") { return .absolute(1000) }
        if word.equalsIgnoringCase("pxat") { return .absolute(1) }
        return nil
    }

    /// Parses a positive time at `index`; Redis's errors for non-integers,
    /// non-positive values and overflow.
    static func parse(_ c: CommandContext, at index: Int, unit: Unit, command: String) throws(MemFluxError) -> ExpiryOption {
        let amount = try c.int(index)
        let invalid = MemFluxError(.err, "invalid expire time in '\(command)' command")
        guard amount > 0 else { throw invalid }
        switch unit {
        case .relative(let scale):
            let (ms, o1) = amount.multipliedReportingOverflow(by: scale)
            let (at, o2) = ms.addingReportingOverflow(WallClock.nowMilliseconds())
            if o1 || o2 { throw invalid }
            return .at(at)
        case .absolute(let scale):
            let (at, overflow) = amount.multipliedReportingOverflow(by: scale)
            if overflow { throw invalid }
            return .at(at)
        }
    }

    func absolute(current: Int64) -> Int64 {
        switch self {
        case .none: 0
        case .keep: current
        case .at(let t): t
        }
    }
}
