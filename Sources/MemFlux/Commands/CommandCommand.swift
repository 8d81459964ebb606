// COMMAND [COUNT | INFO name... | DOCS name... | LIST | GETKEYS cmd arg...]:
// what clients learn about the command table (redis-cli, redis-py cluster
// mode). Each entry has Redis 7's ten-field shape:
//   [name, arity, flags, first key, last key, step, ACL categories, tips, key specs, subcommands]
// Docs carry the three mandatory fields (summary, since, group). The
// commands are the engine's and those of the front door, if one is attached.

import MemFluxCore

enum CommandCommand {
    static func run(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let args = c.args, database = c.database
        let all = database.commands.all + (database.frontDoor?.commands ?? [])
        if args.count == 1 { return .array(all.map(info)) }
        let sub = args[1]
        if sub.equalsIgnoringCase("count") {
            guard args.count == 2 else { throw .wrongArity("command|count") }
            return .integer(Int64(all.count))
        }
        if sub.equalsIgnoringCase("list") {
            return .array(all.map { .bulk($0.name) })
        }
        if sub.equalsIgnoringCase("info") {
            if args.count == 2 { return .array(all.map(info)) }
            return .array(args[2...].map { name in lookup(name, all).map(info) ?? .null })
        }
        if sub.equalsIgnoringCase("docs") {
            let chosen = args.count == 2 ? all : args[2...].compactMap { lookup($0, all) }
            var pairs: [Reply] = []
            for command in chosen {
                pairs.append(.bulk(command.name))
                pairs.append(docs(command))
            }
            return .map(pairs)
        }
        if sub.equalsIgnoringCase("getkeys") {
            guard args.count >= 3 else { throw .wrongArity("command|getkeys") }
            return try keys(Array(args[2...]), all)
        }
        throw MemFluxError(.err, "unknown subcommand '\(sub.string)'. Try COMMAND HELP.")
    }

    static func lookup(_ name: Bytes, _ all: [Command]) -> Command? {
        let lowered = name.lowercasedASCII().string
        return all.first { $0.name == lowered }
    }

    static func info(_ command: Command) -> Reply {
        let f = command.flags
        var flags: [Reply] = []
        var categories: [Reply] = []
        if f.contains(.write) {
            flags.append(.status("write"))
            categories.append(.status("@write"))
        }
        if f.contains(.readOnly) {
            flags.append(.status("readonly"))
            categories.append(.status("@read"))
        }
        if f.contains(.admin) {
            flags.append(.status("admin"))
            categories.append(.status("@admin"))
            categories.append(.status("@dangerous"))
        }
        if f.contains(.noAuth) { flags.append(.status("no_auth")) }
        if f.contains(.blocking) {
            flags.append(.status("blocking"))
            categories.append(.status("@blocking"))
        }
        categories.append(.status(f.contains(.mayRunLong) || f.contains(.blocking) ? "@slow" : "@fast"))
        return .array([
            .bulk(command.name), .integer(Int64(command.arity)), .set(flags),
            .integer(Int64(command.keys.first)), .integer(Int64(command.keys.last)), .integer(Int64(command.keys.step)),
            .set(categories), .emptyArray, .emptyArray, .emptyArray,
        ])
    }

    static func docs(_ command: Command) -> Reply {
        .map([
            .bulk("summary"), .bulk(""),
            .bulk("since"), .bulk("1.0.0"),
            .bulk("group"), .bulk(command.flags.contains(.admin) ? "server" : "generic"),
        ])
    }

    // COMMAND GETKEYS command arg ...: the key arguments by the command's first/last/step.
    static func keys(_ request: [Bytes], _ all: [Command]) throws(MemFluxError) -> Reply {
        guard let command = lookup(request[0], all) else { throw MemFluxError(.err, "Invalid command specified") }
        guard command.acceptsArgumentCount(request.count) else {
            throw MemFluxError(.err, "Invalid number of arguments specified for command")
        }
        let (first, last, step) = command.keys
        guard first > 0, step > 0 else { throw MemFluxError(.err, "The command has no key arguments") }
        let end = last < 0 ? request.count + last : min(last, request.count - 1)
        guard first <= end else { throw MemFluxError(.err, "The command has no key arguments") }
        return .bulkArray(stride(from: first, through: end, by: step).map { request[$0] })
    }
}
