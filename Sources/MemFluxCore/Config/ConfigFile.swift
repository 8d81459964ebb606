// ConfigFile: reads config.json into a Configuration (MemFlux's own strict
// JSON parser), and writes one with every default when the server's default
// file does not exist, so a first start with no file just works and leaves a
// file to edit.
// Errors name the key (or the JSON offset) and stop the server from starting.
// File I/O is plain POSIX: this runs once, at startup, and keeps Foundation
// out of the server.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum ConfigFile {
    /// Writes a new file at `path` listing every key with its default.
    public static func create(path: String) throws(MemFluxError) {
        try writeFile(defaultText(Configuration()), to: path)
    }

    /// Applies the JSON object `text`: every key known, every value valid, or nothing changes.
    public static func apply(_ text: ContiguousArray<UInt8>, to config: inout Configuration, fileName: String = "config.json") throws(MemFluxError) {
        let document: JSONValue
        do throws(MemFluxError) {
            document = try JSONValue.parse(Bytes(text))
        } catch {
            throw MemFluxError(.err, "\(fileName): \(error.message)")
        }
        guard case .object(let fields) = document else {
            throw MemFluxError(.err, "\(fileName): expected a JSON object of settings")
        }
        var updated = config
        for (key, value) in fields {
            guard ConfigKeys.names.contains(key) else {
                throw MemFluxError(.err, "\(fileName): unknown key '\(key)'")
            }
            do throws(ConfigValueError) {
                try ConfigKeys.set(key, .json(value), &updated)
            } catch {
                throw MemFluxError(.err, "\(fileName): \(error.message)")
            }
        }
        config = updated
    }

    /// Keys that configure the network server, which an embedded database does not have.
    public static let networkKeys: Set<String> = [
        "host", "port", "requirepass", "encrypt", "cert_file", "key_file", "max_clients", "proto_max_bulk_len", "event_loops",
    ]

    /// An embedded database's settings from a JSON object: config.json's keys
    /// but the network ones, and `dir`, the directory of the data files.
    public static func embedded(_ text: Bytes) throws(MemFluxError) -> Configuration {
        let document: JSONValue
        do throws(MemFluxError) {
            document = try JSONValue.parse(text)
        } catch {
            throw MemFluxError(.err, "configuration: \(error.message)")
        }
        guard case .object(let fields) = document else {
            throw MemFluxError(.err, "configuration: expected a JSON object of settings")
        }
        var config = Configuration()
        for (key, value) in fields {
            if key == "dir" {
                guard case .string(let directory) = value, !directory.isEmpty else {
                    throw MemFluxError(.err, "configuration: invalid value for 'dir': expected a directory name")
                }
                config.directory = directory
                continue
            }
            guard ConfigKeys.names.contains(key) else { throw MemFluxError(.err, "configuration: unknown key '\(key)'") }
            guard !networkKeys.contains(key) else {
                throw MemFluxError(.err, "configuration: '\(key)' configures the network server, which an embedded database does not have")
            }
            do throws(ConfigValueError) {
                try ConfigKeys.set(key, .json(value), &config)
            } catch {
                throw MemFluxError(.err, "configuration: \(error.message)")
            }
        }
        return config
    }

    /// config.json listing every key with `config`'s value.
    public static func defaultText(_ config: Configuration) -> String {
        var lines: [String] = []
        for name in ConfigKeys.names {
            guard let value = ConfigKeys.get(name, config) else { continue }
            let json: JSONValue
            if ConfigKeys.booleanKeys.contains(name) {
                json = .bool(value == "yes")
            } else if ConfigKeys.integerKeys.contains(name), let n = Int64(value) {
                json = .int(n)
            } else {
                json = .string(value)
            }
            lines.append("  \"\(name)\": \(json.serialized.string)")
        }
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }

    /// The file's bytes, or nil when it does not exist.
    public static func readFile(_ path: String) throws(MemFluxError) -> ContiguousArray<UInt8>? {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw MemFluxError(.err, "\(path): cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var bytes = ContiguousArray<UInt8>()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw MemFluxError(.err, "\(path): cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    static func writeFile(_ text: String, to path: String) throws(MemFluxError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw MemFluxError(.err, "\(path): cannot create: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var remaining = Array(text.utf8)[...]
        while !remaining.isEmpty {
            let n = remaining.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw MemFluxError(.err, "\(path): cannot write: \(String(cString: strerror(errno)))")
            }
            remaining = remaining.dropFirst(n)
        }
    }
}

extension ConfigFile {
    /// CONFIG REWRITE: replaces the file with `config`'s settings (a new file renamed over the old).
    public static func rewrite(path: String, _ config: Configuration) throws(MemFluxError) {
        let temporary = path + ".tmp"
        unlink(temporary)
        try writeFile(defaultText(config), to: temporary)
        guard rename(temporary, path) == 0 else {
            throw MemFluxError(.err, "\(path): cannot replace: \(String(cString: strerror(errno)))")
        }
    }
}
