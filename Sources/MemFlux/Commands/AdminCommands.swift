// The commands that report on and adjust the database itself: INFO, CONFIG,
// SLOWLOG and COMMAND. They are engine commands, so every front door answers
// them alike; a server adds its own part through its FrontDoor.

enum AdminCommands {
    static let all: [Command] = [
        // INFO's memory and keyspace sections walk the keyspace: a server runs it off its event loops.
        Command("info", arity: -1, flags: .mayRunLong, InfoCommand.run),
        Command("config", arity: -2, flags: .admin, ConfigCommand.run),
        Command("slowlog", arity: -2, flags: .admin, SlowlogCommand.run),
        Command("command", arity: -1, flags: [], CommandCommand.run),
    ]
}
