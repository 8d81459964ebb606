// Thin wrappers over the POSIX calls persistence needs: append-only files,
// fsync, atomic rename followed by a directory fsync, whole-file reads. Errors
// become PersistenceError with the path and strerror text.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct PersistenceError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }

    static func system(_ what: String, _ path: String) -> PersistenceError {
        PersistenceError("\(what) \(path): \(String(cString: strerror(errno)))")
    }
}

/// An open file descriptor, closed on deinit.
public final class PosixFile: @unchecked Sendable {
    // @unchecked: the descriptor is immutable; callers serialize writes.
    public let path: String
    let descriptor: Int32

    /// Opens `path` for appending, creating it when missing.
    public static func openForAppend(_ path: String, truncate: Bool = false) throws(PersistenceError) -> PosixFile {
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw .system("cannot open", path) }
        return PosixFile(path: path, descriptor: fd)
    }

    init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Writes all of `bytes`, retrying short writes and interrupts.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(PersistenceError) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .system("cannot write", path)
            }
            offset += n
        }
    }

    public func write(_ bytes: [UInt8]) throws(PersistenceError) {
        let failure = bytes.withUnsafeBytes { raw -> PersistenceError? in
            do throws(PersistenceError) { try write(raw) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    /// Flushes the file's data to the device.
    public func sync() throws(PersistenceError) {
        guard fdatasync(descriptor) == 0 else { throw .system("cannot fsync", path) }
    }

    public var size: Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return 0 }
        return Int(info.st_size)
    }
}

public enum FileSystem {
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public static func size(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    /// The whole file, or nil when it does not exist.
    public static func read(_ path: String) throws(PersistenceError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw .system("cannot open", path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .system("cannot stat", path) }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var offset = 0
        let failed = bytes.withUnsafeMutableBytes { buffer -> Bool in
            while offset < size {
                let n = Glibc.read(fd, buffer.baseAddress! + offset, size - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return n < 0 }
                offset += n
            }
            return false
        }
        if failed { throw .system("cannot read", path) }
        if offset < size { bytes.removeLast(size - offset) }
        return bytes
    }

    /// Cuts the file to `length` bytes and syncs it.
    public static func truncate(_ path: String, to length: Int) throws(PersistenceError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system("cannot open", path) }
        defer { close(fd) }
        guard ftruncate(fd, off_t(length)) == 0 else { throw .system("cannot truncate", path) }
        guard fsync(fd) == 0 else { throw .system("cannot fsync", path) }
    }

    /// Atomically replaces `destination` with `source`, then makes the rename durable.
    public static func rename(_ source: String, to destination: String) throws(PersistenceError) {
        guard Glibc.rename(source, destination) == 0 else { throw .system("cannot rename \(source) to", destination) }
        try syncDirectory(of: destination)
    }

    public static func remove(_ path: String) throws(PersistenceError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .system("cannot remove", path) }
    }

    /// fsyncs the directory holding `path`, so a create, rename or unlink in it survives a crash.
    public static func syncDirectory(of path: String) throws(PersistenceError) {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .system("cannot open directory", directory) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .system("cannot fsync directory", directory) }
    }
}
