// Set commands (Redis src/t_set.c): membership, random draws, the algebra
// SINTER / SUNION / SDIFF with their STORE and CARD forms, SMOVE and SSCAN.
//
// A set is a `TreeSet<Bytes>` (a persistent hash trie) mutated in place
// through `KeySlot.withSet`, so SADD and SREM cost O(log n) per member and
// never copy the set, even under an open snapshot; the helper deletes a
// set that ends up empty, as Redis does. Commands that name several keys run
// inside `Keyspace.withKeys`, so SMOVE and the STORE forms are atomic for
// other commands and for snapshots.
//
// Every argument is parsed before a slot is opened, so bad input changes
// nothing. The end of the file holds what HashCommands shares: random
// sampling (SRANDMEMBER/HRANDFIELD counts) and the SSCAN/HSCAN cursor.

import Collections
import MemFluxCore
import MemFluxStorage

enum SetCommands {
    static let all: [Command] = [
        Command("sadd", arity: -3, flags: .write, keys: (1, 1, 1), sadd),
        Command("srem", arity: -3, flags: .write, keys: (1, 1, 1), srem),
        Command("smembers", arity: 2, flags: .readOnly, keys: (1, 1, 1), smembers),
        Command("scard", arity: 2, flags: .readOnly, keys: (1, 1, 1), scard),
        Command("sismember", arity: 3, flags: .readOnly, keys: (1, 1, 1), sismember),
        Command("smismember", arity: -3, flags: .readOnly, keys: (1, 1, 1), smismember),
        Command("spop", arity: -2, flags: .write, keys: (1, 1, 1), spop),
        Command("srandmember", arity: -2, flags: .readOnly, keys: (1, 1, 1), srandmember),
        Command("sinter", arity: -2, flags: .readOnly, keys: (1, -1, 1)) { c throws(MemFluxError) in try combine(c, .intersection) },
        Command("sunion", arity: -2, flags: .readOnly, keys: (1, -1, 1)) { c throws(MemFluxError) in try combine(c, .union) },
        Command("sdiff", arity: -2, flags: .readOnly, keys: (1, -1, 1)) { c throws(MemFluxError) in try combine(c, .difference) },
        Command("sinterstore", arity: -3, flags: .write, keys: (1, -1, 1)) { c throws(MemFluxError) in try combineAndStore(c, .intersection) },
        Command("sunionstore", arity: -3, flags: .write, keys: (1, -1, 1)) { c throws(MemFluxError) in try combineAndStore(c, .union) },
        Command("sdiffstore", arity: -3, flags: .write, keys: (1, -1, 1)) { c throws(MemFluxError) in try combineAndStore(c, .difference) },
        // Keys are found through numkeys (Redis: movablekeys), so no fixed range.
        Command("sintercard", arity: -3, flags: .readOnly, sintercard),
        Command("smove", arity: 4, flags: .write, keys: (1, 2, 1), smove),
        Command("sscan", arity: -3, flags: .readOnly, keys: (1, 1, 1), sscan),
    ]

    /// The set in `value`, nil when the key is absent; WRONGTYPE for any other type.
    /// The copy shares storage with the stored set (a retain, not a copy of members).
    @inline(__always)
    static func members(_ value: borrowing Value?) throws(MemFluxError) -> TreeSet<Bytes>? {
        switch value {
        case .set(let s)?: return s
        case nil: return nil
        default: throw .wrongType
        }
    }

    /// Whether `value` is a set (false when absent); WRONGTYPE for any other
    /// type. Takes no reference, so a following in-place write stays copy-free.
    @inline(__always)
    static func isSet(_ value: borrowing Value?) throws(MemFluxError) -> Bool {
        switch value {
        case .set?: return true
        case nil: return false
        default: throw .wrongType
        }
    }

    static func setReply<S: Sequence>(_ members: S) -> Reply where S.Element == Bytes {
        .set(members.map { .bulk($0) })
    }

    // SADD key member [member ...]
    static func sadd(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            let added = try slot.withSet(create: true) { set -> Int64 in
                var added: Int64 = 0
                for i in 2..<c.count where set.insert(c[i]).inserted { added += 1 }
                return added
            }
            slot.change = .setAdded(c.args[2...])
            return .integer(added ?? 0)
        }
    }

    // SREM key member [member ...]
    static func srem(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            let removed = try slot.withSet { set -> Int64 in
                var removed: Int64 = 0
                for i in 2..<c.count where set.remove(c[i]) != nil { removed += 1 }
                return removed
            }
            slot.change = .setRemoved(c.args[2...])
            return .integer(removed ?? 0)
        }
    }

    // SMEMBERS key
    static func smembers(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.read(c[1]) { value throws(MemFluxError) in setReply(try members(value) ?? []) }
    }

    // SCARD key
    static func scard(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.read(c[1]) { value throws(MemFluxError) in .integer(Int64(try members(value)?.count ?? 0)) }
    }

    // SISMEMBER key member
    static func sismember(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.read(c[1]) { value throws(MemFluxError) in try members(value)?.contains(c[2]) == true ? .one : .zero }
    }

    // SMISMEMBER key member [member ...]
    static func smismember(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
            let set = try members(value)
            return .array((2..<c.count).map { set?.contains(c[$0]) == true ? .one : .zero })
        }
    }

    // SPOP key [count]
    static func spop(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard c.count <= 3 else { throw .syntax }
        guard c.count == 3 else {
            return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
                let popped = try slot.withSet { set -> Bytes? in
                    guard let index = RandomSample.index(in: set) else { return nil }
                    return set.remove(at: index)
                }
                if let member = popped ?? nil { slot.change = .setRemoved([member][...]) }
                return .optionalBulk(popped ?? nil)
            }
        }
        let count = try c.int(2)
        guard count >= 0 else { throw .notPositive }
        if count == 0 {
            return try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
                _ = try isSet(value)
                return .set([])
            }
        }
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            var removed: [Bytes] = []
            let reply = try slot.withSet { set -> Reply in
                if count >= set.count {
                    // Hand the whole set over; the emptied slot deletes the key.
                    var all = TreeSet<Bytes>()
                    swap(&all, &set)
                    return setReply(all)
                }
                removed = RandomSample.distinct(set, count: Int(count))
                for member in removed { set.remove(member) }
                return setReply(removed)
            }
            if !removed.isEmpty { slot.change = .setRemoved(removed[...]) }
            return reply ?? .set([])
        }
    }

    // SRANDMEMBER key [count]
    static func srandmember(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard c.count <= 3 else { throw .syntax }
        guard c.count == 3 else {
            return try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
                guard let set = try members(value), let index = RandomSample.index(in: set) else { return .null }
                return .bulk(set[index])
            }
        }
        let draw = try RandomCount(c, at: 2)
        return try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
            guard let set = try members(value) else { return .emptyArray }
            return .bulkArray(try draw.sample(set))
        }
    }

    // MARK: Set algebra

    enum Operation { case intersection, union, difference }

    /// The sets at `keys` in order, nil for absent keys. Every key is type
    /// checked before any result is built, as Redis does (`SINTER nokey str` is WRONGTYPE).
    static func readSets(_ keys: [Bytes], _ locked: borrowing LockedKeys) throws(MemFluxError) -> [TreeSet<Bytes>?] {
        var sets: [TreeSet<Bytes>?] = []
        sets.reserveCapacity(keys.count)
        for key in keys {
            sets.append(try locked.read(key) { value throws(MemFluxError) in try members(value) })
        }
        return sets
    }

    /// For an intersection: the smallest set and the others, or nil when a
    /// set is absent (the result is empty). Walking the smallest set and
    /// probing the others costs O(smallest × keys).
    static func intersectionOperands(_ sets: [TreeSet<Bytes>?]) -> (smallest: TreeSet<Bytes>, others: [TreeSet<Bytes>])? {
        var present = sets.compactMap { $0 }
        guard present.count == sets.count, !present.isEmpty else { return nil }
        present.sort { $0.count < $1.count }
        let smallest = present.removeFirst()
        return (smallest, present)
    }

    static func evaluate(_ operation: Operation, _ sets: [TreeSet<Bytes>?]) -> TreeSet<Bytes> {
        switch operation {
        case .intersection:
            guard let (smallest, others) = intersectionOperands(sets) else { return [] }
            return smallest.filter { member in others.allSatisfy { $0.contains(member) } }
        case .union:
            let present = sets.compactMap { $0 }
            // Start from the largest set so the fewest members are inserted.
            guard let largest = present.indices.max(by: { present[$0].count < present[$1].count }) else { return [] }
            var result = present[largest]
            for (i, other) in present.enumerated() where i != largest { result.formUnion(other) }
            return result
        case .difference:
            guard let first = sets.first ?? nil else { return [] }
            var result = first
            for case let other? in sets.dropFirst() {
                if result.isEmpty { break }
                result.subtract(other)
            }
            return result
        }
    }

    // SINTER key [key ...] / SUNION key [key ...] / SDIFF key [key ...]
    static func combine(_ c: CommandContext, _ operation: Operation) throws(MemFluxError) -> Reply {
        let keys = Array(c.args[1...])
        return try c.keyspace.withKeys(keys) { locked throws(MemFluxError) -> Reply in
            setReply(evaluate(operation, try readSets(keys, locked)))
        }
    }

    // SINTERSTORE destination key [key ...] (and SUNIONSTORE, SDIFFSTORE)
    static func combineAndStore(_ c: CommandContext, _ operation: Operation) throws(MemFluxError) -> Reply {
        let destination = c[1]
        let keys = Array(c.args[2...])
        return try c.keyspace.withKeys(keys + [destination]) { locked throws(MemFluxError) -> Reply in
            let result = evaluate(operation, try readSets(keys, locked))
            // The destination is replaced whatever it held, and deleted when the result is empty.
            locked.modify(destination) { slot in
                if !result.isEmpty {
                    slot.store(.set(result))
                } else if slot.existed {
                    slot.delete()
                }
            }
            return .integer(Int64(result.count))
        }
    }

    // SINTERCARD numkeys key [key ...] [LIMIT limit]
    static func sintercard(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let numkeysError = MemFluxError(.err, "numkeys should be greater than 0")
        let numkeys = try c.int(1, error: numkeysError)
        guard numkeys > 0 else { throw numkeysError }
        guard numkeys <= Int64(c.count - 2) else {
            throw MemFluxError(.err, "Number of keys can't be greater than number of args")
        }
        let end = 2 + Int(numkeys)
        var limit: Int64 = 0
        var i = end
        while i < c.count {
            guard c[i].equalsIgnoringCase("limit"), i + 1 < c.count else { throw .syntax }
            let limitError = MemFluxError(.err, "LIMIT can't be negative")
            limit = try c.int(i + 1, error: limitError)
            guard limit >= 0 else { throw limitError }
            i += 2
        }
        let keys = Array(c.args[2..<end])
        return try c.keyspace.withKeys(keys) { locked throws(MemFluxError) -> Reply in
            guard let (smallest, others) = intersectionOperands(try readSets(keys, locked)) else { return .zero }
            var cardinality: Int64 = 0
            for member in smallest where others.allSatisfy({ $0.contains(member) }) {
                cardinality += 1
                if cardinality == limit { break }
            }
            return .integer(cardinality)
        }
    }

    // SMOVE source destination member
    static func smove(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let source = c[1], destination = c[2], member = c[3]
        return try c.keyspace.withKeys([source, destination]) { locked throws(MemFluxError) -> Reply in
            // Redis answers 0 for a missing source before looking at the destination.
            guard try locked.read(source, { value throws(MemFluxError) in try isSet(value) }) else { return .zero }
            _ = try locked.read(destination) { value throws(MemFluxError) in try isSet(value) }
            if source == destination {
                return try locked.read(source) { value throws(MemFluxError) in try members(value)?.contains(member) == true ? .one : .zero }
            }
            let removed = try locked.modify(source) { slot throws(MemFluxError) in
                defer { slot.change = .setRemoved(c.args[3...3]) }
                return try slot.withSet { set in set.remove(member) != nil } ?? false
            }
            guard removed else { return .zero }
            try locked.modify(destination) { slot throws(MemFluxError) in
                _ = try slot.withSet(create: true) { set in set.insert(member) }
                slot.change = .setAdded(c.args[3...3])
            }
            return .one
        }
    }

    // SSCAN key cursor [MATCH pattern] [COUNT count]
    static func sscan(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let cursor = try ScanArguments.cursor(c[2])
        let arguments = Result { () throws(MemFluxError) in try ScanArguments(c, from: 3, allowNoValues: false) }
        return try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
            guard let set = try members(value) else { return ScanArguments.emptyReply }
            let options = try arguments.get()
            let step = ContainerScan.step(set, cursor: cursor, count: options.count) { $0 }
            return ScanArguments.reply(next: step.next, items: step.elements.filter(options.matches).map { .bulk($0) })
        }
    }
}
