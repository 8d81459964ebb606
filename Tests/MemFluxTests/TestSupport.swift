// Shared fixtures: a fresh in-memory database and a session that answers
// replies (errors as `.error`) so tests can compare exact replies.

import MemFlux
import MemFluxCore

struct Harness {
    let db: Database
    let session: Session

    init() throws {
        db = try Database(configuration: .inMemory)
        session = db.session()
    }

    /// Runs a command given as words: `h("SET", "k", "v")`.
    @discardableResult
    func callAsFunction(_ words: String...) -> Reply {
        session.reply(words.map { Bytes($0) })
    }

    func run(_ words: [String]) -> Reply { session.reply(words.map { Bytes($0) }) }
}

/// A suite that keeps one Harness and speaks to it as `run(...)`, `s`, `db`.
protocol HarnessSuite {
    var h: Harness { get }
}

extension HarnessSuite {
    var db: Database { h.db }
    var s: Session { h.session }

    @discardableResult
    func run(_ args: String...) -> Reply { h.run(args) }

    /// One SQL statement, as `SQL <text>`.
    @discardableResult
    func sql(_ text: String) -> Reply { run("SQL", text) }

    /// A query's reply: one JSON object per row.
    func rows(_ items: String...) -> Reply { .array(items.map { .bulk(Bytes($0)) }) }

    /// The message of the error a statement answers (its position aside).
    func failure(_ text: String) -> String {
        let reply = sql(text)
        if case .error(let error) = reply { return error.message }
        return "no error: \(reply)"
    }
}

func bulk(_ s: String) -> Reply { .bulk(Bytes(s)) }
func bulks(_ items: String...) -> Reply { .array(items.map { .bulk(Bytes($0)) }) }
func err(_ message: String) -> Reply { .error(MemFluxError(.err, message)) }
let wrongType = Reply.error(.wrongType)
