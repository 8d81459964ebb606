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
}

func bulk(_ s: String) -> Reply { .bulk(Bytes(s)) }
func bulks(_ items: String...) -> Reply { .array(items.map { .bulk(Bytes($0)) }) }
func err(_ message: String) -> Reply { .error(MemFluxError(.err, message)) }
let wrongType = Reply.error(.wrongType)
