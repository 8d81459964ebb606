// Configuration: every setting, with its default. The server fills it from
// config.json and flags; embedders build it in code.

public struct Configuration: Sendable, Hashable {
    public enum Durability: String, Sendable, Hashable, CaseIterable { case none, fsync, full }
    public enum Isolation: String, Sendable, Hashable, CaseIterable { case snapshot, serializable }
    public enum EvictionPolicy: String, Sendable, Hashable, CaseIterable {
        case lru, lfu, arc, lfru, random, noeviction
    }

    public var host = "127.0.0.1"
    public var port = 8360
    public var requirePass = ""
    public var persistence = true
    public var directory = "."
    public var durability = Durability.fsync
    public var walFile = "memflux.wal"
    public var walOverflowFile = "memflux.wal.overflow"
    public var snapshotFile = "memflux.snapshot"
    public var snapshotTempFile = "memflux.snapshot.tmp"
    public var walSizeThresholdMB = 128
    public var maxMemoryMB = 0
    public var evictionPolicy = EvictionPolicy.lru
    public var isolationLevel = Isolation.serializable
    public var encrypt = false
    public var certFile = "memflux.crt"
    public var keyFile = "memflux.key"
    public var maxClients = 10_000
    public var protoMaxBulkLen = 512 * 1024 * 1024
    public var slowlogLogSlowerThanMicroseconds = 10_000
    public var slowlogMaxLen = 128
    /// Threads serving connections; 0 picks one per core less one (at least
    /// one), leaving a core for clients on the same machine, the WAL writer
    /// and background work. (Redis's io-threads.)
    public var eventLoops = 0
    /// How often active expiry reclaims keys whose TTL passed, in milliseconds.
    public var activeExpiryIntervalMilliseconds = 100

    public init() {}

    /// An embedded, memory-only database: no files are written.
    public static var inMemory: Configuration {
        var c = Configuration()
        c.persistence = false
        return c
    }
}
