// ConfigKeys: every setting's key — its name, type, allowed values and
// whether it may change while running — in one place, so config.json, the
// command-line flags and CONFIG GET/SET read and validate a key the same way
// and name it the same way in errors.

/// A value that does not fit its key: `reason` in Redis's CONFIG SET words
/// for text, in terms of JSON types for config.json, and as "must be ..."
/// for a command-line flag.
public struct ConfigValueError: Error, Sendable {
    public let key: String
    public let reason: String

    /// "invalid value for 'port': ...", as startup errors name it.
    public var message: String { "invalid value for '\(key)': \(reason)" }
}

/// A value for a key, as a file or a command supplies it.
public enum ConfigInput: Sendable {
    /// From CONFIG SET: text, parsed by the key's type.
    case text(String)
    /// From a command-line flag: text like `.text`, errors worded for the flag.
    case flag(String)
    /// From config.json: must already have the key's JSON type.
    case json(JSONValue)
}

public enum ConfigKeys {
    /// Every key, in the order config.json lists them.
    public static let names: [String] = [
        "host", "port", "requirepass", "persistence", "durability",
        "wal_file", "wal_overflow_file", "snapshot_file", "snapshot_temp_file", "wal_size_threshold_mb",
        "maxmemory_mb", "eviction_policy", "isolation_level",
        "encrypt", "cert_file", "key_file",
        "max_clients", "proto_max_bulk_len", "slowlog_log_slower_than", "slowlog_max_len",
        "event_loops",
    ]

    static let booleanKeys: Set<String> = ["persistence", "encrypt"]
    static let integerKeys: Set<String> = [
        "port", "wal_size_threshold_mb", "maxmemory_mb", "max_clients", "proto_max_bulk_len",
        "slowlog_log_slower_than", "slowlog_max_len", "event_loops",
    ]

    /// Keys CONFIG SET may change: the ones the server reads while running.
    /// The rest are fixed when the database opens.
    public static let runtime: Set<String> = [
        "requirepass", "max_clients", "proto_max_bulk_len", "slowlog_log_slower_than", "slowlog_max_len",
    ]

    /// Redis spellings that tools ask for by exact name (redis-benchmark asks
    /// for `save` and `appendonly`), mapped to our key or a fixed answer.
    public static let aliases: [String: String] = [
        "maxclients": "max_clients", "proto-max-bulk-len": "proto_max_bulk_len",
        "slowlog-log-slower-than": "slowlog_log_slower_than", "slowlog-max-len": "slowlog_max_len",
        "bind": "host",
    ]
    static let fixed: [String: String] = ["save": "", "databases": "1"]

    /// Redis names whose answer follows our settings: `appendonly` is yes while the log is on.
    public static func derived(_ name: String, _ c: Configuration) -> String? {
        if name == "appendonly" { return c.persistence ? "yes" : "no" }
        return fixed[name]
    }

    /// The key's current value as CONFIG GET shows it.
    public static func get(_ name: String, _ c: Configuration) -> String? {
        switch name {
        case "host": c.host
        case "port": String(c.port)
        case "requirepass": c.requirePass
        case "persistence": c.persistence ? "yes" : "no"
        case "durability": c.durability.rawValue
        case "wal_file": c.walFile
        case "wal_overflow_file": c.walOverflowFile
        case "snapshot_file": c.snapshotFile
        case "snapshot_temp_file": c.snapshotTempFile
        case "wal_size_threshold_mb": String(c.walSizeThresholdMB)
        case "maxmemory_mb": String(c.maxMemoryMB)
        case "eviction_policy": c.evictionPolicy.rawValue
        case "isolation_level": c.isolationLevel.rawValue
        case "encrypt": c.encrypt ? "yes" : "no"
        case "cert_file": c.certFile
        case "key_file": c.keyFile
        case "max_clients": String(c.maxClients)
        case "event_loops": String(c.eventLoops)
        case "proto_max_bulk_len": String(c.protoMaxBulkLen)
        case "slowlog_log_slower_than": String(c.slowlogLogSlowerThanMicroseconds)
        case "slowlog_max_len": String(c.slowlogMaxLen)
        default: nil
        }
    }

    /// Sets key `name` from `input`; throws naming the key when the value is
    /// not of its type or range, leaving `c` unchanged.
    public static func set(_ name: String, _ input: ConfigInput, _ c: inout Configuration) throws(ConfigValueError) {
        switch name {
        case "host": c.host = try input.string(name)
        case "port": c.port = try input.int(name, 0...65535)
        case "requirepass": c.requirePass = try input.string(name)
        case "persistence": c.persistence = try input.bool(name)
        case "durability": c.durability = try input.choice(name)
        case "wal_file": c.walFile = try input.string(name)
        case "wal_overflow_file": c.walOverflowFile = try input.string(name)
        case "snapshot_file": c.snapshotFile = try input.string(name)
        case "snapshot_temp_file": c.snapshotTempFile = try input.string(name)
        case "wal_size_threshold_mb": c.walSizeThresholdMB = try input.int(name, 1...1_048_576)
        case "maxmemory_mb": c.maxMemoryMB = try input.int(name, 0...Int(Int32.max))
        case "eviction_policy": c.evictionPolicy = try input.choice(name)
        case "isolation_level": c.isolationLevel = try input.choice(name)
        case "encrypt": c.encrypt = try input.bool(name)
        case "cert_file": c.certFile = try input.string(name)
        case "key_file": c.keyFile = try input.string(name)
        case "max_clients": c.maxClients = try input.int(name, 1...1_000_000)
        case "event_loops": c.eventLoops = try input.int(name, 0...1024)
        case "proto_max_bulk_len": c.protoMaxBulkLen = try input.int(name, 1024...Int(Int64.max))
        case "slowlog_log_slower_than": c.slowlogLogSlowerThanMicroseconds = try input.int(name, -1...Int(Int64.max))
        case "slowlog_max_len": c.slowlogMaxLen = try input.int(name, 0...Int(Int32.max))
        default: throw ConfigValueError(key: name, reason: "no such key")
        }
    }
}

extension ConfigInput {
    func string(_ key: String) throws(ConfigValueError) -> String {
        switch self {
        case .text(let text), .flag(let text): return text
        case .json(.string(let text)): return text
        case .json: throw ConfigValueError(key: key, reason: "expected a string")
        }
    }

    func int(_ key: String, _ range: ClosedRange<Int>) throws(ConfigValueError) -> Int {
        switch self {
        case .text(let text):
            guard let value = Int(text) else {
                throw ConfigValueError(key: key, reason: "argument couldn't be parsed into an integer")
            }
            guard range.contains(value) else {
                throw ConfigValueError(key: key, reason: "argument must be between \(range.lowerBound) and \(range.upperBound) inclusive")
            }
            return value
        case .flag(let text):
            guard let value = Int(text), range.contains(value) else {
                throw ConfigValueError(key: key, reason: "must be an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        case .json(let json):
            guard case .int(let n) = json, let value = Int(exactly: n), range.contains(value) else {
                throw ConfigValueError(key: key, reason: "expected an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
    }

    func bool(_ key: String) throws(ConfigValueError) -> Bool {
        switch self {
        case .json(.bool(let b)): return b
        case .json: throw ConfigValueError(key: key, reason: "expected true or false")
        case .text(let text), .flag(let text):
            switch text.lowercased() {
            case "yes", "true": return true
            case "no", "false": return false
            default:
                if case .flag = self { throw ConfigValueError(key: key, reason: "must be yes or no") }
                throw ConfigValueError(key: key, reason: "argument must be 'yes' or 'no'")
            }
        }
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String) throws(ConfigValueError) -> T where T.RawValue == String {
        let names = T.allCases.map(\.rawValue)
        switch self {
        case .text(let text):
            guard let value = T(rawValue: text.lowercased()) else {
                throw ConfigValueError(key: key, reason: "argument(s) must be one of the following: " + names.joined(separator: ", "))
            }
            return value
        case .flag(let text):
            guard let value = T(rawValue: text.lowercased()) else {
                throw ConfigValueError(key: key, reason: "must be one of " + names.joined(separator: ", "))
            }
            return value
        case .json(let json):
            guard case .string(let text) = json, let value = T(rawValue: text) else {
                throw ConfigValueError(key: key, reason: "expected one of " + names.map { "\"\($0)\"" }.joined(separator: ", "))
            }
            return value
        }
    }
}
