// INFO [section ...] in Redis's text format: `# Section` headers, `field:value`
// lines ending in CRLF, a blank line between sections. Sections: server,
// clients, memory, persistence, stats, replication, cpu, commandstats,
// keyspace; `default` (no argument) is all but commandstats, `all` and
// `everything` add it. A front door (the server) adds its lines to each
// section: its port, its clients, its connection counts.

import MemFluxCore
import MemFluxStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum InfoCommand {
    /// The Redis version MemFlux answers as (INFO's redis_version, HELLO's version).
    public static let redisVersion = "7.2.0"
    static let defaultSections = ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "keyspace"]
    static let allSections = ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "commandstats", "keyspace"]

    static func run(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let args = c.args
        var wanted = Set<String>()
        if args.count == 1 { wanted.formUnion(defaultSections) }
        for arg in args.dropFirst() {
            let name = arg.lowercasedASCII().string
            switch name {
            case "default": wanted.formUnion(defaultSections)
            case "all", "everything": wanted.formUnion(allSections)
            default: wanted.insert(name)
            }
        }
        var text = ""
        for section in allSections where wanted.contains(section) {
            if !text.isEmpty { text += "\r\n" }
            text += render(section, c.session)
        }
        return .bulk(Bytes(text))
    }

    private static func render(_ section: String, _ session: Session) -> String {
        let database = session.database
        let config = database.settings.current
        let frontDoor = database.frontDoor
        var lines: [(String, String)] = []
        switch section {
        case "server":
            let uptime = WallClock.nowMilliseconds() / 1000 - database.startTime
            lines = [
                ("redis_version", redisVersion), ("redis_mode", "standalone"), ("os", osName()),
                ("arch_bits", String(Int.bitWidth)),
                ("process_id", String(getpid())), ("run_id", database.runID),
                ("server_time_usec", String(WallClock.nowMicroseconds())),
                ("uptime_in_seconds", String(uptime)), ("uptime_in_days", String(uptime / 86_400)),
                ("memflux_version", MemFluxVersion.current),
            ]
        case "clients":
            // Without a server, a client is a session; a server counts its connections instead.
            if frontDoor == nil { lines = [("connected_clients", String(database.openSessions.load(ordering: .relaxed)))] }
        case "memory":
            let used = usedMemory(session)
            let limit = Int64(config.maxMemoryMB) * 1024 * 1024
            lines = [
                ("used_memory", String(used)), ("used_memory_human", human(used)),
                ("maxmemory", String(limit)), ("maxmemory_human", human(limit)),
                ("maxmemory_policy", config.evictionPolicy.rawValue),
            ]
        case "persistence":
            lines = persistenceLines(database)
        case "stats":
            lines = [
                ("total_commands_processed", String(database.statistics.totalCommands.load(ordering: .relaxed))),
                ("slowlog_len", String(database.slowlog.count)),
            ]
        case "replication":
            lines = [("role", "master"), ("connected_slaves", "0"), ("master_repl_offset", "0")]
        case "cpu":
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            lines = [
                ("used_cpu_sys", seconds(usage.ru_stime)),
                ("used_cpu_user", seconds(usage.ru_utime)),
            ]
        case "commandstats":
            for counter in database.statistics.ordered + (frontDoor?.statistics.ordered ?? []) {
                let calls = counter.calls.load(ordering: .relaxed)
                let failed = counter.failed.load(ordering: .relaxed)
                let rejected = counter.rejected.load(ordering: .relaxed)
                guard calls + rejected > 0 else { continue }
                let usec = counter.microseconds.load(ordering: .relaxed)
                let perCall = calls > 0 ? fixed2(Int64(usec) * 100 / Int64(calls)) : "0.00"
                lines.append(("cmdstat_\(counter.name)",
                    "calls=\(calls),usec=\(usec),usec_per_call=\(perCall),rejected_calls=\(rejected),failed_calls=\(failed)"))
            }
        case "keyspace":
            let keys = database.keyspace.count()
            if keys > 0 { lines = [("db0", "keys=\(keys),expires=0,avg_ttl=0")] }
        default:
            break
        }
        if section != "commandstats", let frontDoor { lines += frontDoor.infoFields(section) }
        let title = section == "cpu" ? "CPU" : section.prefix(1).uppercased() + section.dropFirst()
        var text = "# \(title)\r\n"
        for (name, value) in lines { text += "\(name):\(value)\r\n" }
        return text
    }

    /// The engine's estimate of bytes held by keys and values (MEMUSAGE),
    /// read outside the caller's transaction, so INFO adds nothing to it.
    static func usedMemory(_ session: Session) -> Int64 {
        ServerCommands.usedMemory(KeyAccess(keyspace: session.keyspace, transaction: nil))
    }

    /// `hundredths` as "12.34".
    public static func fixed2(_ hundredths: Int64) -> String {
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// Redis's bytesToHuman: 1.50K, 12.00M...
    public static func human(_ bytes: Int64) -> String {
        let units: [(Int64, String)] = [(1 << 40, "T"), (1 << 30, "G"), (1 << 20, "M"), (1 << 10, "K")]
        for (size, suffix) in units where bytes >= size { return fixed2(bytes * 100 / size) + suffix }
        return "\(bytes)B"
    }

    static func seconds(_ time: timeval) -> String {
        "\(time.tv_sec)." + String(String(1_000_000 + Int(time.tv_usec)).dropFirst())
    }

    static func osName() -> String {
        var names = utsname()
        uname(&names)
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(text(names.sysname)) \(text(names.release)) \(text(names.machine))"
    }

    /// Redis's field names where they mean the same (the snapshot is our RDB,
    /// the write-ahead log our AOF), then MemFlux's own.
    private static func persistenceLines(_ database: Database) -> [(String, String)] {
        let config = database.configuration
        guard let persistence = database.persistence else {
            return [
                ("loading", "0"), ("persistence", "0"), ("rdb_changes_since_last_save", "0"),
                ("rdb_bgsave_in_progress", "0"), ("rdb_last_save_time", String(database.startTime)),
                ("aof_enabled", "0"),
            ]
        }
        let status = persistence.saveStatus
        let log = persistence.log
        return [
            ("loading", "0"), ("persistence", "1"),
            ("rdb_changes_since_last_save", String(persistence.changesSinceLastSave)),
            ("rdb_bgsave_in_progress", status.inProgress ? "1" : "0"),
            ("rdb_last_save_time", String(status.lastSave)),
            ("rdb_last_bgsave_status", status.lastSucceeded ? "ok" : "err"),
            ("rdb_last_bgsave_time_sec", String(status.lastDurationMilliseconds < 0 ? -1 : status.lastDurationMilliseconds / 1000)),
            ("rdb_last_save_keys", String(status.lastKeys)), ("rdb_last_save_bytes", String(status.lastBytes)),
            ("aof_enabled", "1"), ("aof_current_size", String(log.currentFileBytes)),
            ("aof_last_write_status", log.lastError == nil ? "ok" : "err"),
            ("durability", config.durability.rawValue),
            ("wal_file", log.primaryPath), ("snapshot_file", persistence.snapshotPath),
            ("wal_size_threshold_bytes", String(persistence.thresholdBytes)),
        ]
    }
}
