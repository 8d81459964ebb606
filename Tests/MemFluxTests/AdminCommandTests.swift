// INFO, CONFIG, SLOWLOG and COMMAND through the embedded API alone (no
// server), and what a front door adds to them when one is attached.

import MemFlux
import MemFluxCore
import Synchronization
import Testing

/// INFO's text as field -> value.
private func infoFields(_ reply: Reply) -> [String: String] {
    guard case .bulk(let text) = reply else { return [:] }
    var fields: [String: String] = [:]
    for line in text.string.split(separator: "\r\n") where !line.hasPrefix("#") {
        let parts = line.split(separator: ":", maxSplits: 1)
        if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
    }
    return fields
}

private func mapPairs(_ reply: Reply) -> [String: String] {
    guard case .map(let items) = reply else { return [:] }
    var pairs: [String: String] = [:]
    for i in stride(from: 0, to: items.count - 1, by: 2) {
        if case .bulk(let k) = items[i], case .bulk(let v) = items[i + 1] { pairs[k.string] = v.string }
    }
    return pairs
}

private final class FakeFrontDoor: FrontDoor {
    let commands = [Command("hello", arity: -1, flags: .noAuth) { _ throws(MemFluxError) in .ok }]
    let statistics: CommandStats
    let configFile: String? = nil
    let resets = Atomic<Int>(0)

    init() { statistics = CommandStats(commands) }

    func infoFields(_ section: String) -> [(String, String)] {
        section == "clients" ? [("connected_clients", "42")] : section == "server" ? [("tcp_port", "1234")] : []
    }

    func resetStatistics() { resets.add(1, ordering: .relaxed) }
}

@Suite struct AdminCommandTests {
    @Test func infoWithoutAServer() throws {
        let h = try Harness()
        let other = h.db.session()
        h("SET", "k", "v")
        h("GET", "k")
        _ = try h.session.sql("SELECT 1")
        let fields = infoFields(h("INFO"))
        #expect(fields["redis_version"] == InfoCommand.redisVersion)
        #expect(fields["connected_clients"] == "2")
        #expect(fields["tcp_port"] == nil)
        #expect(fields["db0"] == "keys=1,expires=0,avg_ttl=0")
        #expect(fields["total_commands_processed"] == "3")
        #expect(fields["cmdstat_get"] == nil)  // commandstats is not a default section
        let stats = infoFields(h("INFO", "commandstats"))
        #expect(stats["cmdstat_memusage"] == nil)  // INFO runs no command to learn the memory used
        #expect(stats["cmdstat_get"]?.hasPrefix("calls=1,usec=") == true)
        #expect(stats["cmdstat_sql"]?.hasPrefix("calls=1,") == true)
        #expect(stats["cmdstat_info"]?.hasPrefix("calls=1,") == true)
        _ = other
    }

    @Test func configWithoutAServerHasNoNetworkKeys() throws {
        let h = try Harness()
        #expect(mapPairs(h("CONFIG", "GET", "slowlog-max-len")) == ["slowlog-max-len": "128"])
        #expect(mapPairs(h("CONFIG", "GET", "port")) == [:])
        #expect(mapPairs(h("CONFIG", "GET", "*")).keys.contains("durability"))
        #expect(!mapPairs(h("CONFIG", "GET", "*")).keys.contains("requirepass"))
        #expect(h("CONFIG", "SET", "requirepass", "x")
            == .error(MemFluxError(.err, "Unknown option or number of arguments for CONFIG SET - 'requirepass'")))
        #expect(h("CONFIG", "SET", "durability", "full")
            == .error(MemFluxError(.err, "CONFIG SET failed (possibly related to argument 'durability') - can't set immutable config")))
        #expect(h("CONFIG", "REWRITE") == .error(MemFluxError(.err, "The server is running without a config file")))
        #expect(h("CONFIG", "SET", "slowlog_max_len", "5") == .ok)
        #expect(h.db.settings.current.slowlogMaxLen == 5)
        #expect(h.db.settings.slowlogMaxLength.load(ordering: .relaxed) == 5)
    }

    @Test func slowlogRecordsEmbeddedCalls() throws {
        let h = try Harness()
        #expect(h("CONFIG", "SET", "slowlog-log-slower-than", "0") == .ok)
        h.session.name = Bytes("worker")
        h("SET", "k", "v")
        guard case .array(let entries) = h("SLOWLOG", "GET", "1"), case .array(let entry)? = entries.first else {
            Issue.record("SLOWLOG GET")
            return
        }
        // The newest entry is the CONFIG SET's or the SET's: both came through the embedded API.
        #expect(entry.count == 6 && entry[4] == .bulk("embedded") && entry[5] == .bulk("worker"))
        guard case .integer(let length) = h("SLOWLOG", "LEN") else { Issue.record("SLOWLOG LEN"); return }
        #expect(length >= 2)
        #expect(h("CONFIG", "SET", "slowlog-log-slower-than", "-1") == .ok)
        #expect(h("SLOWLOG", "RESET") == .ok)
        h("GET", "k")
        #expect(h("SLOWLOG", "LEN") == .integer(0))
    }

    @Test func configResetstatClearsTheCounts() throws {
        let h = try Harness()
        h("SET", "k", "v")
        #expect(h("CONFIG", "RESETSTAT") == .ok)
        #expect(infoFields(h("INFO", "stats"))["total_commands_processed"] == "1")  // the INFO itself... and RESETSTAT
    }

    @Test func commandListsTheEngineCommands() throws {
        let h = try Harness()
        #expect(h("COMMAND", "COUNT") == .integer(Int64(h.db.commands.all.count)))
        guard case .array(let info) = h("COMMAND", "INFO", "get", "nosuch"), info.count == 2, case .array(let get) = info[0] else {
            Issue.record("COMMAND INFO")
            return
        }
        #expect(get[0] == .bulk("get") && get[1] == .integer(2) && info[1] == .null)
        #expect(h("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2") == .array([.bulk("a"), .bulk("b")]))
    }

    @Test func anAttachedFrontDoorAddsItsPart() throws {
        let h = try Harness()
        let door = FakeFrontDoor()
        h.db.attach(door)
        let fields = infoFields(h("INFO"))
        #expect(fields["connected_clients"] == "42" && fields["tcp_port"] == "1234")
        #expect(h("COMMAND", "COUNT") == .integer(Int64(h.db.commands.all.count + 1)))
        #expect(mapPairs(h("CONFIG", "GET", "port")) == ["port": "8360"])
        #expect(h("CONFIG", "SET", "maxclients", "10") == .ok)
        #expect(h.db.settings.current.maxClients == 10)
        #expect(h("CONFIG", "RESETSTAT") == .ok)
        #expect(door.resets.load(ordering: .relaxed) == 1)
    }

    @Test func durabilityIsDecidedByTheDatabase() throws {
        let h = try Harness()
        // Without persistence nothing ever waits.
        let mark = h.db.durabilityMark()
        h("SET", "k", "v")
        #expect(!h.db.mustAwaitDurability(since: mark) && h.db.isDurable && h.db.makeDurable())
    }
}
