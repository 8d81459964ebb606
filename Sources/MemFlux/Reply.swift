// Reply: the typed result of a command, independent of any wire format. The
// server renders it as RESP2 or RESP3, the C ABI as a reply tree. Cases that
// only RESP3 distinguishes (map, set, double, bool) degrade to RESP2 the way
// Redis degrades them.

import MemFluxCore

public enum Reply: Sendable, Hashable {
    /// A status line (`+OK`).
    case status(String)
    case error(MemFluxError)
    case integer(Int64)
    case bulk(Bytes)
    /// A missing value (RESP2 `$-1`).
    case null
    /// A missing array, as BLPOP's timeout (RESP2 `*-1`).
    case nullArray
    case double(Double)
    case bool(Bool)
    case array([Reply])
    /// Unordered members (RESP3 `~`, RESP2 array).
    case set([Reply])
    /// Alternating keys and values (RESP3 `%`, RESP2 flat array).
    case map([Reply])

    public static let ok = Reply.status("OK")
    public static let zero = Reply.integer(0)
    public static let one = Reply.integer(1)
    public static let emptyArray = Reply.array([])
    public static let queued = Reply.status("QUEUED")

    @inlinable
    public static func bulk(_ text: String) -> Reply { .bulk(Bytes(text)) }

    @inlinable
    public static func bulkArray<S: Sequence>(_ items: S) -> Reply where S.Element == Bytes {
        .array(items.map { .bulk($0) })
    }

    @inlinable
    public static func optionalBulk(_ bytes: Bytes?) -> Reply {
        if let bytes { return .bulk(bytes) }
        return .null
    }
}

extension Reply: CustomStringConvertible {
    /// A readable rendering for tests and logs, close to redis-cli's.
    public var description: String {
        switch self {
        case .status(let s): return s
        case .error(let e): return "(error) \(e.description)"
        case .integer(let i): return "(integer) \(i)"
        case .bulk(let b): return "\"\(b.string)\""
        case .null, .nullArray: return "(nil)"
        case .double(let d): return "(double) \(d)"
        case .bool(let b): return "(boolean) \(b)"
        case .array(let a), .set(let a), .map(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
