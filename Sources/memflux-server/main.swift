// memflux-server: reads config.json (the default one in --dir is created
// with defaults when missing), applies the command-line flags over it, opens
// the database (locking --dir, then recovering the snapshot and write-ahead
// log there), and serves RESP until SIGTERM or SIGINT, then shuts down
// cleanly (a final snapshot, the log fsynced).
//
// Every flag and config key is checked before anything is written, so a bad
// one leaves no directory, config.json or data file behind; each failure is
// one line on stderr and a non-zero exit.
//
//     memflux-server --port 8360 --dir /var/lib/memflux --requirepass s3cret

import ArgumentParser
import Dispatch
import Logging
import MemFlux
import MemFluxCore
import MemFluxServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct MemFluxServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memflux-server",
        abstract: "MemFlux: an in-memory multi-model database speaking the Redis protocol.",
        version: "memflux-server \(MemFluxVersion.current)")

    // Numbers are read as text (.unconditional, so "-1" is a value, not a
    // flag) and checked by ConfigKeys, which names the flag and the range.
    @Option(parsing: .unconditional, help: "Port to listen on (default 8360; 0 picks a free one).") var port: String?
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Directory for data files and config.json (default: the working directory).") var dir: String?
    @Option(help: "Configuration file, which must exist (default: <dir>/config.json, created when missing).") var config: String?
    @Option(help: "Password clients must AUTH with.") var requirepass: String?
    @Option(name: .customLong("maxmemory-mb"), parsing: .unconditional, help: "Memory limit in MB (0: none).") var maxmemoryMB: String?
    @Option(name: .customLong("eviction-policy"), help: "lru, lfu, arc, lfru, random or noeviction.") var evictionPolicy: String?
    @Option(help: "none, fsync or full.") var durability: String?
    @Flag(name: .customLong("no-persistence"), help: "Keep everything in memory only.") var noPersistence = false
    @Option(name: .customLong("isolation-level"), help: "snapshot or serializable.") var isolationLevel: String?
    @Flag(help: "Serve TLS.") var tls = false
    @Option(name: .customLong("event-loops"), parsing: .unconditional, help: "Threads serving connections (default 0: one per core less one).") var eventLoops: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"

    func run() throws {
        let levels = Logger.Level.allCases.map(\.rawValue)
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw StartupError("invalid --log-level \(logLevel): must be one of \(levels.joined(separator: ", "))")
        }
        let (settings, configFile, createConfigFile) = try loadSettings()
        if settings.encrypt {
            throw StartupError("TLS (encrypt / --tls) is not available in this build yet")
        }

        // Validation is done: from here on files may be written.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "memflux")

        // A file size limit makes writes fail with EFBIG (answered with MISCONF) instead of killing the server.
        signal(SIGXFSZ, SIG_IGN)
        if !isLoopback(settings.host) && settings.requirePass.isEmpty {
            logger.warning("listening on non-loopback address \(settings.host) without requirepass: anyone who can reach it can read and write all data")
        }
        raiseOpenFileLimit(for: settings.maxClients, logger)
        if let dir, mkdir(dir, 0o755) != 0 && errno != EEXIST {
            throw StartupError("cannot create directory \(dir): \(String(cString: strerror(errno)))")
        }
        // The database locks the directory first, so a server refused a directory in use writes nothing there.
        let database: Database
        do throws(MemFluxError) {
            database = try Database(configuration: settings) { line in
                if line.hasPrefix("warning: ") { logger.warning("\(line.dropFirst(9))") } else { logger.info("\(line)") }
            }
        } catch {
            throw StartupError(error.message)
        }
        let server: Server
        do {
            server = try Server.start(database: database, configuration: settings, configFile: configFile, logger: logger)
        } catch {
            database.close()
            throw StartupError("\(error)")
        }
        // Last, so a server that could not start leaves no config.json behind.
        if createConfigFile {
            do throws(MemFluxError) {
                try ConfigFile.create(path: configFile)
            } catch {
                server.stop()
                database.close()
                throw StartupError(error.message)
            }
            logger.info("created \(configFile) with default settings")
        }

        // Signals become a close of the listener; the main thread then shuts everything down.
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        let signalSources = [SIGTERM, SIGINT].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                logger.info("signal \(number): shutting down")
                server.closeListener()
            }
            source.resume()
            return source
        }

        // Straight to the descriptor: scripts wait for this line, and stdio would buffer it in a pipe.
        let ready = Array("MemFlux server ready on \(settings.host):\(server.port) (pid \(getpid()))\n".utf8)
        _ = ready.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        logger.info("listening on \(settings.host):\(server.port), config \(configFile)")
        server.waitUntilStopped()
        server.stop()
        database.close()
        for source in signalSources { source.cancel() }
        logger.info("stopped")
    }

    /// config.json, then the flags over it, all checked; touches no file.
    /// Answers the settings, the config file's path, and whether that file
    /// is the missing default to create once startup goes ahead.
    private func loadSettings() throws -> (Configuration, String, Bool) {
        var settings = Configuration()
        let flags: [(flag: String, key: String, value: String?)] = [
            ("port", "port", port), ("host", "host", host), ("requirepass", "requirepass", requirepass),
            ("maxmemory-mb", "maxmemory_mb", maxmemoryMB), ("eviction-policy", "eviction_policy", evictionPolicy),
            ("durability", "durability", durability), ("isolation-level", "isolation_level", isolationLevel),
            ("event-loops", "event_loops", eventLoops),
        ]
        func applyFlags(to settings: inout Configuration) throws {
            for case let (flag, key, value?) in flags {
                do throws(ConfigValueError) {
                    try ConfigKeys.set(key, .flag(value), &settings)
                } catch {
                    throw StartupError("invalid --\(flag) \(value): \(error.reason)")
                }
            }
        }
        // Flags first on their own, so a bad flag is reported even when config.json is bad too.
        var scratch = settings
        try applyFlags(to: &scratch)

        if let dir { settings.directory = dir }
        let configFile = config ?? (settings.directory == "." ? "config.json" : settings.directory + "/config.json")
        let text: ContiguousArray<UInt8>?
        do throws(MemFluxError) {
            text = try ConfigFile.readFile(configFile)
            if let text { try ConfigFile.apply(text, to: &settings, fileName: configFile) }
        } catch {
            throw StartupError(error.message)
        }
        if text == nil, let config {
            throw StartupError("--config \(config): no such file (only the default <dir>/config.json is created when missing)")
        }
        try applyFlags(to: &settings)
        if noPersistence { settings.persistence = false }
        if tls { settings.encrypt = true }
        return (settings, configFile, text == nil)
    }

    /// Each client is a descriptor: raise the soft limit toward max_clients (as Redis does), up to the hard limit.
    private func raiseOpenFileLimit(for clients: Int, _ logger: Logger) {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return }
        let wanted = rlim_t(clients + 64)
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = min(wanted, limit.rlim_max)
        if setrlimit(resource, &limit) != 0 || limit.rlim_cur < wanted {
            logger.warning("open file limit \(limit.rlim_cur) is below max_clients + 64 = \(wanted)")
        }
    }

    private func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

struct StartupError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

MemFluxServerCommand.main()
