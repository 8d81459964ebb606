// SQL commands: `SQL <statement>` (the arguments joined with single spaces)
// and `SQL.EXEC <statement> <arg>...` (arguments bound to `?` / `$n`
// placeholders as values, never spliced into the text). MemFluxSQL does the
// work; this file maps its results to replies: rows as one compact JSON
// object per row, keys in select-list order (RESP3: a map per row); an
// integer for DML without RETURNING; +OK for DDL and transaction control.
// BEGIN/COMMIT/... inside SQL are the session's own transaction commands.

import MemFluxCore
import MemFluxSQL
import MemFluxStorage

enum SQLCommands {
    /// SQL: also what `Session.sql` counts its statements under.
    static let sqlCommand = Command("sql", arity: -2, flags: [.write, .mayRunLong], runsShort: { isShort($0, text(of: $1)) }, sql)
    static let all: [Command] = [
        sqlCommand,
        Command("sql.exec", arity: -2, flags: [.write, .mayRunLong], runsShort: { isShort($0, $1[1]) }, exec),
    ]

    // SQL statement [more statement text ...]
    static func sql(_ c: CommandContext) throws(MemFluxError) -> Reply {
        try run(c.session, text(of: c.args), parameters: [])
    }

    /// `SQL`'s statement: its arguments joined with single spaces (one argument is the statement as sent).
    private static func text(of args: [Bytes]) -> Bytes {
        if args.count == 2 { return args[1] }
        var text: [UInt8] = []
        for i in 1..<args.count {
            if i > 1 { text.append(UInt8(ascii: " ")) }
            args[i].withUnsafeBytes { text.append(contentsOf: $0) }
        }
        return Bytes(text)
    }

    /// Whether the session has `text` prepared as a statement bounded by a few keys.
    private static func isShort(_ session: Session, _ text: Bytes) -> Bool {
        session.database.sql.isShort(text, session: session.sqlSession)
    }

    // SQL.EXEC statement [argument ...]
    static func exec(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let parameters = c.args.dropFirst(2).map { SQLValue.text($0.string) }
        return try run(c.session, c[1], parameters: Array(parameters))
    }

    static func run(_ session: Session, _ text: Bytes, parameters: [SQLValue]) throws(MemFluxError) -> Reply {
        // RESP2 replies carry each row as its JSON object, rendered as the row is produced.
        let format: SQLRowFormat = session.protocolVersion >= 3 ? .values : .json
        let result = try session.database.sql.execute(
            text, parameters: parameters, session: session.sqlSession, keyspace: session.keyspace, transaction: session.transaction,
            format: format)
        switch result {
        case .json(_, let rows): return .array(rows.map { .bulk($0) })
        case .rows(let columns, let rows):
            if session.protocolVersion >= 3 {
                return .array(rows.map { .map(RowEncoding.map($0, columns, nativeReply, name: { .bulk($0) })) })
            }
            return .array(rows.map { .bulk(RowEncoding.json($0, columns)) })
        case .count(let n): return .integer(n)
        case .ok: return .ok
        case .plan(let lines): return .array(lines.map { .bulk($0) })
        case .transactionControl(let statement): return try transactionControl(statement, session)
        }
    }

    /// BEGIN, COMMIT, ... written in SQL: the same commands as their KV spellings.
    private static func transactionControl(_ statement: Statement, _ session: Session) throws(MemFluxError) -> Reply {
        let args: [String]
        switch statement {
        case .begin(.serializable?): args = ["BEGIN", "ISOLATION", "LEVEL", "SERIALIZABLE"]
        case .begin(.snapshot?): args = ["BEGIN", "ISOLATION", "LEVEL", "SNAPSHOT"]
        case .begin(nil): args = ["BEGIN"]
        case .commit: args = ["COMMIT"]
        case .rollback: args = ["ROLLBACK"]
        case .savepoint(let name): args = ["SAVEPOINT", name]
        case .rollbackToSavepoint(let name): args = ["ROLLBACK_TO_SAVEPOINT", name]
        case .releaseSavepoint(let name): args = ["RELEASE_SAVEPOINT", name]
        default: throw MemFluxError(.err, "not a transaction statement")
        }
        return try session.execute(args)
    }

    /// A RESP3 map value: integers, doubles, booleans and NULL native; other values as their JSON text.
    private static func nativeReply(_ value: SQLValue, _ type: SQLType) -> Reply {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .integer(i)
        case .double(let d): return .double(d)
        case .text(let s): return .bulk(s)
        default:
            var out: [UInt8] = []
            value.appendJSON(to: &out, type: type)
            return .bulk(Bytes(out))
        }
    }
}
