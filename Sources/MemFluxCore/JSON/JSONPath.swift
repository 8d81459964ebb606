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
