// List commands (Redis src/t_list.c). A list is a ListValue, a persistent
// B-tree of chunks: push and pop at both ends and indexing cost O(log n) with
// at most a few levels, also while a snapshot holds the old version. Pushes
// signal the key so clients parked in BLPOP/BRPOP/BLMOVE retry.

import Collections
import MemFluxCore
import MemFluxStorage

enum ListCommands {
    static let all: [Command] = [
        Command("lpush", arity: -3, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try push(c, end: .left, onlyIfExists: false) },
        Command("rpush", arity: -3, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try push(c, end: .right, onlyIfExists: false) },
        Command("lpushx", arity: -3, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try push(c, end: .left, onlyIfExists: true) },
        Command("rpushx", arity: -3, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try push(c, end: .right, onlyIfExists: true) },
        Command("lpop", arity: -2, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try pop(c, end: .left) },
        Command("rpop", arity: -2, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try pop(c, end: .right) },
        Command("llen", arity: 2, flags: .readOnly, keys: (1, 1, 1), llen),
        Command("lrange", arity: 4, flags: .readOnly, keys: (1, 1, 1), lrange),
        Command("lindex", arity: 3, flags: .readOnly, keys: (1, 1, 1), lindex),
        Command("lset", arity: 4, flags: .write, keys: (1, 1, 1), lset),
        Command("lrem", arity: 4, flags: .write, keys: (1, 1, 1), lrem),
        Command("ltrim", arity: 4, flags: .write, keys: (1, 1, 1), ltrim),
        Command("linsert", arity: 5, flags: .write, keys: (1, 1, 1), linsert),
        Command("lpos", arity: -3, flags: .readOnly, keys: (1, 1, 1), lpos),
        Command("lmove", arity: 5, flags: .write, keys: (1, 2, 1), lmove),
        Command("rpoplpush", arity: 3, flags: .write, keys: (1, 2, 1)) { c throws(MemFluxError) in
            try move(c, from: .right, to: .left) ?? .null
        },
        Command("blpop", arity: -3, flags: .write, keys: (1, -2, 1), blocking: blockingPop(end: .left)),
        Command("brpop", arity: -3, flags: .write, keys: (1, -2, 1), blocking: blockingPop(end: .right)),
        Command("blmove", arity: 6, flags: .write, keys: (1, 2, 1), blocking: blockingMove(fixed: nil)),
        Command("brpoplpush", arity: 4, flags: .write, keys: (1, 2, 1), blocking: blockingMove(fixed: (.right, .left))),
    ]

    enum End {
        case left, right

        static func parse(_ word: Bytes) throws(MemFluxError) -> End {
            if word.equalsIgnoringCase("left") { return .left }
            if word.equalsIgnoringCase("right") { return .right }
            throw .syntax
        }

        /// What the log records for `n` elements pushed at this end.
        func pushed(_ n: Int) -> ValueChange {
            self == .left
                ? .listEnds(removedLeft: 0, removedRight: 0, addedLeft: n, addedRight: 0)
                : .listEnds(removedLeft: 0, removedRight: 0, addedLeft: 0, addedRight: n)
        }

        /// What the log records for `n` elements popped from this end.
        func popped(_ n: Int) -> ValueChange {
            self == .left
                ? .listEnds(removedLeft: n, removedRight: 0, addedLeft: 0, addedRight: 0)
                : .listEnds(removedLeft: 0, removedRight: n, addedLeft: 0, addedRight: 0)
        }
    }

    // LPUSH key element [element ...] (and RPUSH, LPUSHX, RPUSHX)
    static func push(_ c: CommandContext, end: End, onlyIfExists: Bool) throws(MemFluxError) -> Reply {
        let length = try c.keyspace.modify(c[1]) { slot throws(MemFluxError) in
            let length = try slot.withList(create: !onlyIfExists) { list in
                for i in 2..<c.count {
                    if end == .left { list.prepend(c[i]) } else { list.append(c[i]) }
                }
                return list.count
            }
            slot.change = end.pushed(c.count - 2)
            return length
        }
        guard let length else { return .zero }
        c.signalReady(c[1])
        return .integer(Int64(length))
    }

    // LPOP key [count] / RPOP key [count]
    static func pop(_ c: CommandContext, end: End) throws(MemFluxError) -> Reply {
        guard c.count <= 3 else { throw .wrongArity(c.commandName) }
        let count: Int64? = c.count == 3 ? try c.int(2, error: .notPositive) : nil
        if let count, count < 0 { throw .notPositive }
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            var n = 1
            let reply = try slot.withList { list -> Reply in
                guard let count else { return .bulk(popOne(&list, end)) }
                n = Int(min(count, Int64(list.count)))
                var popped: [Reply] = []
                popped.reserveCapacity(n)
                for _ in 0..<n { popped.append(.bulk(popOne(&list, end))) }
                return .array(popped)
            }
            slot.change = end.popped(n)
            return reply ?? (count == nil ? .null : .nullArray)
        }
    }

    @inline(__always)
    static func popOne(_ list: inout ListValue, _ end: End) -> Bytes {
        end == .left ? list.removeFirst() : list.removeLast()
    }

    /// The list at `value`, nil if absent; WRONGTYPE otherwise.
    @inline(__always)
    static func list(_ value: borrowing Value?) throws(MemFluxError) -> ListValue? {
        switch value {
        case .list(let l)?: return l
        case nil: return nil
        default: throw .wrongType
        }
    }

    // LLEN key
    static func llen(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.read(c[1]) { value throws(MemFluxError) in .integer(Int64(try list(value)?.count ?? 0)) }
    }

    /// Clamps Redis start/stop indexes (negative from the end) to a range, nil when empty.
    static func clampedRange(start: Int64, stop: Int64, count: Int) -> Range<Int>? {
        let n = Int64(count)
        var start = start < 0 ? max(0, n + start) : start
        var stop = stop < 0 ? n + stop : stop
        if stop >= n { stop = n - 1 }
        if start > stop || start >= n { return nil }
        start = max(0, start)
        stop = max(0, stop)
        return Int(start)..<Int(stop + 1)
    }

    // LRANGE key start stop
    static func lrange(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let start = try c.int(2), stop = try c.int(3)
        return try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
            guard let l = try list(value), let range = clampedRange(start: start, stop: stop, count: l.count) else {
                return .emptyArray
            }
            return .array(l.elements(in: range).map { .bulk($0) })
        }
    }

    // LINDEX key index
    // Redis checks the key and its type before the index: a missing key is nil
    // even with a bad index.
    static func lindex(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
            guard let l = try list(value) else { return .null }
            guard let i = resolve(try c.int(2), count: l.count) else { return .null }
            return .bulk(l[i])
        }
    }

    /// A Redis index (negative from the end) as a position, nil when out of range.
    static func resolve(_ index: Int64, count: Int) -> Int? {
        let i = index < 0 ? Int64(count) + index : index
        return i >= 0 && i < Int64(count) ? Int(i) : nil
    }

    // LSET key index element
    // Key and type first, then the index, as in Redis (no such key / WRONGTYPE win).
    static func lset(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let element = c[3]
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            let found = try slot.withList { list throws(MemFluxError) -> Bool in
                guard let i = resolve(try c.int(2), count: list.count) else { throw .indexOutOfRange }
                list[i] = element
                return true
            }
            guard found != nil else { throw .noSuchKey }
            return .ok
        }
    }

    // LREM key count element
    static func lrem(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let count = try c.int(2)
        let element = c[3]
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            let removed = try slot.withList { list -> Int in
                let limit = count == 0 ? Int.max : Int(min(count.magnitude, UInt64(Int.max)))
                var kept = ListValue()
                var removed = 0
                if count >= 0 {
                    for e in list {
                        if removed < limit && e == element { removed += 1 } else { kept.append(e) }
                    }
                } else {
                    for e in list.reversed() {
                        if removed < limit && e == element { removed += 1 } else { kept.prepend(e) }
                    }
                }
                if removed > 0 { list = kept }
                return removed
            }
            return .integer(Int64(removed ?? 0))
        }
    }

    // LTRIM key start stop
    static func ltrim(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let start = try c.int(2), stop = try c.int(3)
        try c.keyspace.modify(c[1]) { slot throws(MemFluxError) in
            let removed = try slot.withList { list -> (left: Int, right: Int) in
                guard let range = clampedRange(start: start, stop: stop, count: list.count) else {
                    defer { list.removeAll() }
                    return (list.count, 0)
                }
                let right = list.count - range.upperBound
                list.removeLast(right)
                list.removeFirst(range.lowerBound)
                return (range.lowerBound, right)
            }
            if let removed {
                slot.change = .listEnds(removedLeft: removed.left, removedRight: removed.right, addedLeft: 0, addedRight: 0)
            }
        }
        return .ok
    }

    // LINSERT key <BEFORE | AFTER> pivot element
    static func linsert(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let after: Bool
        if c[2].equalsIgnoringCase("after") { after = true }
        else if c[2].equalsIgnoringCase("before") { after = false }
        else { throw .syntax }
        let pivot = c[3], element = c[4]
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            let length = try slot.withList { list -> Int in
                guard let i = list.firstIndex(of: pivot) else { return -1 }
                list.insert(element, at: after ? i + 1 : i)
                return list.count
            }
            return .integer(Int64(length ?? 0))
        }
    }

    // LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
    static func lpos(_ c: CommandContext) throws(MemFluxError) -> Reply {
        var rank: Int64 = 1
        var wanted: Int64? = nil
        var maxLength: Int64 = 0
        var i = 3
        while i < c.count {
            guard i + 1 < c.count else { throw .syntax }
            let word = c[i]
            if word.equalsIgnoringCase("rank") {
                rank = try c.int(i + 1)
                if rank == 0 {
                    throw MemFluxError(.err, "RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")
                }
            } else if word.equalsIgnoringCase("count") {
                // As in Redis: one error for a non-integer and a negative count.
                let negative = MemFluxError(.err, "COUNT can't be negative")
                let n = try c.int(i + 1, error: negative)
                guard n >= 0 else { throw negative }
                wanted = n
            } else if word.equalsIgnoringCase("maxlen") {
                let negative = MemFluxError(.err, "MAXLEN can't be negative")
                maxLength = try c.int(i + 1, error: negative)
                guard maxLength >= 0 else { throw negative }
            } else {
                throw .syntax
            }
            i += 2
        }
        // After every option, so their errors come first as in Redis (where -INT64_MIN is undefined).
        if rank == .min { throw MemFluxError(.err, "value is out of range") }
        let element = c[2]
        return try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
            guard let l = try list(value) else { return wanted == nil ? .null : .emptyArray }
            let limit = wanted.map { $0 == 0 ? Int.max : Int($0) } ?? 1
            let scanLimit = maxLength == 0 ? l.count : min(l.count, Int(maxLength))
            var matches: [Reply] = []
            var skip = Int(rank.magnitude) - 1
            for step in 0..<scanLimit where matches.count < limit {
                let position = rank > 0 ? step : l.count - 1 - step
                guard l[position] == element else { continue }
                if skip > 0 { skip -= 1; continue }
                matches.append(.integer(Int64(position)))
            }
            if wanted == nil { return matches.first ?? .null }
            return .array(matches)
        }
    }

    // LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT>
    static func lmove(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try move(c, from: try End.parse(c[3]), to: try End.parse(c[4])) ?? .null
    }

    /// Pops from c[1] and pushes to c[2] atomically; nil when the source is empty.
    static func move(_ c: CommandContext, from: End, to: End) throws(MemFluxError) -> Reply? {
        let source = c[1], destination = c[2]
        let moved = try c.keyspace.withKeys([source, destination]) { locked throws(MemFluxError) -> Bytes? in
            // Redis's order: source type, empty source (nil), then destination type
            // before popping, so a failure changes nothing.
            let sourceEmpty = try locked.read(source) { value throws(MemFluxError) in try list(value)?.isEmpty ?? true }
            if sourceEmpty { return nil }
            _ = try locked.read(destination) { value throws(MemFluxError) in try list(value) }
            guard let element = try locked.modify(source, { slot throws(MemFluxError) in
                defer { slot.change = from.popped(1) }
                return try slot.withList { list in popOne(&list, from) }
            }) else { return nil }
            _ = try locked.modify(destination) { slot throws(MemFluxError) in
                defer { slot.change = to.pushed(1) }
                return try slot.withList(create: true) { list in
                    if to == .left { list.prepend(element) } else { list.append(element) }
                }
            }
            return element
        }
        guard let moved else { return nil }
        c.signalReady(destination)
        return .bulk(moved)
    }

    // BLPOP key [key ...] timeout / BRPOP key [key ...] timeout
    static func blockingPop(end: End) -> BlockingHandler {
        BlockingHandler(
            parse: { c throws(MemFluxError) in (Array(c.args[1..<(c.count - 1)]), try c.timeout(c.count - 1)) },
            attempt: { c throws(MemFluxError) -> Reply? in
                for key in c.args[1..<(c.count - 1)] {
                    let element = try c.keyspace.modify(key) { slot throws(MemFluxError) in
                        defer { slot.change = end.popped(1) }
                        return try slot.withList { list in popOne(&list, end) }
                    }
                    if let element { return .array([.bulk(key), .bulk(element)]) }
                }
                return nil
            },
            timeoutReply: .nullArray)
    }

    // BLMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout / BRPOPLPUSH source destination timeout
    static func blockingMove(fixed: (End, End)?) -> BlockingHandler {
        BlockingHandler(
            parse: { c throws(MemFluxError) in
                if fixed == nil { _ = (try End.parse(c[3]), try End.parse(c[4])) }
                return ([c[1]], try c.timeout(c.count - 1))
            },
            attempt: { c throws(MemFluxError) -> Reply? in
                if let (from, to) = fixed { return try move(c, from: from, to: to) }
                return try move(c, from: try End.parse(c[3]), to: try End.parse(c[4]))
            },
            timeoutReply: .null)
    }
}
