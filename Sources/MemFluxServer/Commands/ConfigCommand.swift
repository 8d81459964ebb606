// CONFIG GET / SET / RESETSTAT / REWRITE over the keys of ConfigKeys.
// GET takes glob patterns (case-insensitive) and answers name/value pairs
// (a RESP3 map, a flat RESP2 array); SET checks every pair before changing
// anything, and only keys the server reads while running may change.

import MemFlux
import MemFluxCore

enum ConfigCommand {
    static func run(_ args: [Bytes], _ server: ServerState) throws(MemFluxError) -> Reply {
        let sub = args[1]
        if sub.equalsIgnoringCase("get") {
            guard args.count >= 3 else { throw .wrongArity("config|get") }
            return get(Array(args[2...]), server.configuration)
        }
        if sub.equalsIgnoringCase("set") {
            guard args.count >= 4 && args.count % 2 == 0 else { throw .wrongArity("config|set") }
            try set(Array(args[2...]), server)
            return .ok
        }
        if sub.equalsIgnoringCase("resetstat") {
            guard args.count == 2 else { throw .wrongArity("config|resetstat") }
            server.stats.reset()
            server.totalCommands.store(0, ordering: .relaxed)
            server.totalConnections.store(0, ordering: .relaxed)
            server.rejectedConnections.store(0, ordering: .relaxed)
            return .ok
        }
        if sub.equalsIgnoringCase("rewrite") {
            guard args.count == 2 else { throw .wrongArity("config|rewrite") }
            try ConfigFile.rewrite(path: server.configFile, server.configuration)
            return .ok
        }
        throw MemFluxError(.err, "unknown subcommand '\(sub.string)'. Try CONFIG HELP.")
    }

    static func get(_ patterns: [Bytes], _ config: Configuration) -> Reply {
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
                for name in ConfigKeys.names where glob.matches(Bytes(name)) {
                    if let value = ConfigKeys.get(name, config) { add(name, value) }
                }
            } else if let value = ConfigKeys.get(ConfigKeys.aliases[text] ?? text, config) {
                add(text, value)
            } else if let value = ConfigKeys.derived(text, config) {
                add(text, value)
            }
        }
        return .map(pairs)
    }

    static func set(_ pairs: [Bytes], _ server: ServerState) throws(MemFluxError) {
        var updated = server.configuration
        var seen = Set<String>()
        for i in stride(from: 0, to: pairs.count, by: 2) {
            let asked = pairs[i].lowercasedASCII().string
            let name = ConfigKeys.aliases[asked] ?? asked
            guard ConfigKeys.get(name, updated) != nil else {
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
        server.updateConfiguration { $0 = updated }
    }
}
