// CONFIG GET / SET / RESETSTAT / REWRITE over the keys of ConfigKeys.
// GET takes glob patterns (case-insensitive) and answers name/value pairs
// (a RESP3 map, a flat RESP2 array); SET checks every pair before changing
// anything, and only keys read while running may change. Without a server
// the network keys do not exist: GET leaves them out and SET refuses them.

import MemFluxCore

enum ConfigCommand {
    static func run(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let args = c.args, database = c.database
        let sub = args[1]
        if sub.equalsIgnoringCase("get") {
            guard args.count >= 3 else { throw .wrongArity("config|get") }
            return get(Array(args[2...]), database)
        }
        if sub.equalsIgnoringCase("set") {
            guard args.count >= 4 && args.count % 2 == 0 else { throw .wrongArity("config|set") }
            try set(Array(args[2...]), database)
            return .ok
        }
        if sub.equalsIgnoringCase("resetstat") {
            guard args.count == 2 else { throw .wrongArity("config|resetstat") }
            database.statistics.reset()
            database.frontDoor?.resetStatistics()
            return .ok
        }
        if sub.equalsIgnoringCase("rewrite") {
            guard args.count == 2 else { throw .wrongArity("config|rewrite") }
            guard let file = database.frontDoor?.configFile else {
                throw MemFluxError(.err, "The server is running without a config file")
            }
            try ConfigFile.rewrite(path: file, database.settings.current)
            return .ok
        }
        throw MemFluxError(.err, "unknown subcommand '\(sub.string)'. Try CONFIG HELP.")
    }

    /// Whether `name` is a key of this database: the network keys only with a server.
    private static func exists(_ name: String, _ database: Database) -> Bool {
        database.frontDoor != nil || !ConfigFile.networkKeys.contains(name)
    }

    static func get(_ patterns: [Bytes], _ database: Database) -> Reply {
        let config = database.settings.current
        var seen = Set<String>()
        var pairs: [Reply] = []
        func add(_ name: String, _ value: String) {
            guard seen.insert(name).inserted else { return }
            pairs.append(.bulk(name))
            pairs.append(.bulk(value))
        }
        for pattern in patterns {
            let lowered = pattern.lowercasedASCII()
            let text = lowered.string
            if text.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
                let glob = GlobPattern(lowered)
                for name in ConfigKeys.names where glob.matches(Bytes(name)) && exists(name, database) {
                    if let value = ConfigKeys.get(name, config) { add(name, value) }
                }
            } else if let name = Optional(ConfigKeys.aliases[text] ?? text), exists(name, database),
                let value = ConfigKeys.get(name, config)
            {
                add(text, value)
            } else if let value = ConfigKeys.derived(text, config) {
                add(text, value)
            }
        }
        return .map(pairs)
    }

    static func set(_ pairs: [Bytes], _ database: Database) throws(MemFluxError) {
        var updated = database.settings.current
        var seen = Set<String>()
        for i in stride(from: 0, to: pairs.count, by: 2) {
            let asked = pairs[i].lowercasedASCII().string
            let name = ConfigKeys.aliases[asked] ?? asked
            guard exists(name, database), ConfigKeys.get(name, updated) != nil else {
                throw MemFluxError(.err, "Unknown option or number of arguments for CONFIG SET - '\(asked)'")
            }
            func failed(_ reason: String) -> MemFluxError {
                MemFluxError(.err, "CONFIG SET failed (possibly related to argument '\(asked)') - \(reason)")
            }
            guard seen.insert(name).inserted else { throw failed("duplicate parameter") }
            guard ConfigKeys.runtime.contains(name) else { throw failed("can't set immutable config") }
            do throws(ConfigValueError) {
                try ConfigKeys.set(name, .text(pairs[i + 1].string), &updated)
            } catch {
                throw failed(error.reason)
            }
        }
        let now = database.settings.update { $0 = updated }
        database.slowlog.trim(to: now.slowlogMaxLen)
    }
}
