// `||`: text, arrays and jsonb, as PostgreSQL's textcat/anytextcat,
// array_cat/array_append/array_prepend and jsonb_concat do it.
//
// Arrays: an array with one of the same dimensions is concatenated, with an
// array one dimension less it is appended or prepended as one element, with
// a scalar the scalar is appended or prepended; an empty array leaves the
// other operand; other shapes are `cannot concatenate incompatible arrays`.
// jsonb: two objects merge (the right one's keys win), two arrays join, an
// array and a non-array add the non-array as an element, two scalars make a
// two-element array. Everything else concatenates the operands' text.

import Collections

extension SQLArithmetic {
    /// `a || b` for non-NULL operands; `type` is the binder's result type, and
    /// the operand types decide how each prints when the result is text.
    ///
    ///     try SQLArithmetic.concatenate(.text("a"), .bool(true), type: .text)    // .text("atrue")
    ///     try SQLArithmetic.concatenate(.array([.int(1)]), .int(2), type: .array(.integer))   // {1,2}
    public static func concatenate(
        _ a: SQLValue, _ b: SQLValue, type: SQLType, leftType: SQLType = .dynamic, rightType: SQLType = .dynamic
    ) throws(MemFluxError) -> SQLValue {
        switch (a, b) {
        case (.array, _), (_, .array):
            let element: SQLType = if case .array(let e) = type { e } else { .dynamic }
            return try concatenateArrays(a, b, element: element)
        case (.json(let x), .json(let y)) where type == .jsonb || (x.isContainer && y.isContainer):
            return .json(concatenateJSON(x, y))
        default:
            var out = [UInt8]()
            a.appendText(to: &out, type: leftType)
            b.appendText(to: &out, type: rightType)
            return .text(String(decoding: out, as: UTF8.self))
        }
    }

    private static func concatenateArrays(_ a: SQLValue, _ b: SQLValue, element: SQLType) throws(MemFluxError) -> SQLValue {
        let incompatible = MemFluxError(.err, "cannot concatenate incompatible arrays")
        switch (a, b) {
        case (.array(let x), .array(let y)):
            if x.isEmpty { return b }
            if y.isEmpty { return a }
            let (dx, dy) = (dimensions(x), dimensions(y))
            if dx.count == dy.count {
                guard dx.dropFirst() == dy.dropFirst() else { throw incompatible }
                return .array(x + y)
            }
            if dx.count == dy.count + 1 && Array(dx.dropFirst()) == dy { return .array(x + [b]) }
            if dy.count == dx.count + 1 && Array(dy.dropFirst()) == dx { return .array([a] + y) }
            throw incompatible
        case (.array(let x), _):
            guard dimensions(x).count <= 1 else { throw incompatible }
            return .array(x + [try SQLCast.cast(b, to: element)])
        case (_, .array(let y)):
            guard dimensions(y).count <= 1 else { throw incompatible }
            return .array([try SQLCast.cast(a, to: element)] + y)
        default:
            return a
        }
    }

    /// The length of each dimension of a rectangular array ([] for none).
    private static func dimensions(_ items: [SQLValue]) -> [Int] {
        guard !items.isEmpty else { return [] }
        if case .array(let inner)? = items.first { return [items.count] + dimensions(inner) }
        return [items.count]
    }

    private static func concatenateJSON(_ x: JSONValue, _ y: JSONValue) -> JSONValue {
        switch (x, y) {
        case (.object(var left), .object(let right)):
            for (key, value) in right { left[key] = value }
            return .object(left)
        case (.array(let left), .array(let right)):
            return .array(left + right)
        case (.array(let left), _):
            return .array(left + [y])
        case (_, .array(let right)):
            return .array([x] + right)
        default:
            return .array([x, y])
        }
    }
}
