// The request path of a connection: look the command up (engine table, then
// the server's), check arity and AUTH once, then run it — inline for the
// usual command, parked for a blocking one, on the thread pool for one that
// may run long, here in the handler for a server command. Every path ends
// in `recordCall`, which feeds INFO commandstats and the slow log (the
// database's, which the embedded API feeds too).

import MemFlux
import MemFluxCore
import NIOCore

extension MemFluxError {
    static let noAuthRequired = MemFluxError(.noAuth, "Authentication required.")
}

extension ConnectionHandler {
    func dispatch(_ args: [Bytes]) {
        let name = args[0]
        let command: Command
        var serverCommand: ServerCommand?
        if let found = server.database.commands.lookup(name) {
            command = found
        } else if let (found, kind) = server.serverCommands.lookup(name) {
            command = found
            serverCommand = kind
        } else {
            session.rejectWhileQueueing()
            write(.error(.unknownCommand(name.string, args: args.dropFirst().map(\.string))))
            return
        }
        stats.switchTo(command, in: serverCommand == nil ? server.database.statistics : server.statistics)
        guard command.acceptsArgumentCount(args.count) else {
            stats.rejected += 1
            session.rejectWhileQueueing()
            write(.error(.wrongArity(command.name)))
            return
        }
        guard authenticated || command.flags.contains(.noAuth) else {
            stats.rejected += 1
            write(.error(.noAuthRequired))
            return
        }
        if command.keys.first > 0 {
            do {
                try Session.refuseSystemKeys(command, args)
            } catch {
                stats.rejected += 1
                session.rejectWhileQueueing()
                write(.error(error))
                return
            }
        }
        if let serverCommand {
            // Connection commands act on the connection, not on data: they
            // cannot be queued in MULTI (QUIT still ends the connection).
            if session.isQueueing && serverCommand != .quit {
                stats.rejected += 1
                session.rejectWhileQueueing()
                write(.error(MemFluxError(.err, "\(command.name.uppercased()) cannot be used inside MULTI")))
                return
            }
            runServerCommand(serverCommand, args)
            return
        }
        // Queued in MULTI, or run without blocking inside a transaction, by the session.
        guard command.handler != nil || session.isInTransaction else {
            if command.flags.contains(.write) { needsAcknowledgement = true }
            startBlocking(command, args)
            return
        }
        if command.flags.contains(.mayRunLong) && !(command.runsShort?(session, args) ?? false) {
            if command.flags.contains(.write) { needsAcknowledgement = true }
            let session = self.session
            offload(args) { () throws(MemFluxError) -> Reply in try session.execute(command, args) }
            return
        }
        // Timed from `clockMark`: the end of the previous command or the start
        // of this read, so the time also covers decoding this request.
        let start = clockMark
        // The reply waits for the log only if the command logged something
        // (a refused or no-op write does not wait).
        let mark = server.database.durabilityMark()
        do {
            let reply = try session.execute(command, args)
            write(reply)
            recordCall(args, since: start, failed: false)
        } catch {
            write(.error(error))
            recordCall(args, since: start, failed: true)
        }
        if acknowledgements != nil, server.database.mustAwaitDurability(since: mark) { needsAcknowledgement = true }
        // CONFIG SET proto_max_bulk_len applies to this connection at once (others pick it up when they connect).
        if command.flags.contains(.admin) { decoder.maxBulkLength = server.configuration.protoMaxBulkLen }
    }

    /// Counts a finished call and logs it when slow.
    func recordCall(_ args: [Bytes], since start: Int64, failed: Bool) {
        clockMark = MonotonicClock.nowMicroseconds()
        recordCall(args, microseconds: clockMark - start, failed: failed)
    }

    func recordCall(_ args: [Bytes], microseconds: Int64, failed: Bool) {
        stats.calls += 1
        stats.total += 1
        stats.microseconds += Int(microseconds)
        if failed { stats.failed += 1 }
        let settings = server.database.settings
        let threshold = settings.slowlogThreshold.load(ordering: .relaxed)
        if threshold >= 0 && microseconds >= threshold {
            server.database.slowlog.record(
                args: args, microseconds: microseconds, client: client?.address ?? "?:0",
                name: session.name?.string ?? "", maxLength: settings.slowlogMaxLength.load(ordering: .relaxed))
        }
    }

    /// What a server command does after computing its reply.
    enum ServerOutcome {
        case reply(Reply)
        /// QUIT, CLIENT KILL of this client: answer, then close.
        case replyThenClose(Reply)
    }

    func runServerCommand(_ kind: ServerCommand, _ args: [Bytes]) {
        let start = MonotonicClock.nowMicroseconds()
        let outcome: ServerOutcome
        do {
            switch kind {
            case .auth: outcome = .reply(try auth(args))
            case .hello: outcome = .reply(try hello(args))
            case .quit: outcome = .replyThenClose(.ok)
            case .client: outcome = try clientCommand(args)
            }
        } catch {
            write(.error(error))
            recordServerCall(kind, args, since: start, failed: true)
            return
        }
        switch outcome {
        case .reply(let reply):
            write(reply)
            recordServerCall(kind, args, since: start, failed: false)
        case .replyThenClose(let reply):
            write(reply)
            recordServerCall(kind, args, since: start, failed: false)
            closing = true
        }
    }

    /// AUTH and HELLO carry passwords: counted, never written to the slow log.
    private func recordServerCall(_ kind: ServerCommand, _ args: [Bytes], since start: Int64, failed: Bool) {
        if kind == .auth || kind == .hello {
            stats.calls += 1
            stats.total += 1
            stats.microseconds += Int(MonotonicClock.nowMicroseconds() - start)
            if failed { stats.failed += 1 }
        } else {
            recordCall(args, since: start, failed: failed)
        }
    }
}
