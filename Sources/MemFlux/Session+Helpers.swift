// Conveniences for Swift callers: typed answers for the common replies, SQL
// rows read by column name, and a transaction helper.
//
//     let name = try s.string("GET", "user:1:name")          // String?
//     let n = try s.integer("INCR", "visits")                // Int64
//     for row in try s.rows("SELECT id, name FROM users") { print(row["name"] ?? .null) }
//     try s.transaction(retries: 3) { s in
//         try s.execute(["DECRBY", "acct:1", "10"])
//         try s.execute(["INCRBY", "acct:2", "10"])
//     }

extension Reply {
    /// A bulk or status reply as UTF-8 text; nil for any other kind.
    public var stringValue: String? {
        switch self {
        case .bulk(let b): b.string
        case .status(let s): s
        default: nil
        }
    }

    /// A bulk reply's bytes; nil for any other kind.
    public var bytesValue: Bytes? {
        if case .bulk(let b) = self { return b }
        return nil
    }

    /// An integer reply's value; nil for any other kind.
    public var integerValue: Int64? {
        if case .integer(let n) = self { return n }
        return nil
    }

    /// A double reply's value (an integer's too); nil for any other kind.
    public var doubleValue: Double? {
        switch self {
        case .double(let d): d
        case .integer(let n): Double(n)
        default: nil
        }
    }

    /// The elements of an array, set or map (keys and values alternating); nil for any other kind.
    public var arrayValue: [Reply]? {
        switch self {
        case .array(let items), .set(let items), .map(let items): items
        default: nil
        }
    }

    /// A missing value (`$-1`, `*-1`).
    public var isNull: Bool {
        switch self {
        case .null, .nullArray: true
        default: false
        }
    }
}

/// A query's rows, each readable by position or by column name.
public struct SQLRows: RandomAccessCollection, Sendable {
    public let columns: [OutputColumn]
    public let rows: [Row]
    private let positions: [String: Int]

    init(columns: [OutputColumn], rows: [Row]) {
        self.columns = columns
        self.rows = rows
        var positions: [String: Int] = [:]
        for (i, column) in columns.enumerated() where positions[column.name] == nil { positions[column.name] = i }
        self.positions = positions
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { rows.count }
    public subscript(position: Int) -> SQLRow { SQLRow(values: rows[position], positions: positions) }
}

/// One row of SQLRows.
public struct SQLRow: Sendable {
    public let values: Row
    fileprivate let positions: [String: Int]

    /// The value of column `name` (the first of that name); nil when there is none.
    public subscript(name: String) -> SQLValue? {
        positions[name].map { values[$0] }
    }

    public subscript(position: Int) -> SQLValue { values[position] }
}

extension Session {
    /// The reply of a command that answers text or nothing (GET, HGET, LPOP...):
    /// nil for a missing value; a reply of another kind is an error.
    public func string(_ args: String...) throws(MemFluxError) -> String? {
        let reply = try execute(args)
        if reply.isNull { return nil }
        guard let text = reply.stringValue else { throw Session.unexpected(reply, "text") }
        return text
    }

    /// The reply of a command that answers an integer (INCR, LPUSH, DEL...).
    public func integer(_ args: String...) throws(MemFluxError) -> Int64 {
        let reply = try execute(args)
        guard let n = reply.integerValue else { throw Session.unexpected(reply, "an integer") }
        return n
    }

    /// The elements of a command's array reply (LRANGE, KEYS, HGETALL...); empty for a missing one.
    public func array(_ args: String...) throws(MemFluxError) -> [Reply] {
        let reply = try execute(args)
        if reply.isNull { return [] }
        guard let items = reply.arrayValue else { throw Session.unexpected(reply, "an array") }
        return items
    }

    /// A query's rows; a statement that answers no rows (INSERT, DDL) is an error.
    public func rows(_ query: String, _ parameters: [SQLValue] = []) throws(MemFluxError) -> SQLRows {
        switch try sql(query, parameters) {
        case .rows(let columns, let rows): return SQLRows(columns: columns, rows: rows)
        case .plan(let lines):
            return SQLRows(columns: [OutputColumn(name: "QUERY PLAN", type: .text)], rows: lines.map { [.text($0)] })
        default: throw MemFluxError(.err, "the statement returns no rows")
        }
    }

    private static func unexpected(_ reply: Reply, _ wanted: String) -> MemFluxError {
        MemFluxError(.err, "expected \(wanted), the command answered \(reply)")
    }

    /// Runs `body` as one transaction: BEGIN (at `isolation`, else the
    /// configured level), COMMIT when `body` returns, ROLLBACK when it throws.
    /// A serialization failure, of COMMIT or inside `body`, runs `body` again
    /// from the start, up to `retries` more times; then it is thrown.
    @discardableResult
    public func transaction<R>(
        isolation: Configuration.Isolation? = nil, retries: Int = 0, _ body: (Session) throws -> R
    ) throws -> R {
        guard transaction == nil, !isQueueing else { throw MemFluxError.transactionInProgress }
        let begin = isolation.map { ["BEGIN", "ISOLATION", "LEVEL", $0.rawValue.uppercased()] } ?? ["BEGIN"]
        var attempt = 0
        while true {
            try execute(begin)
            do {
                let result = try body(self)
                try execute(["COMMIT"])
                return result
            } catch let error as MemFluxError where error.code == .serialization && attempt < retries {
                if transaction != nil { try execute(["ROLLBACK"]) }
                attempt += 1
            } catch {
                if transaction != nil { _ = reply(["ROLLBACK"]) }
                throw error
            }
        }
    }
}
