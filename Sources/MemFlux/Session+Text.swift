// A command given as one line of text, as the embedded front doors (the C
// ABI, the Python package) take it: either a SQL statement, run with typed
// rows, or a command split by redis-cli's quoting rules. A line is SQL when
// its first word is SQL (the statement follows it), or SELECT, INSERT,
// UPDATE, WITH, VALUES, CREATE, DROP, ALTER, TRUNCATE or EXPLAIN, or DELETE
// followed by FROM, in any letter case. Parameters are bound as values, never
// spliced into the text: to a SQL statement's `?` / `$n` placeholders, or to
// a command's unquoted `?` words.

import MemFluxCore
import MemFluxSQL

/// What a command given as text answers.
public enum Outcome: Sendable {
    /// A command's reply.
    case reply(Reply)
    /// A SQL statement's result (typed rows, a row count, OK or a plan).
    case sql(SQLResult)
}

extension Session {
    /// Runs `line`, SQL or a command, with `parameters` bound to its placeholders:
    ///
    ///     try session.run(Bytes("select name from users where id = ?"), parameters: [.int(1)])
    ///     try session.run(Bytes("SET greeting \"hello world\""))
    @discardableResult
    public func run(_ line: Bytes, parameters: [SQLValue] = []) throws(MemFluxError) -> Outcome {
        if let statement = Session.sqlStatement(in: line) {
            return .sql(try sql(statement, parameters))
        }
        return .reply(try runCommand(line, parameters: parameters))
    }

    /// `run` for a line already known not to be SQL: split with redis-cli's
    /// quoting, unquoted `?` words bound to `parameters`.
    @discardableResult
    public func runCommand(_ line: Bytes, parameters: [SQLValue] = []) throws(MemFluxError) -> Reply {
        var placeholders: [Int]? = parameters.isEmpty ? nil : []
        guard var args = line.withUnsafeBytes({ InlineSplitter.split($0, placeholders: &placeholders) }) else {
            throw MemFluxError(.err, "Protocol error: unbalanced quotes in request")
        }
        if let placeholders {
            guard placeholders.count == parameters.count else {
                throw MemFluxError(
                    .err, "the command has \(placeholders.count) placeholders but \(parameters.count) parameters were given")
            }
            for (index, parameter) in zip(placeholders, parameters) {
                args[index] = try Session.argument(parameter)
            }
        }
        return try execute(args)
    }

    /// Runs `line` once for each row of `parameterRows`, as `run` would, all as
    /// one transaction: the open one, or else one of its own that commits after
    /// the last row, so an error in any row leaves nothing of the others behind.
    /// Answers the rows the SQL statements affected, or -1 for a command or a
    /// query. Replies are not kept: this is for writes in bulk (DB-API's executemany).
    @discardableResult
    public func runMany(_ line: Bytes, parameterRows: [[SQLValue]]) throws(MemFluxError) -> Int64 {
        let ownTransaction = transaction == nil && multi == nil
        if ownTransaction { _ = try execute(["BEGIN"]) }
        do {
            let affected = try runEach(line, parameterRows, fresh: ownTransaction)
            if ownTransaction { _ = try execute(["COMMIT"]) }
            return affected
        } catch {
            if ownTransaction { _ = reply(["ROLLBACK"]) }
            throw error
        }
    }

    /// `fresh`: the transaction was begun for these rows (see `SQLEngine.executeMany`).
    private func runEach(_ line: Bytes, _ parameterRows: [[SQLValue]], fresh: Bool) throws(MemFluxError) -> Int64 {
        if let statement = Session.sqlStatement(in: line), let transaction {
            try database.refuseWritesWhileLogFails()
            return try database.sql.executeMany(
                statement, parameterRows: parameterRows, session: sqlSession, keyspace: keyspace, transaction: transaction,
                fresh: fresh) ?? -1
        }
        for parameters in parameterRows { try run(line, parameters: parameters) }
        return -1
    }

    /// A parameter as a command argument: text as its UTF-8, numbers in decimal, booleans as 1 or 0.
    static func argument(_ value: SQLValue) throws(MemFluxError) -> Bytes {
        switch value {
        case .null: throw MemFluxError(.err, "a NULL parameter cannot be a command argument")
        case .bool(let b): return Bytes(b ? "1" : "0")
        case .int(let i): return Bytes(String(i))
        case .text(let s): return Bytes(s)
        case .bytes(let b): return Bytes(b)
        default: return Bytes(value.outputText(type: .dynamic))
        }
    }

    /// The statement when `line` is SQL (see the file comment), else nil.
    public static func sqlStatement(in line: Bytes) -> Bytes? {
        line.withUnsafeBytes { text -> Bytes? in
            var start = 0
            while start < text.count, InlineSplitter.isSpace(text[start]) { start += 1 }
            var end = start
            while end < text.count, !InlineSplitter.isSpace(text[end]) { end += 1 }
            let word = UnsafeRawBufferPointer(rebasing: text[start..<end])
            func wordIs(_ keyword: StaticString, _ word: UnsafeRawBufferPointer) -> Bool {
                guard word.count == keyword.utf8CodeUnitCount else { return false }
                for i in 0..<word.count where word[i] | 0x20 != keyword.utf8Start[i] | 0x20 { return false }
                return true
            }
            if wordIs("sql", word) {
                var rest = end
                while rest < text.count, InlineSplitter.isSpace(text[rest]) { rest += 1 }
                return Bytes(UnsafeRawBufferPointer(rebasing: text[rest...]))
            }
            let statementWords: [StaticString] = [
                "select", "insert", "update", "with", "values", "create", "drop", "alter", "truncate", "explain",
            ]
            if statementWords.contains(where: { wordIs($0, word) }) { return line }
            if wordIs("delete", word) {
                var next = end
                while next < text.count, InlineSplitter.isSpace(text[next]) { next += 1 }
                var nextEnd = next
                while nextEnd < text.count, !InlineSplitter.isSpace(text[nextEnd]) { nextEnd += 1 }
                if wordIs("from", UnsafeRawBufferPointer(rebasing: text[next..<nextEnd])) { return line }
            }
            return nil
        }
    }
}
