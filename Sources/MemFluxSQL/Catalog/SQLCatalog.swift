// SQLCatalog: table definitions as the statement being planned sees them.
//
// A definition lives in the keyspace (TableDefinition.storageKey), so it is
// read through the statement's KeyAccess like any row. Decoding it for every
// statement would cost more than a point SELECT itself, so the latest
// committed definition of each table is cached with the commit sequence of
// its key; a lookup checks that sequence (one probe) and decodes again only
// when DDL committed since. A transaction that ran DDL of its own reads
// through itself instead (`ownDDL`), seeing its uncommitted definitions.

import MemFluxCore
import MemFluxStorage
import Synchronization

public final class SQLCatalog: Sendable {
    private struct Entry {
        var sequence: UInt64
        var definition: TableDefinition?
    }

    private let cache = Mutex<[String: Entry]>([:])

    public init() {}

    /// The definition of `name` (nil for a schemaless table: none was created).
    /// `ownDDL`: the transaction in `access` has written definitions itself.
    func table(_ name: String, in access: KeyAccess, ownDDL: Bool) throws(MemFluxError) -> TableDefinition? {
        let key = TableDefinition.storageKey(name)
        if ownDDL, access.transaction != nil {
            return try Self.decode(access.read(key) { (v: borrowing Value?) in Self.document(v) })
        }
        let sequence = access.keyspace.lastCommit(key)
        if let entry = cache.withLock({ $0[name] }), entry.sequence == sequence { return entry.definition }
        let definition = try Self.decode(access.keyspace.read(key) { (v: borrowing Value?) in Self.document(v) })
        cache.withLock { $0[name] = Entry(sequence: sequence, definition: definition) }
        return definition
    }

    /// The commit sequence of `name`'s definition key: a cached plan is valid while these stay the same.
    func version(of name: String, in keyspace: Keyspace) -> UInt64 {
        keyspace.lastCommit(TableDefinition.storageKey(name))
    }

    /// `version(of:)` by the definition's storage key, for checks that run on every execution.
    func version(key: Bytes, in keyspace: Keyspace) -> UInt64 {
        keyspace.lastCommit(key)
    }

    private static func document(_ value: borrowing Value?) -> JSONValue? {
        switch value {
        case .json(let j)?: return j
        default: return nil
        }
    }

    private static func decode(_ document: JSONValue?) throws(MemFluxError) -> TableDefinition? {
        guard let document else { return nil }
        return try TableDefinition(document: document)
    }

    /// Stores (or with nil, drops) a definition through the statement's transaction.
    func store(_ definition: TableDefinition?, named name: String, in access: KeyAccess) {
        access.modify(TableDefinition.storageKey(name)) { slot in
            if let definition { slot.store(.json(definition.document)) } else { slot.delete() }
        }
    }
}
