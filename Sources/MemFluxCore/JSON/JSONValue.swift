// JSONValue: a parsed JSON document, as JSON keys hold it in memory.
//
// A plain enum tree: arrays and objects are copy-on-write containers, so a
// value is a few words and copying one is a retain. Objects are
// `OrderedDictionary`s because RedisJSON replies keep keys in insertion order.
// Numbers are split like RedisJSON splits them: integers that fit `Int64`
// stay exact (`.int`), everything else is a `Double`.
//
// The containers are mutated where they are stored: `withObject`/`withArray`
// move the payload out of `self` (leaving `.null` behind, so the container's
// buffer stays uniquely referenced), mutate it, and put it back. Without that
// dance `case .object(var d) = self` would hold a second reference and the
// first write would copy the whole container (see JSONPath.swift).

import Collections

/// A JSON value.
///
///     let doc = try JSONValue.parse(#"{"name":"Ada","tags":["x"]}"#)
///     doc.typeName        // "object"
///     doc.serialized      // {"name":"Ada","tags":["x"]}
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits `Int64`.
    case int(Int64)
    /// Every other number; never NaN or infinite when produced by `parse`.
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Keys in insertion order; a duplicate key in the text keeps its first position and last value.
    case object(OrderedDictionary<String, JSONValue>)
}

extension JSONValue {
    /// RedisJSON's type names, as JSON.TYPE replies them:
    /// "null" "boolean" "integer" "number" "string" "array" "object".
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// True for arrays and objects.
    public var isContainer: Bool {
        switch self {
        case .array, .object: true
        default: false
        }
    }

    /// Number of elements (array) or fields (object); nil for scalars.
    public var containerCount: Int? {
        switch self {
        case .array(let a): a.count
        case .object(let d): d.count
        default: nil
        }
    }
}

extension JSONValue {
    /// Runs `body` on the object stored in `self` without copying it; nil if `self` is not an object.
    /// Use it (not `case .object(var d) = value; ...; value = .object(d)`, which copies every
    /// field on the first write) to change a container in place, e.g. inside `update(at:_:)`.
    ///
    ///     _ = value.withObject { fields in fields["seen"] = .bool(true) }
    ///
    /// The payload is moved out and `self` is `.null` while `body` runs; the
    /// `defer` puts it back even when `body` throws, so a failed update leaves
    /// the value as it was (minus whatever `body` itself changed).
    /// - Complexity: O(1) plus `body`.
    public mutating func withObject<R, E: Error>(
        _ body: (inout OrderedDictionary<String, JSONValue>) throws(E) -> R
    ) throws(E) -> R? {
        guard case .object(var dict) = self else { return nil }
        self = .null
        defer { self = .object(dict) }
        return try body(&dict)
    }

    /// Runs `body` on the array stored in `self` without copying it; nil if `self` is not an array.
    ///
    ///     let newLength = value.withArray { items in items.append(.int(1)); return items.count }
    ///
    /// - Complexity: O(1) plus `body`.
    public mutating func withArray<R, E: Error>(
        _ body: (inout [JSONValue]) throws(E) -> R
    ) throws(E) -> R? {
        guard case .array(var array) = self else { return nil }
        self = .null
        defer { self = .array(array) }
        return try body(&array)
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text; for messages and tests.
    public var description: String {
        var out = ContiguousArray<UInt8>()
        serialize(into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

// MARK: - UTF-8

/// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
enum JSONUTF8 {
    /// The index after the scalar starting at `j` (a byte >= 0x80 or any ASCII byte), or nil if it is malformed.
    @inline(__always)
    static func scalarEnd(_ bytes: UnsafeRawBufferPointer, at j: Int) -> Int? {
        @inline(__always) func continuation(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            k < bytes.count && bytes[k] >= low && bytes[k] <= high
        }
        switch bytes[j] {
        case 0x00...0x7F:
            return j &+ 1
        case 0xC2...0xDF:
            return continuation(j &+ 1) ? j &+ 2 : nil
        case 0xE0:
            return continuation(j &+ 1, 0xA0) && continuation(j &+ 2) ? j &+ 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF:
            return continuation(j &+ 1) && continuation(j &+ 2) ? j &+ 3 : nil
        case 0xED:
            return continuation(j &+ 1, 0x80, 0x9F) && continuation(j &+ 2) ? j &+ 3 : nil
        case 0xF0:
            return continuation(j &+ 1, 0x90) && continuation(j &+ 2) && continuation(j &+ 3) ? j &+ 4 : nil
        case 0xF1...0xF3:
            return continuation(j &+ 1) && continuation(j &+ 2) && continuation(j &+ 3) ? j &+ 4 : nil
        case 0xF4:
            return continuation(j &+ 1, 0x80, 0x8F) && continuation(j &+ 2) && continuation(j &+ 3) ? j &+ 4 : nil
        default:
            return nil
        }
    }

    /// Offset of the first malformed sequence in `bytes`, or nil if all of it is valid UTF-8.
    static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var j = 0
        while j < bytes.count {
            guard let next = scalarEnd(bytes, at: j) else { return j }
            j = next
        }
        return nil
    }

    static func append(scalar: UInt32, to out: inout ContiguousArray<UInt8>) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
