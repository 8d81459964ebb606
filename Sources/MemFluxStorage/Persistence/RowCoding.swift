// How table rows are written in log records and snapshots.
//
//     row     = layout reference varint | value count | value...
//               reference 0: a layout follows, length-prefixed; n > 0: the
//               n-th layout the snapshot file defined so far (snapshots only)
//     layout  = column count | (name | type)...
//     type    = tag u8 | by tag: numeric (optional precision, optional scale),
//               varchar/char (optional length), array (element type)
//     value   = tag u8 | payload by tag
//
// A log record defines every layout it uses, so it can be replayed on its
// own; a snapshot, where thousands of rows share a few layouts, defines each
// once. Readers intern layouts by their encoding, so after recovery the rows
// of one table share one RowLayout however many records named it.
//
// Integers are zigzag varints, doubles their bit pattern, numerics a sign byte
// (or NaN / Infinity / -Infinity) then limbs and scale, text UTF-8, JSON its
// compact text. Decoding accepts whatever the writer can write: it checks
// structure (lengths, tags, UTF-8), never SQL semantics.

import MemFluxCore
import MemFluxPersistence

enum SQLTypeTag: UInt8 {
    case boolean = 0, smallint, integer, bigint, real, double, numeric, text, varchar, char, bytea
    case timestamp, timestamptz, date, time, uuid, json, jsonb, array, dynamic, unknown
}

enum SQLValueTag: UInt8 {
    case null = 0, bool, int, double, numeric, text, bytes, timestamp, timestamptz, date, time, uuid, json, array
}

/// A numeric's first payload byte: the sign of a finite value (limbs and
/// scale follow), or a special value (nothing follows).
enum NumericSign: UInt8 {
    case positive = 0, negative, nan, infinity, negativeInfinity

    init?(special kind: SQLNumeric.Kind) {
        switch kind {
        case .finite: return nil
        case .nan: self = .nan
        case .infinity: self = .infinity
        case .negativeInfinity: self = .negativeInfinity
        }
    }
}

/// Arrays (of values, or array types) nested deeper than this are refused, so
/// a damaged file cannot overflow the stack; JSON documents have the same limit.
let maximumRowNesting = 512

// MARK: Writing

/// A snapshot's numbering of the layouts it has written so far.
final class LayoutNumbering {
    private var numbers: [ObjectIdentifier: Int] = [:]
    /// Holds the numbered layouts, so no identifier is reused by another
    /// layout while the snapshot is written.
    private var numbered: [RowLayout] = []

    /// The number of `layout` if it was written before; otherwise nil, and it
    /// takes the next number (the caller writes it now).
    func previousNumber(of layout: RowLayout) -> Int? {
        let id = ObjectIdentifier(layout)
        if let number = numbers[id] { return number }
        numbered.append(layout)
        numbers[id] = numbered.count
        return nil
    }
}

extension Array where Element == UInt8 {
    mutating func appendRow(_ row: TableRow, numbering: LayoutNumbering?) {
        if let number = numbering?.previousNumber(of: row.layout) {
            appendVarint(number)
        } else {
            appendVarint(0)
            appendBytes(row.layout.encoding)
        }
        appendVarint(row.count)
        for i in 0..<row.count { appendSQLValue(row[i]) }
    }

    mutating func appendLayout(columns: [String], types: [SQLType]) {
        appendVarint(columns.count)
        for (name, type) in zip(columns, types) {
            appendText(name)
            appendSQLType(type)
        }
    }

    private mutating func appendText(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            appendVarint(utf8.count)
            append(contentsOf: utf8)
        }
    }

    private mutating func appendOptional(_ n: Int?) {
        guard let n else { return append(0) }
        append(1)
        appendSignedVarint(Int64(n))
    }

    private mutating func appendTag(_ tag: SQLTypeTag) { append(tag.rawValue) }
    private mutating func appendTag(_ tag: SQLValueTag) { append(tag.rawValue) }

    mutating func appendSQLType(_ type: SQLType) {
        switch type {
        case .boolean: appendTag(SQLTypeTag.boolean)
        case .smallint: appendTag(SQLTypeTag.smallint)
        case .integer: appendTag(SQLTypeTag.integer)
        case .bigint: appendTag(SQLTypeTag.bigint)
        case .real: appendTag(SQLTypeTag.real)
        case .double: appendTag(SQLTypeTag.double)
        case .numeric(let precision, let scale):
            appendTag(SQLTypeTag.numeric)
            appendOptional(precision)
            appendOptional(scale)
        case .text: appendTag(SQLTypeTag.text)
        case .varchar(let length):
            appendTag(SQLTypeTag.varchar)
            appendOptional(length)
        case .char(let length):
            appendTag(SQLTypeTag.char)
            appendOptional(length)
        case .bytea: appendTag(SQLTypeTag.bytea)
        case .timestamp: appendTag(SQLTypeTag.timestamp)
        case .timestamptz: appendTag(SQLTypeTag.timestamptz)
        case .date: appendTag(SQLTypeTag.date)
        case .time: appendTag(SQLTypeTag.time)
        case .uuid: appendTag(SQLTypeTag.uuid)
        case .json: appendTag(SQLTypeTag.json)
        case .jsonb: appendTag(SQLTypeTag.jsonb)
        case .array(let element):
            appendTag(SQLTypeTag.array)
            appendSQLType(element)
        case .dynamic: appendTag(SQLTypeTag.dynamic)
        case .unknown: appendTag(SQLTypeTag.unknown)
        }
    }

    mutating func appendSQLValue(_ value: SQLValue) {
        switch value {
        case .null: appendTag(SQLValueTag.null)
        case .bool(let b):
            appendTag(SQLValueTag.bool)
            append(b ? 1 : 0)
        case .int(let i):
            appendTag(SQLValueTag.int)
            appendSignedVarint(i)
        case .double(let d):
            appendTag(SQLValueTag.double)
            appendUInt64(d.bitPattern)
        case .numeric(let n):
            appendTag(SQLValueTag.numeric)
            if let special = NumericSign(special: n.kind) {
                append(special.rawValue)
                return
            }
            append(n.isNegative ? NumericSign.negative.rawValue : NumericSign.positive.rawValue)
            appendVarint(n.limbs.count)
            for limb in n.limbs { appendUInt32(limb) }
            appendSignedVarint(Int64(n.scale))
        case .text(let s):
            appendTag(SQLValueTag.text)
            appendText(s)
        case .bytes(let b):
            appendTag(SQLValueTag.bytes)
            appendVarint(b.count)
            append(contentsOf: b)
        case .timestamp(let micros):
            appendTag(SQLValueTag.timestamp)
            appendSignedVarint(micros)
        case .timestamptz(let micros):
            appendTag(SQLValueTag.timestamptz)
            appendSignedVarint(micros)
        case .date(let days):
            appendTag(SQLValueTag.date)
            appendSignedVarint(Int64(days))
        case .time(let micros):
            appendTag(SQLValueTag.time)
            appendSignedVarint(micros)
        case .uuid(let u):
            appendTag(SQLValueTag.uuid)
            appendUInt64(u.high)
            appendUInt64(u.low)
        case .json(let j):
            appendTag(SQLValueTag.json)
            appendBytes(j.serialized)
        case .array(let elements):
            appendTag(SQLValueTag.array)
            appendVarint(elements.count)
            for element in elements { appendSQLValue(element) }
        }
    }
}

// MARK: Reading

/// The row layouts recovery has read, by encoding.
final class LayoutInterner {
    private var layouts: [Bytes: RowLayout] = [:]

    func layout(encoded encoding: Bytes) throws(DecodingError) -> RowLayout {
        if let known = layouts[encoding] { return known }
        let layout = try RowLayout(decoding: encoding)
        layouts[encoding] = layout
        return layout
    }

    func removeAll() { layouts = [:] }
}

/// Where a reader finds row layouts: the interner, and in a snapshot the
/// layouts the file has defined so far (nil for log records, which define their own).
struct LayoutSource {
    let interner: LayoutInterner
    var defined: [RowLayout]?
}

extension RowLayout {
    convenience init(decoding encoding: Bytes) throws(DecodingError) {
        var columns: [String] = []
        var types: [SQLType] = []
        do {
            try encoding.withUnsafeBytes { raw in
                var reader = ByteReader(raw)
                let n = try reader.count()
                for _ in 0..<n {
                    columns.append(try reader.text())
                    types.append(try reader.sqlType(depth: 0))
                }
                guard reader.isAtEnd else { throw DecodingError("unexpected bytes after a row layout") }
            }
        } catch let error as DecodingError {
            throw error
        } catch {
            throw DecodingError("a row layout ends early")
        }
        self.init(columns: columns, types: types)
    }
}

extension ByteReader {
    mutating func row(_ layouts: inout LayoutSource) throws -> TableRow {
        let reference = try varint()
        let layout: RowLayout
        if reference == 0 {
            layout = try layouts.interner.layout(encoded: try bytes())
            layouts.defined?.append(layout)
        } else {
            guard let defined = layouts.defined, reference <= defined.count else {
                throw DecodingError("a row names layout \(reference), which is not defined before it")
            }
            layout = defined[reference - 1]
        }
        let n = try count()
        var values: [SQLValue] = []
        values.reserveCapacity(n)
        for _ in 0..<n { values.append(try sqlValue(depth: 0)) }
        return TableRow(layout: layout, values: values)
    }

    mutating func text() throws -> String {
        guard let text = String(validating: try rawBytes(), as: UTF8.self) else {
            throw DecodingError("text that is not UTF-8")
        }
        return text
    }

    private mutating func optional() throws -> Int? {
        switch try uint8() {
        case 0: return nil
        case 1: return Int(try signedVarint())
        case let flag: throw DecodingError("bad optional flag \(flag)")
        }
    }

    mutating func sqlType(depth: Int) throws -> SQLType {
        let tag = try uint8()
        switch SQLTypeTag(rawValue: tag) {
        case .boolean: return .boolean
        case .smallint: return .smallint
        case .integer: return .integer
        case .bigint: return .bigint
        case .real: return .real
        case .double: return .double
        case .numeric:
            let precision = try optional()
            return .numeric(precision: precision, scale: try optional())
        case .text: return .text
        case .varchar: return .varchar(try optional())
        case .char: return .char(try optional())
        case .bytea: return .bytea
        case .timestamp: return .timestamp
        case .timestamptz: return .timestamptz
        case .date: return .date
        case .time: return .time
        case .uuid: return .uuid
        case .json: return .json
        case .jsonb: return .jsonb
        case .array:
            guard depth < maximumRowNesting else { throw DecodingError("array types nested deeper than \(maximumRowNesting)") }
            return .array(try sqlType(depth: depth + 1))
        case .dynamic: return .dynamic
        case .unknown: return .unknown
        case nil: throw DecodingError("unknown SQL type \(tag) (written by a newer version?)")
        }
    }

    mutating func sqlValue(depth: Int) throws -> SQLValue {
        let tag = try uint8()
        switch SQLValueTag(rawValue: tag) {
        case .null: return .null
        case .bool:
            let b = try uint8()
            guard b <= 1 else { throw DecodingError("bad boolean \(b)") }
            return .bool(b == 1)
        case .int: return .int(try signedVarint())
        case .double: return .double(Double(bitPattern: try uint64()))
        case .numeric:
            let byte = try uint8()
            guard let sign = NumericSign(rawValue: byte) else { throw DecodingError("bad numeric sign \(byte)") }
            switch sign {
            case .nan: return .numeric(.nan)
            case .infinity: return .numeric(.infinity)
            case .negativeInfinity: return .numeric(.negativeInfinity)
            case .positive, .negative: break
            }
            let n = try count()
            var limbs: [UInt32] = []
            limbs.reserveCapacity(n)
            for _ in 0..<n { limbs.append(try uint32()) }
            return .numeric(SQLNumeric(isNegative: sign == .negative, limbs: limbs, scale: Int(try signedVarint())))
        case .text: return .text(try text())
        case .bytes: return .bytes(Array(try rawBytes()))
        case .timestamp: return .timestamp(try signedVarint())
        case .timestamptz: return .timestamptz(try signedVarint())
        case .date:
            let days = try signedVarint()
            guard let date = Int32(exactly: days) else { throw DecodingError("date \(days) out of range") }
            return .date(date)
        case .time: return .time(try signedVarint())
        case .uuid:
            let high = try uint64()
            return .uuid(SQLUUID(high: high, low: try uint64()))
        case .json:
            do {
                return .json(try JSONValue.parse(try rawBytes()))
            } catch let error as MemFluxError {
                throw DecodingError("bad JSON value in a row: \(error.message)")
            }
        case .array:
            guard depth < maximumRowNesting else { throw DecodingError("arrays nested deeper than \(maximumRowNesting)") }
            let n = try count()
            var elements: [SQLValue] = []
            elements.reserveCapacity(n)
            for _ in 0..<n { elements.append(try sqlValue(depth: depth + 1)) }
            return .array(elements)
        case nil: throw DecodingError("unknown SQL value type \(tag) (written by a newer version?)")
        }
    }
}
