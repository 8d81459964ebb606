// FrontDoor: what a front door with state of its own (the network server)
// lends the engine's INFO, CONFIG and COMMAND, so those commands exist once,
// in the engine, and answer the same through every door: the Swift API and
// the C ABI answer them without a server, and a server adds its clients, its
// port and its own commands.

public protocol FrontDoor: AnyObject, Sendable {
    /// Commands the front door serves itself (AUTH, HELLO, CLIENT, QUIT): COMMAND lists them.
    var commands: [Command] { get }
    /// Their counters, for INFO commandstats.
    var statistics: CommandStats { get }
    /// Lines the front door adds to INFO's `section` ("server", "clients", "stats" ...).
    func infoFields(_ section: String) -> [(String, String)]
    /// The file CONFIG REWRITE writes; nil when there is none.
    var configFile: String? { get }
    /// CONFIG RESETSTAT: the front door's own counters.
    func resetStatistics()
}
