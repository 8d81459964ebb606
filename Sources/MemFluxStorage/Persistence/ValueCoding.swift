// How values are written in log records and snapshots: a type tag, then the
// payload. New types take new tags; a reader meeting a tag it does not know
// refuses the file rather than guess. Table rows: RowCoding.swift.

import Collections
import MemFluxCore
import MemFluxPersistence

enum ValueTag: UInt8 {
    case bytes = 0
    case json = 1
    case list = 2
    case set = 3
    case hash = 4
    case row = 5
}

/// A file that cannot be decoded: what was wrong, at which byte of the payload.
struct DecodingError: Error {
    let message: String
    init(_ message: String) { self.message = message }
    static let truncated = DecodingError("record ends early")
}

extension Array where Element == UInt8 {
    /// Writes `value`. A row's layout is written whole (log records), or in a
    /// snapshot only at its first use there and by number after (`numbering`).
    mutating func appendValue(_ value: Value, numbering: LayoutNumbering? = nil) {
        switch value {
        case .bytes(let b):
            append(ValueTag.bytes.rawValue)
            appendBytes(b)
        case .json(let j):
            append(ValueTag.json.rawValue)
            appendBytes(j.serialized)
        case .list(let l):
            append(ValueTag.list.rawValue)
            appendVarint(l.count)
            for e in l { appendBytes(e) }
        case .set(let s):
            append(ValueTag.set.rawValue)
            appendVarint(s.count)
            for e in s { appendBytes(e) }
        case .hash(let h):
            append(ValueTag.hash.rawValue)
            appendVarint(h.count)
            for (field, v) in h {
                appendBytes(field)
                appendBytes(v)
            }
        case .row(let r):
            append(ValueTag.row.rawValue)
            appendRow(r, numbering: numbering)
        }
    }
}

extension ByteReader {
    mutating func value(_ layouts: inout LayoutSource) throws(DecodingError) -> Value {
        do {
            let tag = try uint8()
            switch ValueTag(rawValue: tag) {
            case .bytes: return .bytes(try bytes())
            case .json:
                do {
                    return .json(try JSONValue.parse(try bytes()))
                } catch let error as MemFluxError {
                    throw DecodingError("bad JSON document: \(error.message)")
                }
            case .list:
                let n = try count()
                var list = ListValue()
                for _ in 0..<n { list.append(try bytes()) }
                return .list(list)
            case .set:
                let n = try count()
                var set = TreeSet<Bytes>()
                for _ in 0..<n { set.insert(try bytes()) }
                return .set(set)
            case .hash:
                let n = try count()
                var hash = TreeDictionary<Bytes, Bytes>()
                for _ in 0..<n {
                    let field = try bytes()
                    hash[field] = try bytes()
                }
                return .hash(hash)
            case .row:
                return .row(try row(&layouts))
            case nil:
                throw DecodingError("unknown value type \(tag) (written by a newer version?)")
            }
        } catch let error as DecodingError {
            throw error
        } catch {
            throw DecodingError.truncated
        }
    }
}
