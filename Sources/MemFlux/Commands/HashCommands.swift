// Hash commands (Redis src/t_hash.c): field access, counters, random fields
// and HSCAN.
//
// A hash is a `TreeDictionary<Bytes, Bytes>` (a persistent hash trie) mutated
// in place through `KeySlot.withHash`, so HSET and HDEL cost O(log n) per
// field and never copy the hash, even under an open snapshot; the helper
// deletes a hash that ends up empty, as Redis does. Counters are stored as
// decimal text, as clients see them, and parsed on each HINCRBY. Every
// argument is parsed before a slot is opened, and counter errors are thrown
// before the field is written, so bad input changes nothing.
//
// HRANDFIELD and HSCAN share RandomCount / RandomSample and ScanArguments /
// ContainerScan with the set commands (SetCommands.swift).

import Collections
import MemFluxCore
import MemFluxStorage

enum HashCommands {
    static let all: [Command] = [
        Command("hset", arity: -4, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try hset(c, replyOK: false) },
        Command("hmset", arity: -4, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try hset(c, replyOK: true) },
        Command("hsetnx", arity: 4, flags: .write, keys: (1, 1, 1), hsetnx),
        Command("hget", arity: 3, flags: .readOnly, keys: (1, 1, 1), hget),
        Command("hmget", arity: -3, flags: .readOnly, keys: (1, 1, 1), hmget),
        Command("hdel", arity: -3, flags: .write, keys: (1, 1, 1), hdel),
        Command("hexists", arity: 3, flags: .readOnly, keys: (1, 1, 1), hexists),
        Command("hlen", arity: 2, flags: .readOnly, keys: (1, 1, 1), hlen),
        Command("hstrlen", arity: 3, flags: .readOnly, keys: (1, 1, 1), hstrlen),
        Command("hkeys", arity: 2, flags: .readOnly, keys: (1, 1, 1)) { c throws(MemFluxError) in try getAll(c, fields: true, values: false) },
        Command("hvals", arity: 2, flags: .readOnly, keys: (1, 1, 1)) { c throws(MemFluxError) in try getAll(c, fields: false, values: true) },
        Command("hgetall", arity: 2, flags: .readOnly, keys: (1, 1, 1)) { c throws(MemFluxError) in try getAll(c, fields: true, values: true) },
        Command("hincrby", arity: 4, flags: .write, keys: (1, 1, 1), hincrby),
        Command("hincrbyfloat", arity: 4, flags: .write, keys: (1, 1, 1), hincrbyfloat),
        Command("hrandfield", arity: -2, flags: .readOnly, keys: (1, 1, 1), hrandfield),
        Command("hscan", arity: -3, flags: .readOnly, keys: (1, 1, 1), hscan),
    ]

    static let notIntegerValue = MemFluxError(.err, "hash value is not an integer")
    static let notFloatValue = MemFluxError(.err, "hash value is not a float")

    /// The hash in `value`, nil when the key is absent; WRONGTYPE for any other type.
    /// The copy shares storage with the stored hash (a retain, not a copy of fields).
    @inline(__always)
    static func fields(_ value: borrowing Value?) throws(MemFluxError) -> TreeDictionary<Bytes, Bytes>? {
        switch value {
        case .hash(let h)?: return h
        case nil: return nil
        default: throw .wrongType
        }
    }

    // HSET key field value [field value ...] / HMSET key field value [field value ...]
    static func hset(_ c: CommandContext, replyOK: Bool) throws(MemFluxError) -> Reply {
        guard c.count % 2 == 0 else { throw .wrongArity(c.commandName) }
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            let created = try slot.withHash(create: true) { hash -> Int64 in
                var created: Int64 = 0
                for i in stride(from: 2, to: c.count, by: 2) where hash.updateValue(c[i + 1], forKey: c[i]) == nil {
                    created += 1
                }
                return created
            }
            slot.change = .hashSet(c.args[2...], stride: 2)
            return replyOK ? .ok : .integer(created ?? 0)
        }
    }

    // HSETNX key field value
    static func hsetnx(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let field = c[2], value = c[3]
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            let stored = try slot.withHash(create: true) { hash -> Bool in
                guard hash[field] == nil else { return false }
                hash[field] = value
                return true
            }
            slot.change = .hashSet(c.args[2...2], stride: 1)
            return stored == true ? .one : .zero
        }
    }

    // HGET key field
    static func hget(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.read(c[1]) { value throws(MemFluxError) in .optionalBulk(try fields(value)?[c[2]]) }
    }

    // HMGET key field [field ...]
    static func hmget(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
            let hash = try fields(value)
            return .array((2..<c.count).map { .optionalBulk(hash?[c[$0]]) })
        }
    }

    // HDEL key field [field ...]
    static func hdel(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            let removed = try slot.withHash { hash -> Int64 in
                var removed: Int64 = 0
                for i in 2..<c.count where hash.removeValue(forKey: c[i]) != nil { removed += 1 }
                return removed
            }
            slot.change = .hashRemoved(c.args[2...])
            return .integer(removed ?? 0)
        }
    }

    // HEXISTS key field
    static func hexists(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.read(c[1]) { value throws(MemFluxError) in try fields(value)?[c[2]] != nil ? .one : .zero }
    }

    // HLEN key
    static func hlen(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.read(c[1]) { value throws(MemFluxError) in .integer(Int64(try fields(value)?.count ?? 0)) }
    }

    // HSTRLEN key field
    static func hstrlen(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.read(c[1]) { value throws(MemFluxError) in .integer(Int64(try fields(value)?[c[2]]?.count ?? 0)) }
    }

    // HKEYS key / HVALS key / HGETALL key
    static func getAll(_ c: CommandContext, fields wantFields: Bool, values wantValues: Bool) throws(MemFluxError) -> Reply {
        try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
            let hash = try fields(value) ?? [:]
            guard wantFields && wantValues else {
                return wantFields ? .bulkArray(hash.keys) : .bulkArray(hash.values)
            }
            return .map(pairs(hash, withValues: true))
        }
    }

    /// Fields, each followed by its value when `withValues` (HGETALL's map,
    /// HRANDFIELD's and HSCAN's flat arrays).
    static func pairs<S: Sequence>(_ entries: S, withValues: Bool) -> [Reply] where S.Element == (key: Bytes, value: Bytes) {
        var items: [Reply] = []
        items.reserveCapacity(entries.underestimatedCount * (withValues ? 2 : 1))
        for (field, value) in entries {
            items.append(.bulk(field))
            if withValues { items.append(.bulk(value)) }
        }
        return items
    }

    // HINCRBY key field increment
    static func hincrby(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let increment = try c.int(3)
        let field = c[2]
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            let sum = try slot.withHash(create: true) { hash throws(MemFluxError) -> Int64 in
                let sum = try Counter.add(increment, to: hash[field], notInteger: notIntegerValue)
                hash[field] = Bytes(sum)
                return sum
            }
            slot.change = .hashSet(c.args[2...2], stride: 1)
            return .integer(sum ?? 0)
        }
    }

    // HINCRBYFLOAT key field increment
    static func hincrbyfloat(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let increment = try c.float(3)
        guard increment.isFinite else { throw MemFluxError(.err, "value is NaN or Infinity") }
        let field = c[2]
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            let text = try slot.withHash(create: true) { hash throws(MemFluxError) -> Bytes in
                let text = try Counter.add(increment, to: hash[field], notFloat: notFloatValue)
                hash[field] = text
                return text
            }
            slot.change = .hashSet(c.args[2...2], stride: 1)
            return .optionalBulk(text)
        }
    }

    // HRANDFIELD key [count [WITHVALUES]]
    static func hrandfield(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard c.count > 2 else {
            return try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
                guard let hash = try fields(value), let index = RandomSample.index(in: hash) else { return .null }
                return .bulk(hash[index].key)
            }
        }
        let draw = try RandomCount(c, at: 2)
        let withValues = c.count == 4 && c[3].equalsIgnoringCase("withvalues")
        guard c.count == 3 || withValues else { throw .syntax }
        // Each draw is two replies with values; Redis bounds the count so that cannot overflow.
        if withValues && draw.magnitude > UInt64(Int64.max / 2) { throw MemFluxError(.err, "value is out of range") }
        return try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
            guard let hash = try fields(value) else { return .emptyArray }
            // RESP2's flat form: Reply has no case that RESP3 renders as nested pairs, as Redis does there.
            return .array(pairs(try draw.sample(hash), withValues: withValues))
        }
    }

    // HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES]
    static func hscan(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let cursor = try ScanArguments.cursor(c[2])
        let arguments = Result { () throws(MemFluxError) in try ScanArguments(c, from: 3, allowNoValues: true) }
        return try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
            guard let hash = try fields(value) else { return ScanArguments.emptyReply }
            let options = try arguments.get()
            let step = ContainerScan.step(hash, cursor: cursor, count: options.count) { $0.key }
            let matching = step.elements.lazy.filter { options.matches($0.key) }
            return ScanArguments.reply(next: step.next, items: pairs(matching, withValues: !options.noValues))
        }
    }
}
