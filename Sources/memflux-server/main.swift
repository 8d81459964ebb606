// memflux-server: reads config.json (created with defaults when missing),
// applies the command-line flags over it, opens the database (recovering
// the snapshot and write-ahead log in --dir), and serves RESP until SIGTERM
// or SIGINT, then shuts down cleanly (a final snapshot, the log fsynced).
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
        abstract: "MemFlux: an in-memory multi-model database speaking the Redis protocol.")

    @Option(help: "Port to listen on (default 8360; 0 picks a free one).") var port: Int?
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Directory for data files and config.json (default: the working directory).") var dir: String?
    @Option(help: "Configuration file (default: <dir>/config.json).") var config: String?
    @Option(help: "Password clients must AUTH with.") var requirepass: String?
    @Option(name: .customLong("maxmemory-mb"), help: "Memory limit in MB (0: none).") var maxmemoryMB: Int?
    @Option(name: .customLong("eviction-policy"), help: "lru, lfu, arc, lfru, random or noeviction.") var evictionPolicy: String?
    @Option(help: "none, fsync or full.") var durability: String?
    @Flag(name: .customLong("no-persistence"), help: "Keep everything in memory only.") var noPersistence = false
    @Option(name: .customLong("isolation-level"), help: "snapshot or serializable.") var isolationLevel: String?
    @Flag(help: "Serve TLS.") var tls = false
    @Option(name: .customLong("event-loops"), help: "Threads serving connections (default 0: one per core less one).") var eventLoops: Int?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"

    func run() throws {
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw ValidationError("invalid --log-level '\(logLevel)'")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "memflux")

        // A file size limit makes writes fail with EFBIG (answered with MISCONF) instead of killing the server.
        signal(SIGXFSZ, SIG_IGN)
        let (settings, configFile) = try loadSettings(logger)
        if settings.encrypt {
            throw StartupError("TLS (encrypt / --tls) is not available in this build yet")
        }
        if !isLoopback(settings.host) && settings.requirePass.isEmpty {
            logger.warning("listening on non-loopback address \(settings.host) without requirepass: anyone who can reach it can read and write all data")
        }
        raiseOpenFileLimit(for: settings.maxClients, logger)
        let database: Database
        do throws(MemFluxError) {
            database = try Database(configuration: settings) { line in
                if line.hasPrefix("warning: ") { logger.warning("\(line.dropFirst(9))") } else { logger.info("\(line)") }
            }
        } catch {
            throw StartupError("cannot open the database: \(error.message)")
        }
        let server = try Server.start(database: database, configuration: settings, configFile: configFile, logger: logger)

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

    /// config.json, then the flags over it.
    private func loadSettings(_ logger: Logger) throws -> (Configuration, String) {
        var settings = Configuration()
        if let dir {
            if mkdir(dir, 0o755) != 0 && errno != EEXIST {
                throw StartupError("cannot create directory \(dir): \(String(cString: strerror(errno)))")
            }
            settings.directory = dir
        }
        let configFile = config ?? (settings.directory == "." ? "config.json" : settings.directory + "/config.json")
        do throws(MemFluxError) {
            if try ConfigFile.load(path: configFile, into: &settings) {
                logger.info("created \(configFile) with default settings")
            }
        } catch {
            throw StartupError(error.message)
        }
        do throws(ConfigValueError) {
            let flags: [(String, String?)] = [
                ("port", port.map(String.init)), ("host", host), ("requirepass", requirepass),
                ("maxmemory_mb", maxmemoryMB.map(String.init)), ("eviction_policy", evictionPolicy),
                ("durability", durability), ("isolation_level", isolationLevel),
                ("event_loops", eventLoops.map(String.init)),
            ]
            for case let (key, value?) in flags {
                try ConfigKeys.set(key, .text(value), &settings)
            }
        } catch {
            throw StartupError(error.message)
        }
        if noPersistence { settings.persistence = false }
        if tls { settings.encrypt = true }
        return (settings, configFile)
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
