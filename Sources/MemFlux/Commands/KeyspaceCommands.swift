// Keyspace commands (Redis src/db.c): deleting, testing, typing, listing and
// renaming keys of any type.

import MemFluxCore
import MemFluxStorage

enum KeyspaceCommands {
    static let all: [Command] = [
        Command("del", arity: -2, flags: .write, keys: (1, -1, 1), del),
        Command("delete", arity: -2, flags: .write, keys: (1, -1, 1), del),
        Command("unlink", arity: -2, flags: .write, keys: (1, -1, 1), del),
        Command("exists", arity: -2, flags: .readOnly, keys: (1, -1, 1), exists),
        Command("type", arity: 2, flags: .readOnly, keys: (1, 1, 1), type),
        Command("keys", arity: 2, flags: [.readOnly, .mayRunLong], keys),
        Command("scan", arity: -2, flags: [.readOnly, .mayRunLong], scan),
        Command("rename", arity: 3, flags: .write, keys: (1, 2, 1)) { c throws(MemFluxError) in try rename(c, onlyIfAbsent: false) },
        Command("renamenx", arity: 3, flags: .write, keys: (1, 2, 1)) { c throws(MemFluxError) in try rename(c, onlyIfAbsent: true) },
    ]

    // DEL key [key ...]
    static func del(_ c: CommandContext) throws(MemFluxError) -> Reply {
        if c.count == 2 {
            return c.keyspace.modify(c[1]) { slot in
                guard slot.existed else { return .zero }
                slot.delete()
                return .one
            }
        }
        let keys = Array(c.args[1...])
        return c.keyspace.withKeys(keys) { locked in
            var removed: Int64 = 0
            for key in keys {
                locked.modify(key) { slot in
                    if slot.value != nil { slot.delete(); removed += 1 }
                }
            }
            return .integer(removed)
        }
    }

    // EXISTS key [key ...]
    static func exists(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let keys = Array(c.args[1...])
        return c.keyspace.withKeys(keys) { locked in
            .integer(Int64(keys.reduce(0) { n, key in n + (locked.read(key) { $0 != nil } ? 1 : 0) }))
        }
    }

    // TYPE key
    static func type(_ c: CommandContext) throws(MemFluxError) -> Reply {
        c.keyspace.read(c[1]) { value in .status(value?.typeName ?? "none") }
    }

    // KEYS pattern
    static func keys(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let pattern = GlobPattern(c[1])
        var found: [Bytes] = []
        // `table:*`-style patterns read the prefix directory instead of every key.
        let literal = pattern.literalPrefix
        if let prefix = KeyDirectory.prefix(of: literal) {
            // System keys stay hidden even from a pattern that names their prefix.
            if !prefix.isSystemKey {
                for key in c.keyspace.keys(withDirectoryPrefix: prefix) where pattern.matches(key) { found.append(key) }
            }
        } else {
            let everything = pattern.matchesEverything
            c.keyspace.forEach { key, _ in
                if everything || pattern.matches(key) { found.append(key) }
            }
        }
        return .bulkArray(found)
    }

    // SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
    static func scan(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard let cursor = UInt64(c[1].string) else { throw MemFluxError(.err, "invalid cursor") }
        var pattern: GlobPattern?
        var count = 10
        var typeFilter: Bytes?
        var i = 2
        while i < c.count {
            guard i + 1 < c.count else { throw .syntax }
            let word = c[i]
            if word.equalsIgnoringCase("match") {
                pattern = GlobPattern(c[i + 1])
            } else if word.equalsIgnoringCase("count") {
                let n = try c.int(i + 1)
                guard n >= 1 else { throw .syntax }
                count = Int(min(n, Int64(Int32.max)))
            } else if word.equalsIgnoringCase("type") {
                typeFilter = c[i + 1].lowercasedASCII()
            } else {
                throw .syntax
            }
            i += 2
        }
        let typeName = typeFilter?.string
        let step = c.keyspace.scan(cursor: cursor, count: count) { key, value in
            if let typeName, value.scanTypeName != typeName { return false }
            if let pattern, !pattern.matches(key) { return false }
            return true
        }
        return .array([.bulk(Bytes(String(step.next))), .bulkArray(step.keys)])
    }

    // RENAME key newkey / RENAMENX key newkey
    static func rename(_ c: CommandContext, onlyIfAbsent: Bool) throws(MemFluxError) -> Reply {
        let source = c[1], target = c[2]
        return try c.keyspace.withKeys([source, target]) { locked throws(MemFluxError) -> Reply in
            guard let value = locked.read(source, { v -> Value? in copy v }) else { throw .noSuchKey }
            let expireAt = locked.expireAt(source)
            if source == target { return onlyIfAbsent ? .zero : .ok }
            if onlyIfAbsent && locked.read(target, { $0 != nil }) { return .zero }
            locked.modify(source) { slot in slot.delete() }
            locked.modify(target) { slot in
                slot.store(value)
                slot.expireAt = expireAt
            }
            return onlyIfAbsent ? .one : .ok
        }
    }
}
