// Server commands that make sense without a network: PING, ECHO, TIME,
// DBSIZE, FLUSHDB/FLUSHALL/WIPEDB, SELECT 0, MEMUSAGE, MEMORY USAGE, and
// SAVE / BGSAVE / LASTSAVE. The server
// module adds the connection-level ones (AUTH, HELLO, CLIENT, INFO...).

import MemFluxCore
import MemFluxStorage

enum ServerCommands {
    static let all: [Command] = [
        Command("ping", arity: -1, flags: .readOnly, ping),
        Command("echo", arity: 2, flags: .readOnly) { c throws(MemFluxError) in .bulk(c[1]) },
        Command("time", arity: 1, flags: .readOnly, time),
        Command("dbsize", arity: 1, flags: .readOnly) { c throws(MemFluxError) in .integer(Int64(c.keyspace.count())) },
        Command("flushdb", arity: -1, flags: .write, flush),
        Command("flushall", arity: -1, flags: .write, flush),
        // WIPEDB also drops the SQL catalog (later indexes and graphs): everything, system keys included.
        Command("wipedb", arity: 1, flags: .write, wipe),
        Command("select", arity: 2, flags: .readOnly, select),
        Command("memusage", arity: 1, flags: .readOnly, memusage),
        Command("memory", arity: -2, flags: .readOnly, memory),
        Command("save", arity: 1, flags: [.admin, .mayRunLong], save),
        Command("bgsave", arity: -1, flags: .admin, bgsave),
        Command("lastsave", arity: 1, flags: .readOnly) { c throws(MemFluxError) in
            let database = c.session.database
            return .integer(database.persistence?.saveStatus.lastSave ?? database.startTime)
        },
    ]

    static let persistenceDisabled = MemFluxError(.err, "persistence is disabled (persistence: false)")

    // SAVE: writes a snapshot before answering.
    static func save(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard let persistence = c.session.database.persistence else { throw persistenceDisabled }
        try persistence.save()
        return .ok
    }

    // BGSAVE [SCHEDULE]: starts a snapshot in the background.
    static func bgsave(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard c.count == 1 || (c.count == 2 && c[1].equalsIgnoringCase("schedule")) else { throw .syntax }
        guard let persistence = c.session.database.persistence else { throw persistenceDisabled }
        guard persistence.startBackgroundSave() else { throw MemFluxError(.err, "Background save already in progress") }
        return .status("Background saving started")
    }

    // PING [message]
    static func ping(_ c: CommandContext) throws(MemFluxError) -> Reply {
        switch c.count {
        case 1: return .status("PONG")
        case 2: return .bulk(c[1])
        default: throw .wrongArity("ping")
        }
    }

    // TIME
    static func time(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let micros = WallClock.nowMicroseconds()
        return .array([.bulk(Bytes(micros / 1_000_000)), .bulk(Bytes(micros % 1_000_000))])
    }

    // FLUSHDB [ASYNC | SYNC] / FLUSHALL [ASYNC | SYNC]
    static func flush(_ c: CommandContext) throws(MemFluxError) -> Reply {
        if c.count > 2 { throw .syntax }
        if c.count == 2 && !(c[1].equalsIgnoringCase("async") || c[1].equalsIgnoringCase("sync")) { throw .syntax }
        c.keyspace.removeAll()
        return .ok
    }

    // WIPEDB
    static func wipe(_ c: CommandContext) throws(MemFluxError) -> Reply {
        c.keyspace.removeAllIncludingSystemKeys()
        return .ok
    }

    // SELECT index: MemFlux has the one database 0.
    static func select(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let index = try c.int(1)
        guard index == 0 else { throw MemFluxError(.err, "DB index is out of range") }
        return .ok
    }

    // MEMUSAGE: estimated bytes held by keys and values.
    static func memusage(_ c: CommandContext) throws(MemFluxError) -> Reply {
        .integer(usedMemory(c.keyspace))
    }

    /// The engine's estimate of the bytes keys and values hold, as `access` sees them, and older versions.
    static func usedMemory(_ access: KeyAccess) -> Int64 {
        var total = 0
        access.forEach { key, value in total += keyOverhead + key.heapBytes + value.estimatedBytes }
        total += access.keyspace.olderVersionBytes()
        return Int64(total)
    }

    /// Per-key bytes besides the heap parts of key and value: an 80-byte
    /// table slot (short keys and values live inside it) at the table's
    /// typical ~60% load, plus the key's prefix-directory entry. Calibrated
    /// against process RSS with memflux-bench --only 5 (1M keys: 147 measured).
    static let keyOverhead = 144

    // MEMORY USAGE key [SAMPLES count]
    static func memory(_ c: CommandContext) throws(MemFluxError) -> Reply {
        guard c[1].equalsIgnoringCase("usage") else {
            throw MemFluxError(.err, "unknown subcommand '\(c[1].string)'. Try MEMORY HELP.")
        }
        guard c.count == 3 || (c.count == 5 && c[3].equalsIgnoringCase("samples")) else {
            throw c.count < 3 ? .wrongArity("memory|usage") : .syntax
        }
        if c.count == 5 { _ = try c.int(4) }
        let key = c[2]
        return c.keyspace.read(key) { value in
            guard let value else { return .null }
            return .integer(Int64(keyOverhead + key.heapBytes + value.estimatedBytes))
        }
    }
}
