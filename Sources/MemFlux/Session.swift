// Session: one client's context — the connection's state in the server, a
// handle in the embedded API. It looks commands up, checks arity, and runs
// them; every command is its own atomic transaction (auto-commit).
//
// A session is used by one thread at a time.

import Dispatch
import MemFluxCore
import MemFluxStorage

public final class Session: @unchecked Sendable {
    // @unchecked: a session is confined to one thread at a time by contract
    // (one connection, or one embedded caller); it holds no shared mutable state.
    public let database: Database
    public let id: Int64
    /// CLIENT SETNAME's name.
    public var name: Bytes?

    init(database: Database, id: Int64) {
        self.database = database
        self.id = id
    }

    /// Runs one command, e.g. `["SET", "k", "v"]`; command errors are thrown.
    /// Blocking commands (BLPOP...) wait on the calling thread.
    ///
    /// - Complexity: that of the command (O(1) for GET, SET, LPUSH...).
    public func execute(_ args: [Bytes]) throws(MemFluxError) -> Reply {
        let command = try resolve(args)
        let context = CommandContext(args: args, session: self)
        switch command.body {
        case .immediate(let handler):
            return try handler(context)
        case .blocking(let blocking):
            return try waitFor(blocking, context)
        }
    }

    public func execute(_ args: [String]) throws(MemFluxError) -> Reply {
        try execute(args.map { Bytes($0) })
    }

    /// Runs one command and answers its error as a reply instead of throwing.
    public func reply(_ args: [Bytes]) -> Reply {
        do { return try execute(args) } catch { return .error(error) }
    }

    /// The command for `args`, with arity checked.
    public func resolve(_ args: [Bytes]) throws(MemFluxError) -> Command {
        guard let name = args.first else { throw MemFluxError(.err, "empty command") }
        guard let command = database.commands.lookup(name) else {
            throw .unknownCommand(name.string, args: args.dropFirst().map(\.string))
        }
        guard command.acceptsArgumentCount(args.count) else { throw .wrongArity(command.name) }
        return command
    }

    /// Parks on the command's keys until it can answer or times out. The
    /// waiter is parked before each attempt, so a push between an empty
    /// attempt and the wait still wakes it.
    private func waitFor(_ blocking: BlockingHandler, _ context: CommandContext) throws(MemFluxError) -> Reply {
        let (keys, timeout) = try blocking.parse(context)
        let deadline: DispatchTime = timeout == 0 ? .distantFuture : .now() + .nanoseconds(Int(timeout * 1e9))
        let semaphore = DispatchSemaphore(value: 0)
        let waiter = BlockingWaiter { semaphore.signal() }
        while true {
            database.blocking.park(waiter, on: keys)
            let reply: Reply?
            do {
                reply = try blocking.attempt(context)
            } catch {
                database.blocking.unpark(waiter, from: keys)
                throw error
            }
            if let reply {
                database.blocking.unpark(waiter, from: keys)
                return reply
            }
            let woken = semaphore.wait(timeout: deadline) == .success
            database.blocking.unpark(waiter, from: keys)
            if !woken { return blocking.timeoutReply }
        }
    }
}
