// The command table: every command's name, arity, flags and handler, as data
// (Redis's src/commands/*.json). Arity and flags are checked once, by the
// session, before any handler runs; handlers can rely on the argument count.
//
// Arity follows Redis: positive means exactly that many arguments including
// the command name, negative means at least that many.

import MemFluxCore

public struct CommandFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let write = CommandFlags(rawValue: 1 << 0)
    public static let readOnly = CommandFlags(rawValue: 1 << 1)
    public static let admin = CommandFlags(rawValue: 1 << 2)
    /// Allowed before AUTH when a password is set.
    public static let noAuth = CommandFlags(rawValue: 1 << 3)
    /// May park the connection (BLPOP and friends).
    public static let blocking = CommandFlags(rawValue: 1 << 4)
    /// May take long; the server runs it off the event loop.
    public static let mayRunLong = CommandFlags(rawValue: 1 << 5)
    /// Runs at once between MULTI and EXEC instead of being queued (EXEC, DISCARD, WATCH...).
    public static let transactionControl = CommandFlags(rawValue: 1 << 6)
    /// BEGIN ... COMMIT control (BEGIN, COMMIT, ROLLBACK, savepoints): refused
    /// between MULTI and EXEC, where it would end or nest EXEC's own transaction.
    public static let transactionBlock = CommandFlags(rawValue: 1 << 7)
}

public typealias CommandHandler = @Sendable (CommandContext) throws(MemFluxError) -> Reply

/// A command that may wait for data: `attempt` answers nil when it would block
/// on `keys` until `timeout` (seconds, 0 = forever).
public struct BlockingHandler: Sendable {
    public var parse: @Sendable (CommandContext) throws(MemFluxError) -> (keys: [Bytes], timeout: Double)
    public var attempt: @Sendable (CommandContext) throws(MemFluxError) -> Reply?
    public var timeoutReply: Reply
}

/// A class, so a lookup hands out a reference rather than copying the record.
public final class Command: Sendable {
    public let name: String
    public let arity: Int
    public let flags: CommandFlags
    /// Key positions, as COMMAND INFO reports them: first, last (-1 = last argument), step.
    public let keys: (first: Int, last: Int, step: Int)
    /// Exactly one is set. Two optionals rather than an enum, so dispatch
    /// reads one closure instead of copying an enum payload.
    public let handler: CommandHandler?
    public let blocking: BlockingHandler?
    /// For a `.mayRunLong` command: whether this call is known to be short
    /// (a SQL statement by primary key), so the server runs it on the event
    /// loop instead of paying a hop to the thread pool.
    public let runsShort: (@Sendable (Session, [Bytes]) -> Bool)?

    public init(
        _ name: String, arity: Int, flags: CommandFlags, keys: (Int, Int, Int) = (0, 0, 0),
        runsShort: (@Sendable (Session, [Bytes]) -> Bool)? = nil, _ handler: @escaping CommandHandler
    ) {
        self.name = name
        self.arity = arity
        self.flags = flags
        self.keys = keys
        self.handler = handler
        self.blocking = nil
        self.runsShort = runsShort
    }

    public init(_ name: String, arity: Int, flags: CommandFlags, keys: (Int, Int, Int), blocking: BlockingHandler) {
        self.name = name
        self.arity = arity
        self.flags = flags.union(.blocking)
        self.keys = keys
        self.handler = nil
        self.blocking = blocking
        self.runsShort = nil
    }

    @inlinable
    public func acceptsArgumentCount(_ count: Int) -> Bool {
        arity >= 0 ? count == arity : count >= -arity
    }
}

/// Name lookup: an open-addressing table keyed by the name's cached hash, so
/// a lookup costs one probe and one byte compare (no re-hashing). Both the
/// lower- and upper-case spellings are stored so the usual request needs no
/// case folding; mixed case falls back to folding.
///
/// A class: the table is built once and shared, and a lookup through
/// `database.commands` must not copy (retain) its arrays.
public final class CommandTable: Sendable {
    public let all: [Command]
    private let names: [Bytes]
    private let targets: [Int]
    /// Indexes into `names`/`targets`, -1 for empty; a power-of-two size at most 1/4 full.
    private let slots: [Int]

    public init(_ families: [[Command]]) {
        var all: [Command] = []
        var names: [Bytes] = []
        var targets: [Int] = []
        for command in families.joined() {
            all.append(command)
            for spelling in [command.name, command.name.uppercased()] {
                names.append(Bytes(spelling))
                targets.append(all.count - 1)
            }
        }
        var size = 16
        while size < names.count * 4 { size *= 2 }
        var slots = Array(repeating: -1, count: size)
        for (n, name) in names.enumerated() {
            var i = name.fastHash & (size - 1)
            while slots[i] >= 0 { i = (i + 1) & (size - 1) }
            slots[i] = n
        }
        (self.all, self.names, self.targets, self.slots) = (all, names, targets, slots)
    }

    public func lookup(_ name: Bytes) -> Command? {
        if let c = exactLookup(name) { return c }
        return exactLookup(name.lowercasedASCII())
    }

    @inline(__always)
    private func exactLookup(_ name: Bytes) -> Command? {
        let mask = slots.count - 1
        var i = name.fastHash & mask
        while true {
            let n = slots[i]
            if n < 0 { return nil }
            if names[n] == name { return all[targets[n]] }
            i = (i + 1) & mask
        }
    }
}
