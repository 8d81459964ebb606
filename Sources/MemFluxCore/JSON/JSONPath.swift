// JSONPath: the paths JSON commands and SQL nested columns address values by.
//
// Two spellings reach one representation, a list of steps:
//   MemFlux / legacy RedisJSON dot paths: `.` or empty (root), `a.b`, `.a.b`,
//     `a[0].b`, `a[-1]`, `["key with.dot"]`;
//   RedisJSON JSONPath: `$`, `$.a.b`, `$.a[0]`, `$["k"]`, `$.a[*]`, `$.*`, `$..a`.
// `isDollar` remembers the spelling because RedisJSON replies differ: a `$`
// path answers with an array of every match.
//
// Reads walk the tree. Writes mutate in place: each level moves its container
// out of the enum (`withObject`/`withArray`), recurses into the one child on
// the path through `_modify` accessors, and puts it back, so a write into a
// uniquely referenced document costs O(depth), not O(size). A definite write
// is checked read-only first, so a path through a number throws before
// anything (such as a created intermediate object) has changed. Wildcard and
// recursive-descent writes first list the concrete locations of the matches,
// then apply them last to first: deeper matches before the values holding
// them, and higher array indexes before lower ones, so no location moves
// under a later write.

import Collections

/// A parsed path.
///
///     let path = try JSONPath.parse("user.tags[-1]")   // key user, key tags, last element
///     path.isDollar      // false
///     try JSONPath.parse("$..name").isDefinite   // false
public struct JSONPath: Sendable, Hashable {
    public enum Step: Sendable, Hashable {
        /// An object field.
        case key(String)
        /// An array element; negative counts from the end (-1 is the last).
        case index(Int)
        /// Every field value or element (`*`).
        case wildcard
        /// The current value and every value below it, preorder (`..`); always followed by another step.
        case descendants
    }

    public var steps: [Step]
    /// Spelled with a leading `$`: replies are arrays of all matches.
    public var isDollar: Bool

    public init(steps: [Step], isDollar: Bool) {
        self.steps = steps
        self.isDollar = isDollar
    }

    /// The whole document.
    public var isRoot: Bool { steps.isEmpty }

    /// No wildcard or recursive descent: matches at most one value.
    public var isDefinite: Bool {
        !steps.contains { step in
            switch step {
            case .wildcard, .descendants: true
            case .key, .index: false
            }
        }
    }
}

// MARK: - Parsing

extension JSONPath {
    /// Parses either spelling; throws ERR on bad syntax (filters, slices and unions are not supported).
    ///
    ///     try JSONPath.parse("a[0].b")          // [.key("a"), .index(0), .key("b")]
    ///     try JSONPath.parse("$..price")        // isDollar, [.descendants, .key("price")]
    ///     try JSONPath.parse(#"$["a.b"]"#)      // [.key("a.b")]
    ///
    /// - Complexity: O(n) in the length of the text.
    public static func parse(_ text: Bytes) throws(MemFluxError) -> JSONPath {
        try text.withUnsafeBytes { raw in
            Result { () throws(MemFluxError) in
                var parser = JSONPathParser(bytes: raw)
                return try parser.parsePath()
            }
        }.get()
    }

    public static func parse(_ text: String) throws(MemFluxError) -> JSONPath {
        try parse(Bytes(text))
    }
}

struct JSONPathParser {
    let bytes: UnsafeRawBufferPointer
    var pos = 0
    var steps: [JSONPath.Step] = []

    static func fail(_ what: String, at offset: Int) -> MemFluxError {
        MemFluxError(.err, "invalid JSON path: \(what) at offset \(offset)", position: offset)
    }

    mutating func parsePath() throws(MemFluxError) -> JSONPath {
        let count = bytes.count
        var isDollar = false
        if count > 0 && bytes[0] == UInt8(ascii: "$") {
            isDollar = true
            pos = 1
        } else if count == 1 && bytes[0] == UInt8(ascii: ".") {
            return JSONPath(steps: [], isDollar: false)
        } else if count > 0 && bytes[0] != UInt8(ascii: ".") && bytes[0] != UInt8(ascii: "[") {
            try parseAfterDot()  // dot paths may start with a bare name: `a.b`
        }
        while pos < count {
            switch bytes[pos] {
            case UInt8(ascii: "."):
                pos += 1
                if pos < count && bytes[pos] == UInt8(ascii: ".") {
                    pos += 1
                    steps.append(.descendants)
                    if pos < count && bytes[pos] == UInt8(ascii: "[") {
                        try parseBracket()
                        continue
                    }
                }
                try parseAfterDot()
            case UInt8(ascii: "["):
                try parseBracket()
            default:
                throw Self.fail("expected '.' or '['", at: pos)
            }
        }
        // Bounds document depth: a value (at most 512 deep) set at a path (at most 512 steps)
        // keeps every recursive walk over the document well inside a thread's stack.
        if steps.count > JSONParser.maxDepth {
            throw Self.fail("path deeper than \(JSONParser.maxDepth) levels", at: 0)
        }
        return JSONPath(steps: steps, isDollar: isDollar)
    }

    /// `*` or a field name running to the next `.` or `[`.
    mutating func parseAfterDot() throws(MemFluxError) {
        let start = pos
        while pos < bytes.count && bytes[pos] != UInt8(ascii: ".") && bytes[pos] != UInt8(ascii: "[") { pos += 1 }
        guard pos > start else { throw Self.fail("expected a field name", at: start) }
        if pos == start + 1 && bytes[start] == UInt8(ascii: "*") {
            steps.append(.wildcard)
        } else {
            steps.append(.key(try string(start..<pos)))
        }
    }

    /// `[*]`, `[3]`, `[-1]`, `["key"]` (JSON string escapes) or `['key']`.
    mutating func parseBracket() throws(MemFluxError) {
        pos += 1
        skipSpaces()
        guard pos < bytes.count else { throw Self.fail("unexpected end of path", at: pos) }
        switch bytes[pos] {
        case UInt8(ascii: "*"):
            pos += 1
            steps.append(.wildcard)
        case UInt8(ascii: "\""):
            var json = JSONParser(bytes)
            json.pos = pos
            do throws(MemFluxError) {
                steps.append(.key(try json.parseString()))
            } catch {
                throw Self.fail("bad quoted field name", at: error.position ?? pos)
            }
            pos = json.pos
        case UInt8(ascii: "'"):
            steps.append(.key(try singleQuoted()))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            steps.append(.index(try integer()))
        default:
            throw Self.fail("expected an index, '*' or a quoted field name", at: pos)
        }
        skipSpaces()
        guard pos < bytes.count, bytes[pos] == UInt8(ascii: "]") else {
            throw Self.fail("expected ']' (filters, slices and unions are not supported)", at: pos)
        }
        pos += 1
    }

    mutating func skipSpaces() {
        while pos < bytes.count && bytes[pos] == UInt8(ascii: " ") { pos += 1 }
    }

    mutating func integer() throws(MemFluxError) -> Int {
        let start = pos
        let negative = bytes[pos] == UInt8(ascii: "-")
        if negative { pos += 1 }
        var value = 0
        var digits = 0
        while pos < bytes.count, case let digit = bytes[pos] &- UInt8(ascii: "0"), digit < 10 {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(Int(digit))  // negative side holds Int.min
            guard !o1 && !o2 else { throw Self.fail("index out of range", at: start) }
            value = next
            digits += 1
            pos += 1
        }
        guard digits > 0 else { throw Self.fail("expected an index", at: pos) }
        if negative { return value }
        guard value != Int.min else { throw Self.fail("index out of range", at: start) }
        return -value
    }

    /// `'...'` with `\'` and `\\` escapes.
    mutating func singleQuoted() throws(MemFluxError) -> String {
        let start = pos
        pos += 1
        var text = ContiguousArray<UInt8>()
        while true {
            guard pos < bytes.count else { throw Self.fail("unterminated quoted field name", at: start) }
            var c = bytes[pos]
            if c == UInt8(ascii: "'") { break }
            if c == UInt8(ascii: "\\") {
                pos += 1
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "'") || bytes[pos] == UInt8(ascii: "\\") else {
                    throw Self.fail("invalid escape", at: pos - 1)
                }
                c = bytes[pos]
            }
            text.append(c)
            pos += 1
        }
        pos += 1
        let invalid = text.withUnsafeBytes { JSONUTF8.firstInvalidOffset($0) }
        if let invalid { throw Self.fail("invalid UTF-8", at: start + 1 + invalid) }
        return String(decoding: text, as: UTF8.self)
    }

    func string(_ range: Range<Int>) throws(MemFluxError) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        if let invalid = JSONUTF8.firstInvalidOffset(raw) { throw Self.fail("invalid UTF-8", at: range.lowerBound + invalid) }
        return String(decoding: raw, as: UTF8.self)
    }
}

extension JSONPath: CustomStringConvertible {
    /// The path in its own spelling, parseable back to an equal path: `$.a[0]`, `.a["b.c"]`, `$..x`.
    public var description: String {
        if steps.isEmpty { return isDollar ? "$" : "." }
        var out = ContiguousArray<UInt8>()
        if isDollar { out.append(UInt8(ascii: "$")) }
        var afterDescendants = false
        for step in steps {
            switch step {
            case .key(let key):
                if Self.isPlainName(key) {
                    if !afterDescendants { out.append(UInt8(ascii: ".")) }
                    out.append(contentsOf: key.utf8)
                } else {
                    out.append(UInt8(ascii: "["))
                    JSONPrinter.appendString(key, to: &out)
                    out.append(UInt8(ascii: "]"))
                }
            case .index(let index):
                out.append(UInt8(ascii: "["))
                JSONPrinter.appendInteger(Int64(index), to: &out)
                out.append(UInt8(ascii: "]"))
            case .wildcard:
                if !afterDescendants { out.append(UInt8(ascii: ".")) }
                out.append(UInt8(ascii: "*"))
            case .descendants:
                out.append(contentsOf: "..".utf8)
            }
            afterDescendants = step == .descendants
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A name that needs no brackets: not `*`, no path punctuation, quotes or controls.
    static func isPlainName(_ key: String) -> Bool {
        !key.isEmpty && key != "*" && key.utf8.allSatisfy { c in
            c > 0x20 && c != UInt8(ascii: ".") && c != UInt8(ascii: "[") && c != UInt8(ascii: "]")
                && c != UInt8(ascii: "\"") && c != UInt8(ascii: "'") && c != UInt8(ascii: "\\")
        }
    }
}

// MARK: - Reading

extension JSONValue {
    /// All values `path` matches, in document order (definite paths give 0 or 1).
    ///
    ///     // {"a":[{"n":1},{"n":2}]}
    ///     doc.values(at: try JSONPath.parse("$.a[*].n"))   // [.int(1), .int(2)]
    ///
    /// - Complexity: O(depth) for a definite path; O(size) at most otherwise.
    public func values(at path: JSONPath) -> [JSONValue] {
        if path.isDefinite {
            guard let value = value(at: path) else { return [] }
            return [value]
        }
        var out: [JSONValue] = []
        collect(path.steps, from: 0, into: &out)
        return out
    }

    /// The first value `path` matches, if any.
    ///
    /// - Complexity: O(depth) for a definite path.
    public func value(at path: JSONPath) -> JSONValue? {
        guard path.isDefinite else { return values(at: path).first }
        var node = self
        for step in path.steps {
            switch (step, node) {
            case (.key(let key), .object(let fields)):
                guard let child = fields[key] else { return nil }
                node = child
            case (.index(let index), .array(let items)):
                guard let position = JSONPath.resolve(index, count: items.count) else { return nil }
                node = items[position]
            default:
                return nil
            }
        }
        return node
    }

    func collect(_ steps: [JSONPath.Step], from i: Int, into out: inout [JSONValue]) {
        guard i < steps.count else {
            out.append(self)
            return
        }
        switch (steps[i], self) {
        case (.key(let key), .object(let fields)):
            fields[key]?.collect(steps, from: i + 1, into: &out)
        case (.index(let index), .array(let items)):
            if let position = JSONPath.resolve(index, count: items.count) {
                items[position].collect(steps, from: i + 1, into: &out)
            }
        case (.wildcard, .object(let fields)):
            for child in fields.values { child.collect(steps, from: i + 1, into: &out) }
        case (.wildcard, .array(let items)):
            for child in items { child.collect(steps, from: i + 1, into: &out) }
        case (.descendants, _):
            collect(steps, from: i + 1, into: &out)
            switch self {
            case .object(let fields):
                for child in fields.values { child.collect(steps, from: i, into: &out) }
            case .array(let items):
                for child in items { child.collect(steps, from: i, into: &out) }
            default:
                break
            }
        default:
            break
        }
    }

    /// The concrete location (only `.key` and non-negative `.index` steps) of every match, in match order.
    func locations(of path: JSONPath) -> [[JSONPath.Step]] {
        var trail: [JSONPath.Step] = []
        var out: [[JSONPath.Step]] = []
        locate(path.steps, from: 0, trail: &trail, into: &out)
        // Two `..` steps can reach one value twice; a write must touch it once.
        if path.steps.lazy.filter({ $0 == .descendants }).count > 1 {
            var seen = Set<[JSONPath.Step]>()
            out = out.filter { seen.insert($0).inserted }
        }
        return out
    }

    func locate(
        _ steps: [JSONPath.Step], from i: Int, trail: inout [JSONPath.Step], into out: inout [[JSONPath.Step]]
    ) {
        guard i < steps.count else {
            out.append(trail)
            return
        }
        func visit(_ child: JSONValue, _ step: JSONPath.Step, next: Int) {
            trail.append(step)
            child.locate(steps, from: next, trail: &trail, into: &out)
            trail.removeLast()
        }
        switch (steps[i], self) {
        case (.key(let key), .object(let fields)):
            if let child = fields[key] { visit(child, .key(key), next: i + 1) }
        case (.index(let index), .array(let items)):
            if let position = JSONPath.resolve(index, count: items.count) {
                visit(items[position], .index(position), next: i + 1)
            }
        case (.wildcard, .object(let fields)):
            for (key, child) in fields { visit(child, .key(key), next: i + 1) }
        case (.wildcard, .array(let items)):
            for (position, child) in items.enumerated() { visit(child, .index(position), next: i + 1) }
        case (.descendants, _):
            locate(steps, from: i + 1, trail: &trail, into: &out)
            switch self {
            case .object(let fields):
                for (key, child) in fields { visit(child, .key(key), next: i) }
            case .array(let items):
                for (position, child) in items.enumerated() { visit(child, .index(position), next: i) }
            default:
                break
            }
        default:
            break
        }
    }
}

// MARK: - Writing

extension JSONValue {
    /// Sets the value at `path`; returns how many values were set (0: nothing matched or the parent is missing).
    ///
    /// Definite path: with `createMissing`, missing intermediate object fields are created as
    /// empty objects (`user.profile.age` creates `profile`); the last field is created or replaced;
    /// an array index must exist (negative counts from the end). Wildcard path: every existing
    /// match is replaced, nothing is created.
    ///
    ///     // {"a":{}}
    ///     try doc.set(.int(31), at: try JSONPath.parse("a.b.c"), createMissing: true)   // 1: {"a":{"b":{"c":31}}}
    ///
    /// - Throws: ERR when a step goes through a value of the wrong type (`a.b` where `a` is a
    ///   number, a field of an array, an index of an object); `self` is then unchanged.
    /// - Complexity: O(depth) on a uniquely referenced document for a definite path.
    public mutating func set(_ value: JSONValue, at path: JSONPath, createMissing: Bool) throws(MemFluxError) -> Int {
        if path.isDefinite {
            guard try canSet(path, createMissing: createMissing) else { return 0 }
            assign(value, path.steps, from: 0)
            return 1
        }
        let found = locations(of: path)
        for location in found.reversed() { assign(value, location, from: 0) }
        return found.count
    }

    /// Deletes every value `path` matches; returns how many were deleted. The root is not
    /// deleted here (that is deleting the key: the caller's job) and gives 0.
    ///
    /// - Complexity: O(depth) plus the removal from the parent, for a definite path.
    public mutating func delete(at path: JSONPath) -> Int {
        if path.isRoot { return 0 }
        if path.isDefinite { return remove(path.steps, from: 0) ? 1 : 0 }
        var deleted = 0
        for location in locations(of: path).reversed() where remove(location, from: 0) { deleted += 1 }
        return deleted
    }

    /// Applies `body` to every value `path` matches, in place; returns `body`'s results in match order.
    /// Used by JSON.NUMINCRBY, JSON.ARRAPPEND and friends.
    ///
    ///     try doc.update(at: path) { value throws(MemFluxError) in value = .int(1); return 1 }
    ///
    /// If `body` throws, matches it already changed stay changed: check before changing.
    /// - Complexity: O(depth) plus `body` for a definite path.
    public mutating func update<R>(
        at path: JSONPath, _ body: (inout JSONValue) throws(MemFluxError) -> R
    ) throws(MemFluxError) -> [R] {
        if path.isDefinite {
            guard let result = try modify(path.steps, from: 0, body) else { return [] }
            return [result]
        }
        var results: [R] = []
        for location in locations(of: path).reversed() {
            if let result = try modify(location, from: 0, body) { results.append(result) }
        }
        results.reverse()
        return results
    }

    /// Read-only walk of a definite path: true if `assign` would write, false if the parent
    /// is missing (and may not be created) or an index is out of range; throws on a wrong type.
    func canSet(_ path: JSONPath, createMissing: Bool) throws(MemFluxError) -> Bool {
        let steps = path.steps
        var node = self
        for i in steps.indices {
            switch steps[i] {
            case .key(let key):
                guard case .object(let fields) = node else {
                    throw JSONPath.wrongType(node, expected: "an object", at: steps[..<i], in: path)
                }
                guard let child = fields[key] else {
                    if i == steps.count - 1 { return true }
                    // Only object fields can be created, so every remaining step must be one.
                    return createMissing && steps[(i + 1)...].allSatisfy { if case .key = $0 { true } else { false } }
                }
                node = child
            case .index(let index):
                guard case .array(let items) = node else {
                    throw JSONPath.wrongType(node, expected: "an array", at: steps[..<i], in: path)
                }
                guard let position = JSONPath.resolve(index, count: items.count) else { return false }
                node = items[position]
            case .wildcard, .descendants:
                preconditionFailure("canSet needs a definite path")
            }
        }
        return true
    }

    /// Writes `value` at a definite location that `canSet` approved, creating empty objects on the way.
    mutating func assign(_ value: JSONValue, _ steps: [JSONPath.Step], from i: Int) {
        guard i < steps.count else {
            self = value
            return
        }
        switch steps[i] {
        case .key(let key):
            withObject { fields in
                if i == steps.count - 1 {
                    fields[key] = value
                } else {
                    fields[key, default: .object([:])].assign(value, steps, from: i + 1)
                }
            }
        case .index(let index):
            withArray { items in
                guard let position = JSONPath.resolve(index, count: items.count) else { return }
                items[position].assign(value, steps, from: i + 1)
            }
        case .wildcard, .descendants:
            preconditionFailure("assign needs a definite location")
        }
    }

    /// Removes the value at a definite location; false if there is none.
    mutating func remove(_ steps: [JSONPath.Step], from i: Int) -> Bool {
        let last = i == steps.count - 1
        switch steps[i] {
        case .key(let key):
            return withObject { fields -> Bool in
                if last { return fields.removeValue(forKey: key) != nil }
                guard let position = fields.index(forKey: key) else { return false }
                return fields.values[position].remove(steps, from: i + 1)
            } ?? false
        case .index(let index):
            return withArray { items -> Bool in
                guard let position = JSONPath.resolve(index, count: items.count) else { return false }
                if last {
                    items.remove(at: position)
                    return true
                }
                return items[position].remove(steps, from: i + 1)
            } ?? false
        case .wildcard, .descendants:
            preconditionFailure("remove needs a definite location")
        }
    }

    /// Runs `body` on the value at a definite location; nil if there is none.
    mutating func modify<R>(
        _ steps: [JSONPath.Step], from i: Int, _ body: (inout JSONValue) throws(MemFluxError) -> R
    ) throws(MemFluxError) -> R? {
        guard i < steps.count else { return try body(&self) }
        switch steps[i] {
        case .key(let key):
            return try withObject { (fields) throws(MemFluxError) -> R? in
                guard let position = fields.index(forKey: key) else { return nil }
                return try fields.values[position].modify(steps, from: i + 1, body)
            } ?? nil
        case .index(let index):
            return try withArray { (items) throws(MemFluxError) -> R? in
                guard let position = JSONPath.resolve(index, count: items.count) else { return nil }
                return try items[position].modify(steps, from: i + 1, body)
            } ?? nil
        case .wildcard, .descendants:
            preconditionFailure("modify needs a definite location")
        }
    }
}

extension JSONPath {
    /// The array position `index` names (negative counts from the end), if it exists.
    static func resolve(_ index: Int, count: Int) -> Int? {
        let position = index < 0 ? count + index : index
        return position >= 0 && position < count ? position : nil
    }

    static func wrongType(
        _ found: JSONValue, expected: String, at prefix: ArraySlice<Step>, in path: JSONPath
    ) -> MemFluxError {
        let at = JSONPath(steps: Array(prefix), isDollar: path.isDollar)
        return MemFluxError(.err, "wrong type at path '\(at)': expected \(expected), found \(found.typeName)")
    }
}
