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

func bulk(_ s: String) -> Reply { .bulk(Bytes(s)) }
func bulks(_ items: String...) -> Reply { .array(items.map { .bulk(Bytes($0)) }) }
func err(_ message: String) -> Reply { .error(MemFluxError(.err, message)) }
let wrongType = Reply.error(.wrongType)
