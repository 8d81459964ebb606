// CLIENT subcommands (Redis src/networking.c clientCommand): ID, SETNAME,
// GETNAME, LIST, INFO, KILL, SETINFO, NO-EVICT, NO-TOUCH. Other connections
// are reached through the server's client registry; killing one closes its
// channel, which may be done from any thread.

import MemFlux
import MemFluxCore
import NIOCore

extension ConnectionHandler {
    // CLIENT subcommand [argument ...]
    func clientCommand(_ args: [Bytes]) throws(MemFluxError) -> ServerOutcome {
        let sub = args[1]
        func arity(_ ok: Bool) throws(MemFluxError) {
            if !ok { throw .wrongArity("client|\(sub.lowercasedASCII().string)") }
        }
        if sub.equalsIgnoringCase("id") {
            try arity(args.count == 2)
            return .reply(.integer(session.id))
        }
        if sub.equalsIgnoringCase("setname") {
            try arity(args.count == 3)
            try Self.validateClientName(args[2])
            setClientName(args[2])
            return .reply(.ok)
        }
        if sub.equalsIgnoringCase("getname") {
            try arity(args.count == 2)
            return .reply(.optionalBulk(session.name))
        }
        if sub.equalsIgnoringCase("info") {
            try arity(args.count == 2)
            return .reply(.bulk(Bytes((client?.listLine(currentCommand: "client|info") ?? "") + "\n")))
        }
        if sub.equalsIgnoringCase("list") {
            return .reply(try clientList(args))
        }
        if sub.equalsIgnoringCase("kill") {
            try arity(args.count >= 3)
            return try clientKill(args)
        }
        if sub.equalsIgnoringCase("setinfo") {
            try arity(args.count == 4)
            let value = args[3].string
            if value.utf8.contains(where: { $0 < UInt8(ascii: "!") || $0 > UInt8(ascii: "~") }) {
                throw MemFluxError(.err, "\(args[2].string) cannot contain spaces, newlines or special characters.")
            }
            if args[2].equalsIgnoringCase("lib-name") {
                client?.info.withLock { $0.libraryName = value }
            } else if args[2].equalsIgnoringCase("lib-ver") {
                client?.info.withLock { $0.libraryVersion = value }
            } else {
                throw MemFluxError(.err, "Unrecognized option '\(args[2].string)'")
            }
            return .reply(.ok)
        }
        if sub.equalsIgnoringCase("no-evict") || sub.equalsIgnoringCase("no-touch") {
            try arity(args.count == 3)
            guard args[2].equalsIgnoringCase("on") || args[2].equalsIgnoringCase("off") else { throw .syntax }
            return .reply(.ok)
        }
        throw MemFluxError(.err, "unknown subcommand '\(sub.string)'. Try CLIENT HELP.")
    }

    // CLIENT LIST [TYPE NORMAL] [ID id [id ...]]
    private func clientList(_ args: [Bytes]) throws(MemFluxError) -> Reply {
        var ids: Set<Int64>?
        if args.count > 2 {
            if args[2].equalsIgnoringCase("type") && args.count == 4 {
                let type = args[3]
                if !(type.equalsIgnoringCase("normal") || type.equalsIgnoringCase("master")
                    || type.equalsIgnoringCase("replica") || type.equalsIgnoringCase("slave")
                    || type.equalsIgnoringCase("pubsub")) {
                    throw MemFluxError(.err, "Unknown client type '\(type.string)'")
                }
                if !type.equalsIgnoringCase("normal") { return .bulk(Bytes()) }
            } else if args[2].equalsIgnoringCase("id") && args.count >= 4 {
                var wanted = Set<Int64>()
                for arg in args[3...] {
                    guard let id = arg.parseInt64(), id > 0 else { throw MemFluxError(.err, "Invalid client ID") }
                    wanted.insert(id)
                }
                ids = wanted
            } else {
                throw .syntax
            }
        }
        var text = ""
        for other in server.clientList() where ids?.contains(other.id) ?? true {
            text += other.listLine(currentCommand: other.id == session.id ? "client|list" : nil) + "\n"
        }
        return .bulk(Bytes(text))
    }

    // CLIENT KILL ip:port | CLIENT KILL <ID id | ADDR ip:port | LADDR ip:port | SKIPME yes/no | ...> ...
    private func clientKill(_ args: [Bytes]) throws(MemFluxError) -> ServerOutcome {
        if args.count == 3 {
            // The old form: one address, OK or an error.
            let address = args[2].string
            guard let target = server.clientList().first(where: { $0.address == address }) else {
                throw MemFluxError(.err, "No such client")
            }
            return kill([target], reply: .ok)
        }
        guard args.count % 2 == 0 else { throw .syntax }
        var id: Int64?, address: String?, localAddress: String?
        var skipMe = true
        var i = 2
        while i < args.count {
            let option = args[i], value = args[i + 1]
            if option.equalsIgnoringCase("id") {
                guard let n = value.parseInt64(), n > 0 else {
                    throw MemFluxError(.err, "client-id should be greater than 0")
                }
                id = n
            } else if option.equalsIgnoringCase("addr") {
                address = value.string
            } else if option.equalsIgnoringCase("laddr") {
                localAddress = value.string
            } else if option.equalsIgnoringCase("skipme") {
                if value.equalsIgnoringCase("yes") {
                    skipMe = true
                } else if value.equalsIgnoringCase("no") {
                    skipMe = false
                } else {
                    throw .syntax
                }
            } else if option.equalsIgnoringCase("type") {
                if !value.equalsIgnoringCase("normal") { return .reply(.zero) }
            } else if option.equalsIgnoringCase("user") {
                if !(value == "default") { return .reply(.zero) }
            } else {
                throw .syntax
            }
            i += 2
        }
        let targets = server.clientList().filter { other in
            (id == nil || other.id == id) && (address == nil || other.address == address)
                && (localAddress == nil || other.localAddress == localAddress)
                && !(skipMe && other.id == session.id)
        }
        return kill(targets, reply: .integer(Int64(targets.count)))
    }

    /// Closes `targets`; this connection itself is closed after the reply is written.
    private func kill(_ targets: [ClientHandle], reply: Reply) -> ServerOutcome {
        var killSelf = false
        for target in targets {
            if target.id == session.id {
                killSelf = true
            } else {
                target.channel.close(promise: nil)
            }
        }
        return killSelf ? .replyThenClose(reply) : .reply(reply)
    }
}
