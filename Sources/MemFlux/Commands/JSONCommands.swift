// JSON document commands. Two spellings address a value inside a document:
//
//   MemFlux dot form, one argument: `JSON.SET user:1.profile.age 31` — the
//   part before the first `.` is the key, the rest a path; missing objects on
//   the way are created. `JSON.GET user:1` alone reads the whole document.
//   RedisJSON form, key and path apart: `JSON.SET key $.a value`, `JSON.GET
//   key $.a .b`. A `$` path answers with an array of every match; a legacy
//   (dot) path answers with the single value.
//
// Documents are stored parsed (`Value.json`) and mutated in place; replies are
// compact JSON text. Invalid JSON is rejected before anything is stored.

import Collections
import MemFluxCore
import MemFluxSQL
import MemFluxStorage

enum JSONCommands {
    static let all: [Command] = [
        Command("json.set", arity: -3, flags: .write, keys: (1, 1, 1), set),
        Command("json.get", arity: -2, flags: .readOnly, keys: (1, 1, 1), get),
        Command("json.del", arity: -2, flags: .write, keys: (1, 1, 1), del),
        Command("json.forget", arity: -2, flags: .write, keys: (1, 1, 1), del),
        Command("json.type", arity: -2, flags: .readOnly, keys: (1, 1, 1), type),
        Command("json.numincrby", arity: 4, flags: .write, keys: (1, 1, 1), numincrby),
        Command("json.arrappend", arity: -4, flags: .write, keys: (1, 1, 1), arrappend),
        Command("json.arrlen", arity: -2, flags: .readOnly, keys: (1, 1, 1), arrlen),
        Command("json.objkeys", arity: -2, flags: .readOnly, keys: (1, 1, 1), objkeys),
        Command("json.mget", arity: -3, flags: .readOnly, keys: (1, -2, 1), mget),
    ]

    /// A key and a path: from `key.path` (dot form) when `pathIndex` is past
    /// the arguments, else from the separate argument (root when absent).
    struct Target {
        var key: Bytes
        var path: JSONPath
        var createMissing: Bool

        init(_ c: CommandContext, pathIndex: Int?) throws(MemFluxError) {
            if let pathIndex, pathIndex < c.count {
                key = c[1]
                path = try JSONPath.parse(c[pathIndex])
                createMissing = false
            } else if let dot = c[1].firstIndex(of: UInt8(ascii: ".")) {
                key = c[1][0..<dot]
                path = try JSONPath.parse(c[1][(dot + 1)..<c[1].count])
                createMissing = true
            } else {
                key = c[1]
                path = JSONPath(steps: [], isDollar: false)
                createMissing = true
            }
        }
    }

    static func document(_ value: borrowing Value?) throws(MemFluxError) -> JSONValue? {
        switch value {
        case .json(let j)?: return j
        case .row(let r)?: return RowEncoding.document(r)
        case nil: return nil
        default: throw .wrongType
        }
    }

    /// A JSON document or a typed table row (which JSON.GET reads as one).
    static func isDocument(_ value: borrowing Value?) -> Bool {
        switch value {
        case .json?, .row?: return true
        default: return false
        }
    }

    static func pathMissing(_ path: Bytes) -> MemFluxError {
        MemFluxError(.err, "Path '\(path.string)' does not exist")
    }

    // JSON.SET key.path value | JSON.SET key path value [NX | XX]
    static func set(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let target: Target
        let valueIndex: Int
        var condition = ExistenceCondition.always
        switch c.count {
        case 3:
            target = try Target(c, pathIndex: nil)
            valueIndex = 2
        case 4, 5:
            target = try Target(c, pathIndex: 2)
            valueIndex = 3
            if c.count == 5 {
                if c[4].equalsIgnoringCase("nx") { condition = .ifAbsent }
                else if c[4].equalsIgnoringCase("xx") { condition = .ifPresent }
                else { throw .syntax }
            }
        default:
            throw .syntax
        }
        let newValue = try JSONValue.parse(c[valueIndex])
        return try c.keyspace.modify(target.key) { slot throws(MemFluxError) -> Reply in
            guard slot.existed else {
                if condition == .ifPresent { return .null }
                if target.path.isRoot {
                    slot.store(.json(newValue))
                    return .ok
                }
                guard target.createMissing else {
                    throw MemFluxError(.err, "new objects must be created at the root")
                }
                var document = JSONValue.object([:])
                _ = try document.set(newValue, at: target.path, createMissing: true)
                slot.store(.json(document))
                return .ok
            }
            if target.path.isRoot {
                // A whole new document also replaces a typed row (its table reads it back through the schema).
                guard isDocument(slot.value) else { throw .wrongType }
                if condition == .ifAbsent { return .null }
                slot.store(.json(newValue), keepTTL: true)
                return .ok
            }
            let outcome = try slot.withJSON { document throws(MemFluxError) -> Reply in
                let exists = !document.values(at: target.path).isEmpty
                if condition == .ifAbsent && exists || condition == .ifPresent && !exists { return .null }
                let written = try document.set(newValue, at: target.path, createMissing: target.createMissing)
                return written > 0 ? .ok : .null
            }
            return outcome!
        }
    }

    // JSON.GET key.path | JSON.GET key [path ...]
    static func get(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let paths: [(text: Bytes, path: JSONPath)]
        let key: Bytes
        if c.count == 2 {
            let target = try Target(c, pathIndex: nil)
            key = target.key
            paths = [(Bytes(target.path.description), target.path)]
        } else {
            key = c[1]
            var parsed: [(Bytes, JSONPath)] = []
            for i in 2..<c.count { parsed.append((c[i], try JSONPath.parse(c[i]))) }
            paths = parsed
        }
        return try c.keyspace.read(key) { value throws(MemFluxError) -> Reply in
            // A whole typed row renders exactly (NUMERIC keeps its scale), as SQL replies show it.
            if case .row(let row)? = value, paths.count == 1, paths[0].path.isRoot, !paths[0].path.isDollar {
                return .bulk(RowEncoding.json(row))
            }
            guard let doc = try document(value) else { return .null }
            if paths.count == 1 {
                let (text, path) = paths[0]
                let matches = doc.values(at: path)
                if path.isDollar { return .bulk(JSONValue.array(matches).serialized) }
                guard let first = matches.first else {
                    if c.count == 2 { return .null }
                    throw pathMissing(text)
                }
                return .bulk(first.serialized)
            }
            var object = OrderedDictionary<String, JSONValue>()
            for (text, path) in paths {
                let matches = doc.values(at: path)
                if path.isDollar {
                    object[text.string] = .array(matches)
                } else {
                    guard let first = matches.first else { throw pathMissing(text) }
                    object[text.string] = first
                }
            }
            return .bulk(JSONValue.object(object).serialized)
        }
    }

    // JSON.DEL key.path | JSON.DEL key [path]
    static func del(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard c.count <= 3 else { throw .wrongArity(c.commandName) }
        let target = try Target(c, pathIndex: 2)
        return try c.keyspace.modify(target.key) { slot throws(MemFluxError) -> Reply in
            guard slot.existed else { return .zero }
            if target.path.isRoot {
                guard isDocument(slot.value) else { throw .wrongType }
                slot.delete()
                return .one
            }
            guard case .json? = slot.value else { throw .wrongType }
            return .integer(Int64(try slot.withJSON { document in document.delete(at: target.path) }!))
        }
    }

    // JSON.TYPE key [path]
    static func type(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard c.count <= 3 else { throw .wrongArity(c.commandName) }
        let target = try Target(c, pathIndex: 2)
        return try c.keyspace.read(target.key) { value throws(MemFluxError) -> Reply in
            guard let doc = try document(value) else { return .null }
            let matches = doc.values(at: target.path)
            if target.path.isDollar { return .array(matches.map { .bulk(Bytes($0.typeName)) }) }
            guard let first = matches.first else { return .null }
            return .status(first.typeName)
        }
    }

    // JSON.NUMINCRBY key path value
    static func numincrby(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let path = try JSONPath.parse(c[2])
        let increment = try JSONValue.parse(c[3])
        switch increment {
        case .int, .double: break
        default: throw MemFluxError(.err, "expected value at line 1 column 1")
        }
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            guard slot.existed else { throw .noSuchKey }
            guard case .json(let snapshot) = slot.value! else { throw .wrongType }
            // Check every match before changing any, so an error changes nothing.
            let matches = snapshot.values(at: path)
            if !path.isDollar {
                guard let first = matches.first else { throw pathMissing(c[2]) }
                guard first.isNumber else { throw MemFluxError(.err, "Path '\(c[2].string)' does not contain a number") }
            }
            for m in matches where m.isNumber {
                if !(m + increment).isFiniteNumber { throw MemFluxError(.err, "result is not a finite number") }
            }
            let results = try slot.withJSON { document throws(MemFluxError) in
                try document.update(at: path) { value -> JSONValue in
                    guard value.isNumber else { return .null }
                    value = value + increment
                    return value
                }
            }!
            if path.isDollar { return .bulk(JSONValue.array(results).serialized) }
            return .bulk(results[0].serialized)
        }
    }

    // JSON.ARRAPPEND key path value [value ...]
    static func arrappend(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let path = try JSONPath.parse(c[2])
        var values: [JSONValue] = []
        for i in 3..<c.count { values.append(try JSONValue.parse(c[i])) }
        return try c.keyspace.modify(c[1]) { slot throws(MemFluxError) -> Reply in
            guard slot.existed else { throw .noSuchKey }
            guard case .json(let snapshot) = slot.value! else { throw .wrongType }
            if !path.isDollar {
                guard let first = snapshot.values(at: path).first else { throw pathMissing(c[2]) }
                guard case .array = first else { throw notArray(c[2]) }
            }
            let lengths = try slot.withJSON { document throws(MemFluxError) in
                try document.update(at: path) { value -> Reply in
                    guard case .array(var items) = value else { return .null }
                    value = .null
                    items.append(contentsOf: values)
                    value = .array(items)
                    return .integer(Int64(items.count))
                }
            }!
            return path.isDollar ? .array(lengths) : lengths[0]
        }
    }

    static func notArray(_ path: Bytes) -> MemFluxError {
        MemFluxError(.err, "Path '\(path.string)' does not contain an array")
    }

    // JSON.ARRLEN key [path]
    static func arrlen(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard c.count <= 3 else { throw .wrongArity(c.commandName) }
        let text = c.count == 3 ? c[2] : Bytes(".")
        let path = try JSONPath.parse(text)
        return try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
            guard let doc = try document(value) else {
                if path.isDollar { throw .noSuchKey }
                return .null
            }
            let lengths = doc.values(at: path).map { v -> Reply in
                if case .array(let items) = v { return .integer(Int64(items.count)) }
                return .null
            }
            if path.isDollar { return .array(lengths) }
            guard let first = lengths.first else { throw pathMissing(text) }
            guard first != .null else { throw notArray(text) }
            return first
        }
    }

    // JSON.OBJKEYS key [path]
    static func objkeys(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard c.count <= 3 else { throw .wrongArity(c.commandName) }
        let text = c.count == 3 ? c[2] : Bytes(".")
        let path = try JSONPath.parse(text)
        return try c.keyspace.read(c[1]) { value throws(MemFluxError) -> Reply in
            guard let doc = try document(value) else { return .null }
            let keyLists = doc.values(at: path).map { v -> Reply in
                if case .object(let fields) = v { return .array(fields.keys.map { .bulk(Bytes($0)) }) }
                return .null
            }
            if path.isDollar { return .array(keyLists) }
            guard let first = keyLists.first else { throw pathMissing(text) }
            guard first != .null else { throw MemFluxError(.err, "Path '\(text.string)' does not contain an object") }
            return first
        }
    }

    // JSON.MGET key [key ...] path
    static func mget(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let path = try JSONPath.parse(c[c.count - 1])
        let keys = Array(c.args[1..<(c.count - 1)])
        return c.keyspace.withKeys(keys) { locked -> Reply in
            .array(keys.map { key in
                locked.read(key) { value -> Reply in
                    guard case .json(let doc)? = value else { return .null }
                    let matches = doc.values(at: path)
                    if path.isDollar { return .bulk(JSONValue.array(matches).serialized) }
                    return matches.first.map { .bulk($0.serialized) } ?? .null
                }
            })
        }
    }
}

extension JSONValue {
    var isNumber: Bool {
        switch self {
        case .int, .double: true
        default: false
        }
    }

    var isFiniteNumber: Bool {
        switch self {
        case .int: true
        case .double(let d): d.isFinite
        default: false
        }
    }

    /// Numeric sum: integers stay integers unless they overflow.
    static func + (lhs: JSONValue, rhs: JSONValue) -> JSONValue {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)):
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? .double(Double(a) + Double(b)) : .int(sum)
        case (.int(let a), .double(let b)): return .double(Double(a) + b)
        case (.double(let a), .int(let b)): return .double(a + Double(b))
        case (.double(let a), .double(let b)): return .double(a + b)
        default: return lhs
        }
    }
}
