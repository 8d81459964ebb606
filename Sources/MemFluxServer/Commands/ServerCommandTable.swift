// ServerCommandTable: the commands that belong to the network server rather
// than the engine: they read or change the connection (AUTH, HELLO, CLIENT,
// QUIT). INFO, CONFIG, SLOWLOG and COMMAND are engine commands, which the
// server extends as the database's FrontDoor. These are ordinary
// `Command` records (name, arity, flags as data) so the connection checks
// arity and AUTH for them on the same path as for engine commands, and
// COMMAND lists them; their bodies run in the connection handler, which
// switches on `ServerCommand`.

import MemFlux
import MemFluxCore

enum ServerCommand: Sendable {
    case auth, hello, quit, client
}

struct ServerCommandTable: Sendable {
    let table: CommandTable
    private let kinds: [ObjectIdentifier: ServerCommand]

    init() {
        let definitions: [(ServerCommand, Command)] = [
            (.auth, Self.define("auth", arity: -2, flags: .noAuth)),
            (.hello, Self.define("hello", arity: -1, flags: .noAuth)),
            (.quit, Self.define("quit", arity: -1, flags: .noAuth)),
            (.client, Self.define("client", arity: -2, flags: [])),
        ]
        table = CommandTable([definitions.map(\.1)])
        kinds = Dictionary(uniqueKeysWithValues: definitions.map { (ObjectIdentifier($0.1), $0.0) })
    }

    private static func define(_ name: String, arity: Int, flags: CommandFlags) -> Command {
        Command(name, arity: arity, flags: flags) { _ throws(MemFluxError) -> Reply in
            // Never reached: only the connection handler looks these up, and it runs them itself.
            throw MemFluxError(.err, "'\(name)' is only available on a server connection")
        }
    }

    func lookup(_ name: Bytes) -> (Command, ServerCommand)? {
        guard let command = table.lookup(name), let kind = kinds[ObjectIdentifier(command)] else { return nil }
        return (command, kind)
    }
}
